"""CnLandlinePhoneRecognizer: area-coded landlines; never 400/800 service numbers."""

from __future__ import annotations

import pytest

from assistant.redaction.recognizers.cn_landline_phone import CnLandlinePhoneRecognizer

CASES = [
    ("010-62345678", ["010-62345678"]),
    ("电话：021-62345678", ["021-62345678"]),
    ("(021)62345678", ["(021)62345678"]),
    ("（021）6234 5678", ["（021）6234 5678"]),
    ("公司座机0755-86001234", ["0755-86001234"]),
    ("0755 8600123", ["0755 8600123"]),
    ("0755-86001234转801", ["0755-86001234"]),
    ("0755-86001234-801", ["0755-86001234"]),
    ("(0755)7231 1708 转8021 找我", ["(0755)7231 1708"]),
    ("tel +86 10 6234 5678", ["+86 10 6234 5678"]),
    ("座机02162345678", ["02162345678"]),
    # hard negatives
    ("02162345678", []),
    ("010-12345678", []),
    ("客服热线400-883-8088", []),
    ("400 883 8088", []),
    ("800-820-8820", []),
    ("4008838088", []),
    ("12378", []),
    ("2026-11-20", []),
    ("基金代码002001，净值1.0862", []),
    ("15:00前", []),
    ("订单号 0755-86001234", []),
]


@pytest.fixture(scope="module")
def find(finder):
    return finder(CnLandlinePhoneRecognizer)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_landline_phone_spans(find, text: str, expected: list[str]) -> None:
    assert find(text) == expected
