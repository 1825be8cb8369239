"""BankCardRecognizer: Luhn-valid cards (incl. 19-digit UnionPay) masked; all else not."""

from __future__ import annotations

import pytest

from assistant.redaction.recognizers.bank_card import BankCardRecognizer
from tests.redaction.conftest import luhn_ok, with_check_digit


def with_wrong_check_digit(partial: str) -> str:
    """``partial`` plus a digit that makes it fail Luhn."""
    return next(partial + d for d in "0123456789" if not luhn_ok(partial + d))


def grouped(number: str, sep: str = " ") -> str:
    return sep.join(number[i : i + 4] for i in range(0, len(number), 4))


UNIONPAY_19 = with_check_digit("621700123456789012")
UNIONPAY_16 = with_check_digit("622848001234567")
VISA_16 = with_check_digit("436742001234567")
MASTERCARD_2 = with_check_digit("222100001234567")
BAD_LUHN_19 = with_wrong_check_digit("621700123456789012")
BAD_LUHN_16 = with_wrong_check_digit("622848001234567")
ORDER_LIKE = with_check_digit("6226112015304567")  # 17 digits, Luhn-valid, 62-prefixed
TIMESTAMP = with_check_digit("2026112015304567")  # 17 digits starting 20: not an issuer

CASES = [
    (f"我的银行卡号是{UNIONPAY_19}谢谢", [UNIONPAY_19]),
    (f"卡号{UNIONPAY_16}", [UNIONPAY_16]),
    (f"card {VISA_16}", [VISA_16]),
    (f"信用卡 {MASTERCARD_2}", [MASTERCARD_2]),
    (f"银行卡 {grouped(UNIONPAY_19)}", [grouped(UNIONPAY_19)]),
    (f"银行卡 {grouped(UNIONPAY_16, '-')}", [grouped(UNIONPAY_16, "-")]),
    (UNIONPAY_19, [UNIONPAY_19]),
    # hard negatives
    (f"银行卡号{BAD_LUHN_19}", []),
    (f"银行卡号 {grouped(BAD_LUHN_16)}", []),
    (f"订单号{ORDER_LIKE}", []),
    (f"交易流水号：{ORDER_LIKE}", []),
    (f"order no. {ORDER_LIKE}", []),
    (TIMESTAMP, []),
    ("订单号 20261120153045678", []),
    (f"{UNIONPAY_19}0", []),
    (UNIONPAY_19[:15], []),
    (f"{UNIONPAY_16}元", []),
    ("0000000000000000", []),
    ("基金代码002001，金额5万，净值1.0862，涨幅3.5%", []),
]


@pytest.fixture(scope="module")
def find(finder):
    return finder(BankCardRecognizer)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_bank_card_spans(find, text: str, expected: list[str]) -> None:
    assert find(text) == expected
