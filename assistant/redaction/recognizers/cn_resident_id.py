"""Mainland China resident identity card number (居民身份证号码).

Format: GB 11643-1999 "Citizen identification number": a 6-digit address code
(GB/T 2260; the first two digits are the province), an 8-digit birth date YYYYMMDD,
a 3-digit sequence code and a check character computed with ISO 7064 MOD 11-2
(weights 2^(17-i) mod 11; a check value of 10 is written ``X``).

Separators: the number is printed unbroken on the card, but people who copy it from forms
often group it as 6-8-4 (``110101 19900307 123X``); that single grouping, with spaces or
dashes, is accepted. Other groupings are not, to keep random digit runs out.
The old 15-digit numbers (pre-1999, all replaced by 2013) are not recognised.
"""

from __future__ import annotations

from datetime import date

from assistant.redaction.recognizers.base import (
    DIGIT_END,
    DIGIT_START,
    MEDIUM,
    BasePatternRecognizer,
)

# fmt: off
PROVINCE_CODES = frozenset([
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36",
    "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62",
    "63", "64", "65", "71", "81", "82", "83",
])
# fmt: on
_WEIGHTS = tuple(2 ** (17 - i) % 11 for i in range(17))
_CHECK_CHARS = "10X98765432"


def id_check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    return _CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def _birth_date_is_valid(yyyymmdd: str, today: date) -> bool:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= today


def is_valid_resident_id(value: str, today: date | None = None) -> bool:
    """Province code, a real past birth date and the check character all hold."""
    number = "".join(ch for ch in value if ch.isalnum()).upper()
    if len(number) != 18 or not number[:17].isdigit():
        return False
    return (
        number[:2] in PROVINCE_CODES
        and _birth_date_is_valid(number[6:14], today or date.today())
        and id_check_char(number[:17]) == number[17]
    )


class CnResidentIdRecognizer(BasePatternRecognizer):
    """Resident ID numbers whose region, birth date and check digit are all valid."""

    ENTITY = "CN_ID_CARD"
    PATTERNS = (
        (
            "cn_resident_id",
            DIGIT_START + r"[1-8]\d{5}[ -]?(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
            r"[ -]?\d{3}[0-9Xx]" + DIGIT_END,
            MEDIUM,
        ),
    )
    CONTEXT = ("身份证", "证件", "身份", "公民", "identity", "resident")

    def validate_result(self, pattern_text: str) -> bool:
        """Checksum, birth date and province code; a failing number is not masked."""
        return is_valid_resident_id(pattern_text)
