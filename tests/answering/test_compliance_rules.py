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
