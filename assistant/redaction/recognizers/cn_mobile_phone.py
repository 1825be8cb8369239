"""Mainland China mobile phone numbers (手机号).

Format: the MIIT numbering plan (电信网编号计划): 11 digits, ``1`` then a network digit
3–9 (13x–19x), written unbroken or as 3-4-4 with spaces or dashes, optionally after the
country code +86 / 0086 / 86 (ITU-T E.164). 400/800 service numbers and the regulator's
12378 are not mobile numbers by construction (wrong first digits or length).
"""

from __future__ import annotations

from assistant.redaction.recognizers.base import DIGIT_END, BasePatternRecognizer

# A bare 1[3-9]x 11-digit number in a customer message is a phone far more often than not,
# so it is masked without a context word.
MOBILE_SCORE = 0.6

_COUNTRY = r"(?:[(（]\s*(?:\+|00)?86\s*[)）]\s*|(?:\+|00)?86[ -]?)?"


class CnMobilePhoneRecognizer(BasePatternRecognizer):
    """11-digit mainland mobile numbers with optional country code and separators."""

    ENTITY = "PHONE_NUMBER"
    PATTERNS = (
        (
            "cn_mobile",
            r"(?<![0-9A-Za-z+])" + _COUNTRY + r"1[3-9]\d(?:[ -]?\d{4}){2}" + DIGIT_END,
            MOBILE_SCORE,
        ),
    )
    CONTEXT = ("手机", "电话", "联系方式", "号码", "致电", "短信", "微信", "mobile", "phone", "tel")
