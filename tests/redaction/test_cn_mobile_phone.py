"""CnMobilePhoneRecognizer: 1[3-9]x 11-digit mobiles in every common spelling; no others."""

from __future__ import annotations

import pytest

from assistant.redaction.recognizers.cn_mobile_phone import CnMobilePhoneRecognizer

CASES = [
    ("13812345678", ["13812345678"]),
    ("我的手机13812345678谢谢", ["13812345678"]),
    ("手机号:138 1234 5678", ["138 1234 5678"]),
    ("电话 138-1234-5678。", ["138-1234-5678"]),
    ("+86 13812345678", ["+86 13812345678"]),
    ("+8613812345678", ["+8613812345678"]),
    ("0086 138 1234 5678", ["0086 138 1234 5678"]),
    ("86-19912345678", ["86-19912345678"]),
    ("(+86)13812345678", ["(+86)13812345678"]),
    ("My phone is 19912345678.", ["19912345678"]),
    ("打15012345678或者16612345678", ["15012345678", "16612345678"]),
    # hard negatives
    ("12812345678", []),
    ("1381234567", []),
    ("138123456789", []),
    ("2026112013812345678", []),
    ("客服热线400-883-8088", []),
    ("4008838088", []),
    ("12378", []),
    ("95105", []),
    ("订单号13812345678", []),
    ("交易流水号 13812345678", []),
    ("verification code: 13812345678", []),
    ("金额13812345678元", []),
    ("13812345678.5", []),
    ("基金161610，2026-11-20 15:00，验证码 123456", []),
]


@pytest.fixture(scope="module")
def find(finder):
    return finder(CnMobilePhoneRecognizer)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_mobile_phone_spans(find, text: str, expected: list[str]) -> None:
    assert find(text) == expected
