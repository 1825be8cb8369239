"""The product's one vocabulary: routes, intents, emotion labels, signals and hand-off reasons.

Every other module, the eval suites and the trainers import these names from here, so adding a
reason or a signal is one edit. The `Literal` types are what pydantic and mypy check; the tuples
beside them are the same names in the order reports and the gate use them.
"""

from __future__ import annotations

from typing import Literal, get_args

Route = Literal["answered", "handoff"]
Language = Literal["zh", "en"]
RiskLevel = Literal["C1", "C2", "C3", "C4", "C5"]

Intent = Literal["product", "transaction", "account", "complaint", "technical", "other"]
INTENTS: tuple[Intent, ...] = get_args(Intent)

EmotionLabel = Literal["neutral", "anxious", "negative", "angry"]
EMOTION_LABELS: tuple[EmotionLabel, ...] = get_args(EmotionLabel)
# Emotions strong enough to need a person (when they are about our service or the client's money).
HANDOFF_EMOTIONS: tuple[EmotionLabel, ...] = ("angry", "anxious")

# What the understand step can detect in a message, beside intent and emotion.
SignalName = Literal[
    "crisis",
    "complaint",
    "human_requested",
    "advice_request",
    "guarantee_request",
    "beyond_documents",
    "out_of_scope",
]
SIGNAL_NAMES: tuple[SignalName, ...] = get_args(SignalName)  # in the order the gate reports
# The signals the multi-label signal model reads (crisis and beyond_documents have models of
# their own beside their cues: crisis_model, beyond_model).
MODELLED_SIGNALS: tuple[SignalName, ...] = (
    "complaint",
    "human_requested",
    "advice_request",
    "guarantee_request",
    "out_of_scope",
)

# Why a turn went to a person: what the agent, the Reply and the metrics show.
Reason = Literal[
    "crisis",
    "low_confidence",
    "complaint",
    "angry",
    "anxious",
    "human_requested",
    "advice_request",
    "guarantee_request",
    "out_of_scope",
]
REASONS: tuple[Reason, ...] = get_args(Reason)
# Reasons that must reach a person whatever the documents say: missing one is the costly error.
ESCALATIONS: tuple[Reason, ...] = (
    "crisis",
    "complaint",
    "angry",
    "human_requested",
    "advice_request",
    "guarantee_request",
)
# Signal → the reason the agent sees. A question about the client's own records or live fund
# data is one the documents cannot answer: no retrieval score can make that answer confident.
SIGNAL_REASONS: dict[SignalName, Reason] = {
    "crisis": "crisis",
    "complaint": "complaint",
    "human_requested": "human_requested",
    "advice_request": "advice_request",
    "guarantee_request": "guarantee_request",
    "out_of_scope": "out_of_scope",
    "beyond_documents": "low_confidence",
}
# Queue priority of a hand-off: the highest of its reasons'.
REASON_PRIORITY: dict[Reason, int] = {
    "crisis": 4,  # thoughts of suicide or self-harm: a person, before anyone else
    "angry": 3,
    "complaint": 3,
    "anxious": 2,
    "human_requested": 2,
    "guarantee_request": 1,
    "advice_request": 1,
    "out_of_scope": 1,
    "low_confidence": 1,
}
# The tone a drafted reply opens with: the first of these among the reasons or the emotion.
DRAFT_MOODS: tuple[str, ...] = ("crisis", "angry", "complaint", "anxious", "negative")


def reason_for(signal: str) -> Reason | None:
    """The hand-off reason a fired signal gives, if any."""
    return SIGNAL_REASONS.get(signal)  # type: ignore[call-overload,no-any-return]


__all__ = [
    "DRAFT_MOODS",
    "EMOTION_LABELS",
    "ESCALATIONS",
    "HANDOFF_EMOTIONS",
    "INTENTS",
    "MODELLED_SIGNALS",
    "REASONS",
    "REASON_PRIORITY",
    "SIGNAL_NAMES",
    "SIGNAL_REASONS",
    "EmotionLabel",
    "Intent",
    "Language",
    "Reason",
    "RiskLevel",
    "Route",
    "SignalName",
    "reason_for",
]
