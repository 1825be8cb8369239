"""Follow-ups resolved by rules against the previous turn, with the fund catalog of the live
index: what carries over, and what stands alone."""

from __future__ import annotations

import pytest

from assistant.followup import FollowUpResolver


@pytest.mark.parametrize(
    ("previous", "text", "carried"),
    [
        ("领先成长A类的申购费是多少", "那C类呢？", "领先成长C类"),
        ("纯债A和C有啥区别", "我就放一年 哪个省", "纯债"),
        ("hotline number?", "weekend hours?", "hotline number?"),  # a short one keeps the topic
        ("csi 300 enhanced risk level?", "im C3, can i still buy it", "csi 300 enhanced"),
        (
            "pure bond class A redemption fee?",
            "and the subscription fee if i buy 2 million?",
            "pure bond",
        ),
        # naming what to ask about, not asking: the earlier question is asked of it
        ("交易密码要设几位", "那登录密码呢", "几位"),
        ("领先成长C类持有多久不收赎回费", "那A类持有一年半呢", "不收赎回费"),
    ],
)
def test_a_follow_up_carries_what_it_refers_to(
    components, previous: str, text: str, carried: str
) -> None:  # type: ignore[no-untyped-def]
    standalone = FollowUpResolver().resolve(text, previous, components.retriever.catalog)
    assert carried.lower() in standalone.lower(), standalone


@pytest.mark.parametrize(
    ("previous", "text"),
    [
        ("hotline number?", "how do I change the bank card linked to my account"),
        ("纯债赎回几天到账", "开户的时候需要准备哪些材料和证件"),
        ("纯债赎回几天到账", "领先成长A类的申购费是多少"),  # names its own fund
    ],
)
def test_a_new_question_stands_alone(components, previous: str, text: str) -> None:  # type: ignore[no-untyped-def]
    assert FollowUpResolver().resolve(text, previous, components.retriever.catalog) == text


@pytest.mark.parametrize(
    ("previous", "text", "topic", "not_carried"),
    [
        # asks its own question: the topic comes along, the earlier asking words do not
        ("定投最低投多少", "那扣款日赶上放假咋办", "定投", "多少"),
        ("销户需要什么条件", "那销户后钱退到哪", "销户需要", "什么"),
    ],
)
def test_a_follow_up_asking_its_own_question_carries_the_topic_only(
    components, previous: str, text: str, topic: str, not_carried: str
) -> None:  # type: ignore[no-untyped-def]
    standalone = FollowUpResolver().resolve(text, previous, components.retriever.catalog)
    assert topic in standalone and not_carried not in standalone, standalone
    assert standalone.endswith(text.removeprefix("那")), standalone


@pytest.mark.parametrize(
    ("previous", "text", "topic", "left_behind"),
    [
        ("纯债赎回几天到账", "领先成长也是这样吗", "赎回", "纯债"),
        (
            "pure bond class A redemption fee?",
            "is it the same for leading growth?",
            "redemption",
            "pure bond",
        ),
    ],
)
def test_another_fund_asked_the_same_takes_the_topic_not_the_fund(
    components, previous: str, text: str, topic: str, left_behind: str
) -> None:  # type: ignore[no-untyped-def]
    standalone = FollowUpResolver().resolve(text, previous, components.retriever.catalog)
    assert standalone.startswith(text), standalone
    assert topic in standalone.lower() and left_behind not in standalone.lower(), standalone


def test_a_follow_up_naming_another_fund_leaves_the_earlier_one_behind_whatever_its_case(
    components,
) -> None:  # type: ignore[no-untyped-def]
    """The catalog spots 'pure bond' as its alias however it is written; taking it out of the
    earlier question must not depend on the case either."""
    standalone = FollowUpResolver().resolve(
        "what about leading growth?",
        "pure bond class A redemption fee?",
        components.retriever.catalog,
    )
    assert "leading growth" in standalone.lower() and "pure bond" not in standalone.lower()
    assert "redemption fee" in standalone.lower(), standalone


@pytest.mark.parametrize(
    ("previous", "text", "left_behind"),
    [
        ("领先成长C类持有多久不收赎回费", "那A类持有一年半呢", "C类"),  # the class named now
        ("定投最低投多少", "那扣款日赶上放假咋办", "多少"),  # 咋办 asks its own question
    ],
)
def test_a_follow_up_leaves_behind_what_it_replaces(
    components, previous: str, text: str, left_behind: str
) -> None:  # type: ignore[no-untyped-def]
    standalone = FollowUpResolver().resolve(text, previous, components.retriever.catalog)
    assert left_behind not in standalone, standalone
