from __future__ import annotations

from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from assistant.funds import Fund
from assistant.models import Citation
from assistant.retrieval.hybrid import ScoredChunk


class WriteRequest(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    question: str  # standalone and redacted
    language: Literal["zh", "en"]
    chunks: list[ScoredChunk]
    fund: Fund | None = None
    share_class: str | None = None  # "A", "B" or "C" when the question names one
    # The question with the names of the fund it names blanked (养老2045股票占多少 → 股票占多少):
    # what it asks of that fund's own passages. None when it names no fund.
    asked_of_fund: str | None = None
    history: list[str] = Field(default_factory=list)  # earlier redacted client messages
    purpose: Literal["answer", "draft"] = "answer"  # a draft is for an agent to send
    reasons: list[str] = Field(default_factory=list)
    emotion: str = "neutral"


class WrittenAnswer(BaseModel):
    text: str
    citations: list[Citation] = Field(default_factory=list)
    used_chunks: list[ScoredChunk] = Field(default_factory=list)
    support: float = Field(1.0, ge=0, le=1, description="Share of sentences the passages support.")
    writer: str
    prompt_version: str = ""
    notes: list[str] = Field(default_factory=list)
    read_score: float | None = Field(
        None, description="The pair reader's score of the first quote with the question."
    )
    service_down: bool = Field(
        False,
        description="Written by the fallback because the configured writer's service (the "
        "LLM) is down: the turn is handed off, this text the agent's draft.",
    )


class AnswerWriter(Protocol):
    name: str

    def write(self, request: WriteRequest) -> WrittenAnswer: ...


def cite(chunk: ScoredChunk, snippet_chars: int = 160) -> Citation:
    snippet = " ".join(chunk.text.split())
    if len(snippet) > snippet_chars:
        snippet = snippet[: snippet_chars - 1] + "…"
    return Citation(source=chunk.source, title=chunk.title, section=chunk.section, snippet=snippet)
