"""Mainland China landline numbers (座机/固定电话).

Format: the MIIT numbering plan: trunk prefix 0, an area code (010 and 02x are followed by
8-digit local numbers; 0xxx by 7 or 8), local numbers never start with 0 or 1; written as
``010-12345678``, ``(021) 6234 5678``, ``0755 1234567``, or internationally as
``+86 10 1234 5678``. An extension (``转801``, ``-801``) stays outside the span: once the
number is masked it identifies no one (evals/datasets/pii.jsonl labels it the same way).

Service numbers 400-xxx-xxxx and 800-xxx-xxxx have no trunk 0 and are never matched; the
company hotline is also on the allow list. An unbroken ``02162345678`` looks like any other
digit run, so that form needs a context word (电话, 座机, tel) before it is masked.
"""

from __future__ import annotations

from assistant.redaction.recognizers.base import (
    DIGIT_END,
    DIGIT_START,
    MEDIUM,
    WEAK,
    BasePatternRecognizer,
)

_AREA_3 = r"(?:10|2\d)"  # followed by an 8-digit local number
_AREA_4 = r"[3-9]\d{2}"  # followed by a 7- or 8-digit local number
_LOCAL_8 = r"[2-9]\d{3}[ -]?\d{4}"
_LOCAL_7_8 = r"[2-9]\d{2,3}[ -]?\d{4}"
_SEP = r"(?:[ -]|\s*[)）]\s*)"


def _local(area_sep: str) -> str:
    return rf"(?:{_AREA_3}{area_sep}{_LOCAL_8}|{_AREA_4}{area_sep}{_LOCAL_7_8})"


class CnLandlinePhoneRecognizer(BasePatternRecognizer):
    """Landline numbers with an area code; never 400/800 hotlines."""

    ENTITY = "PHONE_NUMBER"
    PATTERNS = (
        (
            "cn_landline_separated",
            DIGIT_START + r"(?:[(（]\s*)?0" + _local(_SEP) + DIGIT_END,
            MEDIUM,
        ),
        (
            "cn_landline_international",
            r"(?<![0-9A-Za-z+])(?:\+|00)86[ -]?(?:\(0\))?" + _local("[ -]?") + DIGIT_END,
            MEDIUM,
        ),
        ("cn_landline_unbroken", DIGIT_START + "0" + _local("") + DIGIT_END, WEAK),
    )
    CONTEXT = ("电话", "座机", "固话", "办公室", "联系方式", "致电", "phone", "tel", "landline")
