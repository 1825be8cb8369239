"""Hong Kong / Macau travel permits.

Formats (National Immigration Administration; HK Immigration Department):

* 往来港澳通行证 (Exit-Entry Permit for Travelling to and from Hong Kong and Macao, held by
  mainland residents): the card type issued since 2014 is ``C`` + 8 characters (``C`` + 8
  digits, later ``C`` + a letter + 7 digits); the old booklet was ``W`` + 8 digits.
* 港澳居民来往内地通行证 (回乡证, Mainland Travel Permit for HK and Macao Residents):
  ``H`` (Hong Kong) or ``M`` (Macao) + 8 digits on the 2013 card; the older card printed
  ``H``/``M`` + 10 digits (8 + a 2-digit issue count).

A letter and eight digits is a common shape for codes of all kinds, so every form here is
masked only with a context word (通行证, 港澳, 回乡证, permit) nearby.
"""

from __future__ import annotations

from assistant.redaction.recognizers.base import (
    DIGIT_END,
    DIGIT_START,
    WEAK,
    BasePatternRecognizer,
)


class HkMacauPermitRecognizer(BasePatternRecognizer):
    """Permit numbers for travel between the mainland and Hong Kong/Macau, in context."""

    ENTITY = "HK_MACAU_PERMIT"
    PATTERNS = (
        ("two_way_permit", DIGIT_START + r"(?:C[0-9A-HJ-NP-Z]\d{7}|W\d{8})" + DIGIT_END, WEAK),
        ("home_return_permit", DIGIT_START + r"[HM]\d{8}(?:\d{2})?" + DIGIT_END, WEAK),
    )
    CONTEXT = (
        "通行证",
        "港澳",
        "回乡证",
        "回乡卡",
        "来往内地",
        "往来港澳",
        "permit",
    )
