"""The gate's escalations: an out-of-scope verdict from the signal model alone gives way to
passages that match the question as closely as they ever do; cue verdicts never do."""

from __future__ import annotations

import pytest

from assistant.confidence_gate import ConfidenceGate
from assistant.retrieval.hybrid import ScoredChunk
from assistant.settings import GateSettings
from assistant.understanding.models import (
    EmotionVerdict,
    Evidence,
    SignalVerdict,
    Understanding,
)

MODEL = Evidence(kind="model", text="signal-model-test", weight=0.83)
CUE = Evidence(kind="keyword", text="天气", weight=0.9)


def _understanding(*evidence: Evidence, language: str = "en") -> Understanding:
    return Understanding(
        language=language,
        intent="other",
        intent_score=0.5,
        emotion=EmotionVerdict(label="neutral", score=0.0),
        signals=[SignalVerdict(name="out_of_scope", score=0.5, evidence=list(evidence))],
        rules_version="test",
    )


def _chunks(similarity: float) -> list[ScoredChunk]:
    return [ScoredChunk(id="c1", text="…", metadata={}, score=0.03, dense_similarity=similarity)]


@pytest.mark.parametrize(
    ("evidence", "similarity", "language", "kept"),
    [
        ((MODEL,), 0.93, "zh", False),  # the documents answer it: the model gives way
        ((MODEL,), 0.89, "en", False),  # English lifted by its offset past the ceiling
        ((MODEL,), 0.88, "zh", True),  # an ordinary match: the model stands
        ((CUE,), 0.95, "zh", True),  # a cue stands however close the passages
        ((CUE, MODEL), 0.95, "zh", True),
    ],
)
def test_model_only_out_of_scope_gives_way_to_a_close_match(
    evidence: tuple[Evidence, ...], similarity: float, language: str, kept: bool
) -> None:
    gate = ConfidenceGate(GateSettings())
    reasons = gate.escalations(_understanding(*evidence), [], _chunks(similarity), language)
    assert ("out_of_scope" in reasons) is kept


def test_no_passages_keeps_the_model_verdict() -> None:
    gate = ConfidenceGate(GateSettings())
    assert gate.escalations(_understanding(MODEL), [], [], "zh") == ["out_of_scope"]
