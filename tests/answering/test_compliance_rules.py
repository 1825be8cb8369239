"""The banned-claim rules on their own: promises are caught, truthful denials and quoted
names of a forbidden promise are not."""

from __future__ import annotations

import pytest

from assistant.compliance import ComplianceChecker
from assistant.prompts import PromptLibrary

CLAIMS = [
    "这只基金保本，放心买",
    "保证收益8%",
    "买了稳赚",
    "this fund offers guaranteed returns",
    "it is risk-free",
]
NOT_CLAIMS = [
    "融通基金目前在售的基金都不保本，也不保证收益。",
    "任何以“保本”“保收益”“稳赚不赔”为名推销基金的，都违反相关规定。",
    "以「保本」为名的宣传都不可信",
    "returns are not guaranteed",
]


@pytest.fixture(scope="module")
def checker() -> ComplianceChecker:
    return ComplianceChecker(PromptLibrary())


@pytest.mark.parametrize("text", CLAIMS)
def test_a_promise_of_returns_is_caught(checker: ComplianceChecker, text: str) -> None:
    assert checker.banned_claims(text)


@pytest.mark.parametrize("text", NOT_CLAIMS)
def test_a_denial_or_a_quoted_name_is_not_a_claim(checker: ComplianceChecker, text: str) -> None:
    assert checker.banned_claims(text) == []


@pytest.mark.parametrize(
    ("messages", "level"),
    [
        (["我测评是稳健型"], "C2"),
        (["我是平衡型的 能买啥"], "C3"),
        (["im C3, can i still buy it"], "C3"),
        (["my risk level is C4"], "C4"),
        (["I'm a conservative investor"], "C1"),
        (["能买领先成长吗", "我测评是进取型"], "C5"),  # said in an earlier turn
        (["我现在是C4了", "我是C2"], "C4"),  # the latest statement wins
        (["领先成长C类费率多少"], None),  # a share class, not a category
        (["I'm interested in leading growth class C"], None),
        (["C3能买哪些产品"], None),  # asks about a category, does not state one
    ],
)
def test_the_category_a_client_states_in_chat(
    checker: ComplianceChecker, messages: list[str], level: str | None
) -> None:
    assert checker.stated_level(messages) == level
