"""The gate's escalations: an out-of-scope verdict stands however close the passages look (real
loan questions read as close to fund documents as fund questions do)."""

from __future__ import annotations

import pytest

from assistant.confidence_gate import ConfidenceGate
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


@pytest.mark.parametrize("evidence", [(MODEL,), (CUE,), (CUE, MODEL)])
def test_out_of_scope_verdict_stands(evidence: tuple[Evidence, ...]) -> None:
    """The gate no longer sees the passages here: a real loan question reads as close to a fund
    document as a fund question does, so closeness cannot overrule the scope model."""
    gate = ConfidenceGate(GateSettings())
    assert gate.escalations(_understanding(*evidence), []) == ["out_of_scope"]


def test_anger_about_something_else_is_not_a_reason() -> None:
    angry = _understanding(MODEL).model_copy(
        update={"emotion": EmotionVerdict(label="angry", score=0.95)}
    )
    assert ConfidenceGate(GateSettings()).escalations(angry, []) == ["out_of_scope"]


@pytest.mark.parametrize(
    ("escalations", "mode"),
    [([], "ask_back"), (["complaint"], "handoff"), (["out_of_scope"], "decline")],
)
def test_a_question_of_no_fund_is_asked_back_unless_a_person_or_decline_is_due(
    escalations: list[str], mode: str
) -> None:
    decision = ConfidenceGate(GateSettings()).decide(
        chunks=[], support=1.0, escalations=escalations, language="zh", ask_which_fund=True
    )
    assert decision.mode == mode
