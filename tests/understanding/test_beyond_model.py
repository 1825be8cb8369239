"""Questions about the client's own records or live data are handed to a person even when no cue
names them; general questions in the first person are not. The real embedder, rules and model."""

from __future__ import annotations

import json

import pytest

from assistant.models import TurnRequest
from assistant.prompts import PROMPTS_DIR
from assistant.understanding.calibrated import CalibratedLinear
from assistant.understanding.signal_model import SignalModel, SignalModelFile

MODEL_ONLY = [  # no beyond_documents cue matches these: the model alone reads them
    "帮我看看上个月定投扣了几次",
    "帮我查下我现在有多少份额",
    "我账户被锁了 现在解锁没有",
]
# the vector alone read these below its threshold (0.67); the mean with the character n-grams
# reads them (0.83), and no cue names them
BY_THE_MEAN = ["我现在是C几"]
WITH_CUES = [
    "我那笔转换成功了吗",
    "我的份额现在值多少钱",
    "Has my refund been credited?",
]
GENERAL = [  # the documents answer these, first person or not
    "我想赎回，一般几天到账",
    "我买了C类，持有7天以上赎回费多少",
    "我忘了交易密码怎么办",
    "定投扣款失败了会怎样",
    "how long does a redemption usually take",
]


def _beyond(understander_e5, message: str) -> list[str]:  # type: ignore[no-untyped-def]
    verdicts = understander_e5.understand(message).signals
    return [e.kind for s in verdicts if s.name == "beyond_documents" for e in s.evidence]


@pytest.mark.parametrize("message", MODEL_ONLY)
def test_the_model_reads_own_records_no_cue_names(understander_e5, message: str) -> None:  # type: ignore[no-untyped-def]
    assert _beyond(understander_e5, message) == ["model"]


@pytest.mark.parametrize("message", BY_THE_MEAN)
def test_the_characters_read_beside_the_vector_catch_what_it_misses(
    understander_e5, message: str
) -> None:  # type: ignore[no-untyped-def]
    assert _beyond(understander_e5, message) == ["model"]


@pytest.mark.parametrize("message", WITH_CUES)
def test_the_model_agrees_with_the_cues(understander_e5, message: str) -> None:  # type: ignore[no-untyped-def]
    kinds = _beyond(understander_e5, message)
    assert "model" in kinds and len(kinds) > 1


@pytest.mark.parametrize("message", GENERAL)
def test_general_questions_in_the_first_person_are_not_beyond(
    understander_e5, message: str
) -> None:  # type: ignore[no-untyped-def]
    assert _beyond(understander_e5, message) == []


def test_an_own_record_question_goes_to_a_person_as_low_confidence(pipeline) -> None:  # type: ignore[no-untyped-def]
    reply = pipeline.handle(TurnRequest(message=MODEL_ONLY[1]))
    assert reply.route == "handoff"
    assert "low_confidence" in reply.reasons
    assert reply.citations == []


def test_the_model_file_records_its_blind_figures() -> None:
    spec = SignalModelFile.model_validate(
        json.loads((PROMPTS_DIR / "understanding" / "beyond_model.v1.json").read_text("utf-8"))
    )
    assert list(spec.labels) == ["beyond_documents"]
    assert spec.cross_validation["blind"]["answerable_alarms"] <= 0.02
    assert 0.5 <= spec.threshold < 1


def test_the_threshold_applies_to_the_mean_of_the_vector_and_the_text_part() -> None:
    spec = SignalModelFile.model_validate(
        json.loads((PROMPTS_DIR / "understanding" / "beyond_model.v1.json").read_text("utf-8"))
    )
    assert spec.text is not None and "beyond_documents" in spec.text.classes
    with_text, vector_only = SignalModel(spec), SignalModel(spec.model_copy(update={"text": None}))
    vector = [0.01] * len(spec.labels["beyond_documents"].weights)
    text = CalibratedLinear(spec.text).probability("我现在是c几")["beyond_documents"]
    mean = (vector_only.probabilities(vector, "我现在是c几")["beyond_documents"] + text) / 2
    assert with_text.probabilities(vector, "我现在是c几")["beyond_documents"] == pytest.approx(mean)
