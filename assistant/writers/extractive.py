"""The default writer: offline, deterministic, and unable to add a fact.

It quotes the retrieved passage the passage ranker judges to answer the question (and a second
one when only it holds part of what was asked): an FAQ's answer as written, or the sentences of
a section that share the most terms with the question (a small table travels whole).
"""

from __future__ import annotations

from assistant.prompts import PromptLibrary
from assistant.writers.base import WriteRequest, WrittenAnswer, cite
from assistant.writers.passage_ranker import PassageRanker


class ExtractiveWriter:
    name = "extractive"

    def __init__(self, prompts: PromptLibrary) -> None:
        self.messages = prompts.rules("messages")
        self.ranker = PassageRanker.from_prompts(prompts)

    def write(self, request: WriteRequest) -> WrittenAnswer:
        if not request.chunks:
            return WrittenAnswer(text="", writer=self.name, support=0.0, notes=["no passage"])
        quotes = self.ranker.choose(request)
        chunks = [quote.chunk for quote in quotes]
        notes = [f"quoted {c.metadata.get('kind', 'section')} {c.id}" for c in chunks]
        texts = []
        for quote in quotes:  # the note stands before the quote in the other language only
            if quote.chunk.metadata.get("language", request.language) != request.language:
                texts.append(
                    f"{self.messages['cross_language_note'][request.language]}\n{quote.text}"
                )
                notes.append("cross-language passage")
            else:
                texts.append(quote.text)
        body = "\n\n".join(texts)
        return WrittenAnswer(
            text=body,
            citations=[cite(chunk) for chunk in chunks],
            used_chunks=chunks,
            support=1.0,
            read_score=quotes[0].read,
            writer=self.name,
            prompt_version=f"{self.messages['version']}; {self.ranker.version}",
            notes=notes,
        )
