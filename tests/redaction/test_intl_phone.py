"""IntlPhoneRecognizer: Hong Kong, Macau, Taiwan and international numbers; no mainland or
business numbers."""

from __future__ import annotations

import pytest

from assistant.redaction import Redactor
from assistant.redaction.recognizers.intl_phone import IntlPhoneRecognizer

CASES = [
    # Hong Kong
    ("我香港的电话+852 6387 2914", ["+852 6387 2914"]),
    ("+85263872914", ["+85263872914"]),
    ("(852) 2345-6789 是公司座机", ["(852) 2345-6789"]),
    ("（+852）9123 4567", ["（+852）9123 4567"]),
    ("00852 63872914", ["00852 63872914"]),
    ("852-6387-2914", ["852-6387-2914"]),
    ("香港手机 6387 2914", ["6387 2914"]),
    ("my HK phone: 9123-4567", ["9123-4567"]),
    # Macau
    ("澳门号码+853 6612 3456", ["+853 6612 3456"]),
    ("+853 2856 1234", ["+853 2856 1234"]),
    ("00853-66123456", ["00853-66123456"]),
    # Taiwan
    ("台湾手机+886 912 345 678", ["+886 912 345 678"]),
    ("+886-2-2345-6789", ["+886-2-2345-6789"]),
    ("+886 (0)912345678", ["+886 (0)912345678"]),
    ("我的手机0912-345-678", ["0912-345-678"]),
    ("0912345678", ["0912345678"]),
    ("台湾的电话 02-2345-6789", ["02-2345-6789"]),
    # elsewhere
    ("call me at +1 (415) 555-0132", ["+1 (415) 555-0132"]),
    ("+44 20 7946 0958", ["+44 20 7946 0958"]),
    ("0044 20 7946 0958", ["0044 20 7946 0958"]),
    ("新加坡+65 9123 4567谢谢", ["+65 9123 4567"]),
    ("+61412345678", ["+61412345678"]),
    # hard negatives
    ("+86 13812345678", []),  # the mainland recognizer's
    ("+86 400 883 8088", []),
    ("6387 2914", []),  # no context
    ("20261120", []),
    ("2026-1120", []),
    ("申购6387 2914元", []),
    ("+5%", []),
    ("基金代码000001，净值1.0862", []),
    ("订单号 0912345678", []),
    ("+1 555", []),
    ("基金002001 161610 和 000001 110022", []),
    ("2026-11-20 15:00", []),
    ("客服热线400-883-8088", []),
]


@pytest.fixture(scope="module")
def find(finder):
    return finder(IntlPhoneRecognizer)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_intl_phone_spans(find, text: str, expected: list[str]) -> None:
    assert find(text) == expected


@pytest.mark.parametrize(
    "text",
    ["香港客户请拨打+852 6387 2914", "Tel +1 (415) 555-0132 please", "台湾 0912-345-678"],
)
def test_whole_redactor_masks_them(redactor: Redactor, text: str) -> None:
    masked = redactor.redact(text).text
    assert "<PHONE_NUMBER>" in masked
    assert not any(ch.isdigit() for ch in masked)


def test_allow_listed_number_stays(nlp_engine) -> None:
    from assistant.settings import RedactionSettings

    custom = Redactor(RedactionSettings(allow_list=["+852 2345 6789"]), nlp_engine=nlp_engine)
    text = "香港办事处+852 2345 6789，我的+852 6387 2914"
    assert custom.redact(text).text == "香港办事处+852 2345 6789，我的<PHONE_NUMBER>"
