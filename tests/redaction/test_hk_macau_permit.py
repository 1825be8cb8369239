"""HkMacauPermitRecognizer: permit numbers only with a permit context word."""

from __future__ import annotations

import pytest

from assistant.redaction.recognizers.hk_macau_permit import HkMacauPermitRecognizer

CASES = [
    ("我的港澳通行证号是C12345678", ["C12345678"]),
    ("往来港澳通行证CA1234567", ["CA1234567"]),
    ("回乡证H12345678", ["H12345678"]),
    ("回乡证号码 M1234567890", ["M1234567890"]),
    ("Home Return Permit: H87654321", ["H87654321"]),
    ("W12345678 是我以前的通行证", ["W12345678"]),
    # hard negatives
    ("C12345678", []),
    ("H12345678", []),
    ("订单号C12345678，通行证还在办", []),
    ("通行证CI1234567", []),
    ("通行证C1234567", []),
    ("通行证H123456789", []),
    ("港澳基金代码161610", []),
]


@pytest.fixture(scope="module")
def find(finder):
    return finder(HkMacauPermitRecognizer)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_permit_spans(find, text: str, expected: list[str]) -> None:
    assert find(text) == expected
