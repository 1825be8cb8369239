"""What the understand step returns: a verdict per question, each carrying its own evidence.

The gate reads scores, an agent or reviewer reads the evidence: every score here can be traced
to the words, patterns or seed examples that produced it, and to the rules version.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.vocabulary import (
    INTENTS,
    SIGNAL_NAMES,
    EmotionLabel,
    Intent,
    Language,
    SignalName,
)

EvidenceKind = Literal["keyword", "pattern", "example", "model"]


class Evidence(BaseModel):
    """One thing that moved a score: a keyword or pattern match, or a similar seed example.

    A negative weight records a calm or negating phrase that cancelled a match.
    """

    model_config = ConfigDict(frozen=True)

    kind: EvidenceKind
    text: str
    weight: float


class EmotionVerdict(BaseModel):
    model_config = ConfigDict(frozen=True)

    label: EmotionLabel
    score: float = Field(ge=0, le=1, description="Strength of the label, 0..1.")
    evidence: list[Evidence] = Field(default_factory=list)


class SignalVerdict(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: SignalName
    score: float = Field(ge=0, le=1)
    evidence: list[Evidence] = Field(default_factory=list)

    @property
    def in_words(self) -> bool:
        """The message says it in words a rule names (a keyword or pattern), not only in what
        a model reads between them."""
        return any(e.kind in ("keyword", "pattern") and e.weight > 0 for e in self.evidence)


class Understanding(BaseModel):
    """The understand step's verdict on one redacted client message."""

    model_config = ConfigDict(frozen=True)

    language: Language
    intent: Intent
    intent_score: float = Field(ge=0, le=1)
    intent_evidence: list[Evidence] = Field(default_factory=list)
    emotion: EmotionVerdict
    signals: list[SignalVerdict] = Field(
        default_factory=list, description="Only the signals that fired."
    )
    rules_version: str

    def signal(self, name: SignalName) -> SignalVerdict | None:
        """The verdict for `name` if it fired."""
        return next((s for s in self.signals if s.name == name), None)

    @property
    def signal_names(self) -> list[str]:
        return [s.name for s in self.signals]


__all__ = [
    "INTENTS",
    "SIGNAL_NAMES",
    "EmotionLabel",
    "EmotionVerdict",
    "Evidence",
    "EvidenceKind",
    "Intent",
    "SignalName",
    "SignalVerdict",
    "Understanding",
]
