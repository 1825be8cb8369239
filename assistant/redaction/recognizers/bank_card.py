"""Bank card numbers (银行卡号): debit and credit cards, including 19-digit UnionPay.

Format: ISO/IEC 7812-1 — a 6–8 digit issuer identification number (IIN), the account
number and a Luhn (mod 10) check digit; 16–19 digits in total. China UnionPay cards start
with 62 and are mostly 19 digits (presidio's built-in credit-card pattern misses them);
Chinese banks also issue Visa (4), Mastercard (51–55, 2221–2720), JCB (35) and a few
legacy 9-prefixed debit cards (e.g. ICBC 9558…). Numbers with any other first digit
(timestamps such as 2026112015304567 start with 20) are not cards.

Accepted forms: unbroken, or in groups of four separated by spaces or dashes
(``6222 0212 3456 7890 123``). A number failing Luhn is not masked even after 银行卡号:
the label cannot make a mistyped or made-up number a real card, and precision matters.
"""

from __future__ import annotations

from assistant.redaction.recognizers.base import (
    DIGIT_END,
    DIGIT_START,
    MEDIUM,
    BasePatternRecognizer,
)


def luhn_is_valid(digits: str) -> bool:
    """The Luhn (mod 10) check over a digit string, check digit last."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _issuer_is_plausible(digits: str) -> bool:
    if digits[0] in "34569":
        return True
    return len(digits) == 16 and 2221 <= int(digits[:4]) <= 2720


def is_valid_bank_card(value: str) -> bool:
    """16–19 digits, a plausible issuer prefix, not one repeated digit, and Luhn."""
    digits = "".join(ch for ch in value if ch.isdigit())
    return (
        16 <= len(digits) <= 19
        and _issuer_is_plausible(digits)
        and len(set(digits)) > 1
        and luhn_is_valid(digits)
    )


class BankCardRecognizer(BasePatternRecognizer):
    """Card numbers that pass the issuer-prefix and Luhn checks."""

    ENTITY = "BANK_CARD"
    PATTERNS = (
        ("bank_card_plain", DIGIT_START + r"\d{16,19}" + DIGIT_END, MEDIUM),
        (
            "bank_card_grouped",
            DIGIT_START + r"\d{4}(?:[ -]\d{4}){3}(?:[ -]\d{1,3})?" + DIGIT_END,
            MEDIUM,
        ),
    )
    CONTEXT = ("银行卡", "卡号", "储蓄卡", "借记卡", "信用卡", "银联", "账号", "card", "account")

    def validate_result(self, pattern_text: str) -> bool:
        """Issuer prefix and Luhn; a failing number is not masked."""
        return is_valid_bank_card(pattern_text)
