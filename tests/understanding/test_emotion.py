"""Emotion: angry and strongly anxious escalate (score ≥ 0.5); mild worry keeps a low score."""

from __future__ import annotations

import pytest

from assistant.understanding import Understander

# (message, label, a word or mark the evidence must name)
STRONG = [
    ("你们这帮骗子 还我钱", "angry", "骗子"),
    ("什么破app 垃圾", "angry", "垃圾"),
    ("再不处理我就去证监会告你们", "angry", "告你们"),
    ("到底什么时候到账!!!", "angry", "!!!"),
    ("WHERE IS MY REDEMPTION MONEY", "angry", "WHERE IS MY REDEMPTION MONEY"),
    ("you are all scammers", "angry", "scammers"),
    ("亏了一大半 我快崩溃了", "anxious", "崩溃"),
    ("急急急 赎回的钱明天要用", "anxious", "急急急"),
    ("急!!! 钱今天能到吗", "anxious", "!!!"),
    ("i can't sleep, the fund keeps dropping", "anxious", "can't sleep"),
    ("help, i think i lost everything", "anxious", "lost everything"),
]

MILD_WORRY = [
    "净值跌了有点担心 这正常吗",
    "暂停申购了 是不是出什么事了",
    "a little worried, is a 3% drop normal for this fund",
]


@pytest.mark.parametrize(("text", "label", "mark"), STRONG)
def test_strong_emotion_escalates_with_evidence(
    understander: Understander, text: str, label: str, mark: str
) -> None:
    emotion = understander.understand(text).emotion
    assert (emotion.label, emotion.score >= 0.5) == (label, True), emotion
    assert any(mark.lower() in e.text.lower() for e in emotion.evidence), emotion.evidence


@pytest.mark.parametrize("text", MILD_WORRY)
def test_mild_worry_is_anxious_with_a_low_score(understander: Understander, text: str) -> None:
    emotion = understander.understand(text).emotion
    assert emotion.label == "anxious"
    assert 0 < emotion.score < 0.5


@pytest.mark.parametrize(
    "text", ["太失望了 服务越来越差", "so disappointed with how slow this is", "唉 又没到账"]
)
def test_dissatisfaction_without_insults_is_negative(understander: Understander, text: str) -> None:
    assert understander.understand(text).emotion.label == "negative"


@pytest.mark.parametrize(
    "text", ["纯债A的申购费是多少", "how do I change my phone number", "滚动持有期是多久"]
)
def test_plain_question_is_neutral(understander: Understander, text: str) -> None:
    emotion = understander.understand(text).emotion
    assert emotion.label == "neutral"
    assert emotion.evidence == []


def test_fund_acronyms_in_capitals_are_not_shouting(understander: Understander) -> None:
    assert understander.understand("What is the NAV of the QDII ETF").emotion.label == "neutral"


def test_my_mother_is_not_an_insult(understander: Understander) -> None:
    emotion = understander.understand("我妈的养老钱亏了 怎么办怎么办").emotion
    assert emotion.label == "anxious"
