"""Phone numbers outside the mainland's plan: Hong Kong, Macau, Taiwan and international.

Overseas and Greater Bay Area clients give these; none match the mainland recognizers.

Formats (ITU-T E.164: country code, then at most 15 digits in all; national plans of OFCA,
DSRT and the NCC):

* Hong Kong, +852: 8 digits, mobile from 5/6/7/9, fixed from 2/3 (``+852 6387 2914``,
  ``(852) 2345-6789``, ``00852 63872914``);
* Macau, +853: 8 digits, mobile 6xxx xxxx, fixed 28xx xxxx;
* Taiwan, +886: mobile ``9xx xxx xxx`` (written at home as ``09xx-xxx-xxx``), fixed lines
  an area code 2–8 and 7–8 digits (``+886 2 2345 6789``, at home ``02-2345-6789``);
* any other country, written with ``+`` or ``00`` and the country code: 8–15 digits in all
  (``+1 (415) 555-0132``, ``0044 20 7946 0958``). +86 is the mainland recognizers' business:
  a +86 number that is neither a mobile nor a landline (+86 400…) is a service line.

Bare 8-digit Hong Kong / Macau numbers (6387 2914) look like dates and codes, so without the
country code they are masked only in the 4-4 form with a context word nearby (香港, 电话, phone).
The company's own hotlines and the regulator's numbers are on the redactor's allow list.
"""

from __future__ import annotations

import regex as re

from assistant.redaction.recognizers.base import (
    DIGIT_END,
    DIGIT_START,
    MEDIUM,
    WEAK,
    BasePatternRecognizer,
)

_PLUS_START = r"(?<![0-9A-Za-z+])"


def _country(code: str) -> str:
    """``+852``, ``00852``, ``(+852)``, ``（852）``, ``852-`` before the national number."""
    return rf"(?:[(（]\s*(?:\+|00)?{code}\s*[)）]|(?:\+|00)?{code})[ -]?"


_HK_MO_LOCAL = r"\d{4}[ -]?\d{4}"
_TW_MOBILE = r"9\d{2}[ -]?\d{3}[ -]?\d{3}"
_TW_FIXED = r"[2-8]\d?[ -]?\d{3,4}[ -]?\d{4}"
_INTL = r"(?:\+|00)[1-9]\d{0,2}(?:[ -]?[(（]?\d{1,5}[)）]?){2,5}"
_DIGITS = re.compile(r"\d")
_INTL_PREFIX = re.compile(r"[(（]?\s*(?:\+|00)(\d+)")
_FUND_CODE_FIRST = re.compile(r"\d{6}(?!\d)")
_OTHER_86 = ("852", "853", "886")


class IntlPhoneRecognizer(BasePatternRecognizer):
    """Hong Kong, Macau and Taiwan numbers, and any number with a foreign country code."""

    ENTITY = "PHONE_NUMBER"
    PATTERNS = (
        (
            "hk_phone",
            _PLUS_START + _country("852") + r"[235679]\d{3}[ -]?\d{4}" + DIGIT_END,
            MEDIUM,
        ),
        (
            "macau_phone",
            _PLUS_START + _country("853") + r"(?:6\d|28)\d{2}[ -]?\d{4}" + DIGIT_END,
            MEDIUM,
        ),
        (
            "taiwan_phone",
            _PLUS_START + _country("886") + rf"(?:\(0\))?(?:{_TW_MOBILE}|{_TW_FIXED})" + DIGIT_END,
            MEDIUM,
        ),
        (
            "taiwan_mobile_domestic",
            DIGIT_START + r"09\d{2}[ -]?\d{3}[ -]?\d{3}" + DIGIT_END,
            MEDIUM,
        ),
        ("taiwan_fixed_domestic", DIGIT_START + r"0[2-8]-\d{3,4}-\d{4}" + DIGIT_END, WEAK),
        ("international", _PLUS_START + _INTL + DIGIT_END, MEDIUM),
        ("hk_macau_bare", DIGIT_START + r"[25-9]\d{3}[ -]\d{4}" + DIGIT_END, WEAK),
    )
    CONTEXT = (
        "电话",
        "手机",
        "号码",
        "联系",
        "致电",
        "香港",
        "澳门",
        "台湾",
        "电话号码",
        "whatsapp",
        "phone",
        "mobile",
        "tel",
        "call",
    )

    def invalidate_result(self, pattern_text: str) -> bool:
        """Not E.164-sized (8–15 digits with the country code), or +86: the mainland's."""
        return not self._plausible(pattern_text)

    @staticmethod
    def _plausible(pattern_text: str) -> bool:
        digits = len(_DIGITS.findall(pattern_text))
        prefix = _INTL_PREFIX.match(pattern_text)
        if prefix is None:
            return True  # a domestic form, its length fixed by the pattern
        country = prefix.group(1)
        if country.startswith("86") and not country.startswith(_OTHER_86):
            return False
        if pattern_text.lstrip("(（ ").startswith("00"):
            if _FUND_CODE_FIRST.match(pattern_text):
                return False  # 002001 161610: two fund codes, not 00 + a country code
            digits -= 2
        return 8 <= digits <= 15
