"""Intent: the topic of the message, decided by signals first, then cues and seed examples."""

from __future__ import annotations

import pytest

from assistant.understanding import Understander

CASES = [
    ("领先成长A的管理费是多少", "product"),
    ("what is the risk level of the bond fund", "product"),
    ("赎回以后几天到账", "transaction"),
    ("how do I set up a monthly SIP", "transaction"),
    ("手机号换了怎么改", "account"),
    ("I forgot my login password", "account"),
    ("app一打开就闪退", "technical"),
    ("the verification code never arrives", "technical"),
    ("投诉流程是什么", "complaint"),
    ("客服热线是多少", "other"),
]


@pytest.mark.parametrize(("text", "intent"), CASES)
def test_intent_by_rules(understander: Understander, text: str, intent: str) -> None:
    result = understander.understand(text)
    assert result.intent == intent, result.intent_evidence
    assert result.intent_evidence


def test_a_complaint_is_the_complaint_intent_whatever_its_topic(
    understander: Understander,
) -> None:
    result = understander.understand("换卡申请一个礼拜了还没好 太慢了")
    assert result.intent == "complaint"


def test_out_of_scope_is_other(understander: Understander) -> None:
    assert understander.understand("比特币明天会涨吗").intent == "other"


def test_a_follow_up_inherits_the_previous_topic_at_a_discount(
    understander: Understander,
) -> None:
    alone = understander.understand("那C类呢")
    followed = understander.understand("那C类呢", history=["纯债A类的申购费是多少"])
    assert followed.intent == "product"
    assert followed.intent_score < understander.understand("纯债A类的申购费是多少").intent_score
    assert alone.intent in ("product", "other")


def test_language_comes_from_the_shared_detector(understander: Understander) -> None:
    assert understander.understand("赎回几天到账").language == "zh"
    assert understander.understand("when will my redemption arrive").language == "en"
