"""The confidence gate: answer, ask back, decline politely, or hand off to an agent — and why.

Confidence is the answerability model's calibrated chance that the quoted passage answers this
question (`assistant/answerability.py`), times the share of the written answer the passages
support; the gate answers only at or above the model's threshold, chosen on questions the model
never saw. Without a trained model (the trainer's own first run) it falls back to the older
blend of dense similarity between a floor and a ceiling and BM25 agreement.

Reasons that need a human hand off whatever the confidence: a complaint, anger or strong
anxiety, a request for a human, for personalised advice or for guaranteed returns. A message
that is not about our business at all (chatter, a loan or a film) is declined politely with the
offer of a person, without filling the agents' queue — anger about a football match included;
anger together with a complaint or a request about our service still goes to a person. A short
question whose candidates answer different things is asked back with suggestions, and so is one
that several funds answer differently and that names none, however confident.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from assistant.answerability import (
    Answerability,
    AnswerabilityFeatures,
    AnswerabilityModel,
    QuestionContext,
)
from assistant.coverage import UncoveredTopic
from assistant.retrieval.hybrid import ScoredChunk
from assistant.settings import GateSettings
from assistant.understanding.models import Understanding
from assistant.vocabulary import (
    HANDOFF_EMOTIONS,
    REASON_PRIORITY,
    SIGNAL_REASONS,
    Reason,
    Route,
)
from assistant.writers.base import WrittenAnswer

Mode = Literal["answer", "ask_back", "decline", "handoff"]
# Reasons that alone do not need a person once the message is outside our business.
_DECLINABLE = frozenset({"out_of_scope", "angry", "anxious", "low_confidence"})


class GateDecision(BaseModel):
    route: Route
    mode: Mode = "answer"
    confidence: float
    reasons: list[Reason] = Field(default_factory=list)
    priority: int = 0
    parts: dict[str, float] = Field(default_factory=dict)


class ConfidenceGate:
    def __init__(
        self,
        settings: GateSettings,
        model: AnswerabilityModel | None = None,
        features: AnswerabilityFeatures | None = None,
    ) -> None:
        self.settings = settings
        self.model = model
        self.features = features

    def judge(
        self,
        context: QuestionContext,
        chunks: list[ScoredChunk],
        written: WrittenAnswer,
        live_terms: frozenset[str],
    ) -> Answerability | None:
        """The answerability model's verdict on the quote; None without a model."""
        if self.model is None or self.features is None:
            return None
        features = self.features.compute(context, chunks, written, live_terms, self.model.features)
        return self.model.judge(features)

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
        self, understanding: Understanding, uncovered: list[UncoveredTopic]
    ) -> list[str]:
        """Reasons known before anything is written: signals, strong emotion, and a topic no
        document covers; a crisis first, and never declined as off-topic (`_DECLINABLE`).

        An out-of-scope verdict stands however close the passages look. It used to give way
        to passages past `dense_ceiling` when it rested on the model alone (the old signal
        model, fitted to the team's text, read terse questions as chit-chat), but real loan
        and credit questions sit as close to fund documents as fund questions do (e5 median
        0.88; 18 % past the ceiling) and the override answered them. What the scope model
        gets wrong on another company's questions (its fund names are words it never saw) is
        settled before it is asked: a message naming one of our funds or fund managers is in
        scope (`SignalReader.scores`).
        """
        reasons: list[str] = [
            SIGNAL_REASONS[s.name] for s in understanding.signals if s.name in SIGNAL_REASONS
        ]
        if uncovered and not {"out_of_scope", "low_confidence"} & set(reasons):
            reasons.append("low_confidence")
        emotion = understanding.emotion
        if (
            emotion.label in HANDOFF_EMOTIONS
            and emotion.score >= self.settings.emotion_threshold
            # Emotion about what we serve: an off-topic angry post gets the off-topic reply.
            and "out_of_scope" not in reasons
        ):
            reasons.insert(0, emotion.label)
        if "crisis" in reasons:  # a person's safety before anything else the agent reads
            reasons.remove("crisis")
            reasons.insert(0, "crisis")
        return reasons

    def decide(
        self,
        *,
        chunks: list[ScoredChunk],
        support: float,
        escalations: list[str],
        language: str,
        judged: Answerability | None = None,
        can_ask_back: bool = False,
        ask_which_fund: bool = False,
    ) -> GateDecision:
        """One call: the route, the mode, the reasons and the confidence behind them."""
        parts = self.confidence(chunks, support, language)
        if judged is not None:
            parts["answerability"] = judged.probability
            parts["threshold"] = judged.threshold
            parts["confidence"] = round(judged.probability * support, 3)
            confident = parts["confidence"] >= judged.threshold
        else:
            confident = parts["confidence"] >= self.settings.min_confidence
        confident = confident and support >= self.settings.min_support
        reasons: list[Reason] = list(escalations)  # type: ignore[arg-type]
        if not confident and not {"out_of_scope", "low_confidence"} & set(reasons):
            reasons.append("low_confidence")
        mode: Mode = "handoff" if reasons else "answer"
        if "out_of_scope" in reasons and set(reasons) <= _DECLINABLE:
            mode, reasons = "decline", ["out_of_scope"]
        elif set(reasons) <= {"low_confidence"} and ask_which_fund:
            mode, reasons = "ask_back", []  # sure or not, one fund's answer may not be theirs
        elif reasons == ["low_confidence"] and can_ask_back:
            mode, reasons = "ask_back", []
        return GateDecision(
            route="handoff" if mode == "handoff" else "answered",
            mode=mode,
            confidence=parts["confidence"],
            reasons=reasons,
            priority=max((REASON_PRIORITY[r] for r in reasons), default=0)
            if mode == "handoff"
            else 0,
            parts=parts,
        )
