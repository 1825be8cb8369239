"""The learned signal model beside the cues, with the real e5 embedder: it adds signals the
cues miss, leaves calm questions quiet, and stays off for an embedder it was not trained with."""

from __future__ import annotations

import pytest

from assistant.understanding import Understander
from assistant.understanding.signal_model import SignalModel
from tests.understanding.conftest import RULES_DIR, escalations


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("机器人走开 我要人", "human_requested"),
        ("要不要把通利纯债全部赎回，换成沪深300增强？", "advice_request"),
        (
            "I'm 45 with 200k saved, what's the best mix of your funds for retirement?",
            "advice_request",
        ),
    ],
)
def test_the_model_fires_what_the_cues_miss(
    understander: Understander, understander_e5: Understander, text: str, signal: str
) -> None:
    assert signal not in understander.understand(text).signal_names  # the cues alone
    fired = {s.name: s for s in understander_e5.understand(text).signals}
    assert signal in fired
    assert any(e.kind == "model" for e in fired[signal].evidence)


@pytest.mark.parametrize(
    "text",
    ["投诉电话是多少", "人工客服几点上班", "保本基金是什么意思", "how do I file a complaint"],
)
def test_calm_questions_stay_quiet(understander_e5: Understander, text: str) -> None:
    assert escalations(understander_e5.understand(text)) == set()


def test_the_model_is_off_for_another_embedder() -> None:
    assert SignalModel.load(RULES_DIR / "signal_model.v1.json", "all-MiniLM-L6-v2") is None


def test_the_model_version_is_recorded_only_when_it_is_used(
    understander: Understander, understander_e5: Understander
) -> None:
    assert "signal-model" in understander_e5.understand("转人工").rules_version
    assert "signal-model" not in understander.understand("转人工").rules_version
