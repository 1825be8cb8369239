"""The confidence gate: answer, or hand off to an agent, and say why.

Confidence blends how strongly retrieval found a passage (the dense similarity of the best chunk,
scaled between a floor and a ceiling calibrated on e5 for our corpus, English questions lifted by
the offset e5 shows between the languages), whether BM25 agrees,
and how much of the written answer the passages support. Reasons that need a human hand off
whatever the confidence: a complaint, anger or strong anxiety, a request for a human, for
personalised advice or for guaranteed returns, and questions outside what we serve.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.coverage import UncoveredTopic
from assistant.retrieval.hybrid import ScoredChunk
from assistant.settings import GateSettings
from assistant.understanding.models import SignalVerdict, Understanding
from assistant.vocabulary import (
    HANDOFF_EMOTIONS,
    REASON_PRIORITY,
    SIGNAL_REASONS,
    Reason,
    Route,
)


class GateDecision(BaseModel):
    route: Route
    confidence: float
    reasons: list[Reason] = Field(default_factory=list)
    priority: int = 0
    parts: dict[str, float] = Field(default_factory=dict)


class ConfidenceGate:
    def __init__(self, settings: GateSettings) -> None:
        self.settings = settings

    def confidence(
        self, chunks: list[ScoredChunk], support: float, language: str
    ) -> dict[str, float]:
        if not chunks:
            return {"retrieval": 0.0, "agreement": 0.0, "support": 0.0, "confidence": 0.0}
        top = chunks[0]
        similarity = self.similarity(chunks, language)
        span = self.settings.dense_ceiling - self.settings.dense_floor
        retrieval = min(1.0, max(0.0, (similarity - self.settings.dense_floor) / span))
        agreement = 1.0 if top.dense_similarity is not None and top.bm25_score else 0.0
        value = (0.75 * retrieval + 0.25 * agreement) * support
        return {
            "retrieval": round(retrieval, 3),
            "agreement": agreement,
            "support": round(support, 3),
            "dense_similarity": round(similarity, 4),
            "confidence": round(value, 3),
        }

    def similarity(self, chunks: list[ScoredChunk], language: str) -> float:
        """The best dense similarity among the top passages, English lifted by its offset."""
        similarity = max((c.dense_similarity or 0.0) for c in chunks[:3]) if chunks else 0.0
        return similarity + (self.settings.english_offset if language == "en" else 0.0)

    def escalations(
        self,
        understanding: Understanding,
        uncovered: list[UncoveredTopic],
        chunks: list[ScoredChunk],
        language: str,
    ) -> list[str]:
        """Reasons known before anything is written: signals, strong emotion, and a topic no
        document covers.

        An out-of-scope verdict that rests on the signal model alone gives way when the
        documents match the question as closely as they ever do (`dense_ceiling`): a terse
        question ("what time nav update") can look like chit-chat to the model, and no
        out-of-scope message in the training or check sets came that close.
        """
        answered_well = self.similarity(chunks, language) >= self.settings.dense_ceiling
        reasons: list[str] = [
            SIGNAL_REASONS[s.name]
            for s in understanding.signals
            if s.name in SIGNAL_REASONS
            and not (s.name == "out_of_scope" and answered_well and _model_only(s))
        ]
        if uncovered and not {"out_of_scope", "low_confidence"} & set(reasons):
            reasons.append("low_confidence")
        emotion = understanding.emotion
        if emotion.label in HANDOFF_EMOTIONS and emotion.score >= self.settings.emotion_threshold:
            reasons.insert(0, emotion.label)
        return reasons

    def decide(
        self,
        *,
        chunks: list[ScoredChunk],
        support: float,
        escalations: list[str],
        language: str,
    ) -> GateDecision:
        parts = self.confidence(chunks, support, language)
        reasons: list[Reason] = list(escalations)  # type: ignore[arg-type]
        if (
            parts["confidence"] < self.settings.min_confidence
            and "out_of_scope" not in reasons
            and "low_confidence" not in reasons
        ):
            reasons.append("low_confidence")
        return GateDecision(
            route="handoff" if reasons else "answered",
            confidence=parts["confidence"],
            reasons=reasons,
            priority=max((REASON_PRIORITY[r] for r in reasons), default=0),
            parts=parts,
        )


def _model_only(signal: SignalVerdict) -> bool:
    return all(e.kind == "model" for e in signal.evidence if e.weight > 0)
