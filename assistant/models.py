"""The pipeline's typed edges: what a turn takes in and what it gives back (the contract's Reply)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.vocabulary import EmotionLabel, Intent, Language, Reason, RiskLevel, Route


class TurnRequest(BaseModel):
    message: str
    session_id: str | None = None
    risk_level: RiskLevel | None = None
    channel: str = "chat"
    history: list[str] = Field(
        default_factory=list, description="Earlier client messages, when the caller keeps them."
    )


class Citation(BaseModel):
    source: str
    title: str
    section: str | None = None
    snippet: str


class Emotion(BaseModel):
    label: EmotionLabel = "neutral"
    score: float = 0.0


class RedactionSpan(BaseModel):
    entity_type: str
    start: int
    end: int


class Explanation(BaseModel):
    """Why the reply is what it is: for agents, reviewers and the eval runner."""

    standalone_query: str
    retrieval: list[dict[str, object]] = Field(default_factory=list)
    confidence_parts: dict[str, float] = Field(default_factory=dict)
    evidence: dict[str, list[str]] = Field(default_factory=dict)
    compliance: list[str] = Field(default_factory=list)
    writer: str = "extractive"
    prompt_version: str = ""
    rules_version: str = ""
    answerability_version: str = Field("", description="The answerability model that judged it.")
    mode: str = Field("answer", description="answer, ask_back, decline or handoff.")
    latency_ms: float = 0.0


class Reply(BaseModel):
    session_id: str
    message_id: str
    route: Route
    answer: str
    draft: str | None = None
    handoff_id: str | None = None
    intent: Intent
    emotion: Emotion
    confidence: float = Field(ge=0, le=1)
    reasons: list[Reason] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    disclaimer: str | None = None
    suitability_notice: str | None = Field(
        None,
        description="On an answer about a product above the client's risk category (C1-C5 "
        "against R1-R5): the suitability notice, also in `answer` (before the disclaimer), "
        "given apart so a page can show it apart. None when no suitability rule applies.",
    )
    redactions: list[RedactionSpan] = Field(default_factory=list)
    language: Language
    suggestions: list[str] = Field(
        default_factory=list,
        description="When the assistant asks back: up to three questions the client can send "
        "with one tap (猜你想问). Empty otherwise.",
    )
    explanation: Explanation | None = None
