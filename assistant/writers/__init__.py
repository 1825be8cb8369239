"""Answer writers: the built-in extractive one (default) and an LLM one. Both take a
`WriteRequest` and return a `WrittenAnswer`, so the pipeline does not care which ran."""

from assistant.writers.base import AnswerWriter, WriteRequest, WrittenAnswer

__all__ = ["AnswerWriter", "WriteRequest", "WrittenAnswer"]
