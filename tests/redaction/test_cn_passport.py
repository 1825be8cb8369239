"""CnPassportRecognizer: E/G numbers alone; official-passport shapes only in context."""

from __future__ import annotations

import pytest

from assistant.redaction.recognizers.cn_passport import CnPassportRecognizer

CASES = [
    ("我的护照号E12345678", ["E12345678"]),
    ("E12345678", ["E12345678"]),
    ("护照EA1234567谢谢", ["EA1234567"]),
    ("passport no. G12345678", ["G12345678"]),
    ("护照号码：DE1234567", ["DE1234567"]),
    ("my passport is P1234567", ["P1234567"]),
    # hard negatives
    ("DE1234567", []),
    ("P1234567", []),
    ("e12345678", []),
    ("E1234567", []),
    ("E123456789", []),
    ("EI1234567", []),
    ("护照E00000000", []),
    ("订单号E12345678", []),
    ("基金代码161610", []),
]


@pytest.fixture(scope="module")
def find(finder):
    return finder(CnPassportRecognizer)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_passport_spans(find, text: str, expected: list[str]) -> None:
    assert find(text) == expected
