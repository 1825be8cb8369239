"""People's Republic of China passport numbers (护照号码).

Format: numbers printed on PRC passports (National Immigration Administration):
ordinary e-passports since 2012 are ``E`` + 8 digits and, since the E-digit range ran out
in 2017, ``E`` + a letter (not I or O) + 7 digits (``EA1234567``); ordinary passports of
2006–2012 are ``G`` + 8 digits. Diplomatic, service and official passports are
``DE``/``SE``/``PE`` + 7 digits (older ``D``/``S``/``P`` + 7).

``E``/``G`` numbers are distinctive enough to mask alone; the official-passport shapes look
like many other codes, so they are masked only with a context word (护照, passport).
Letters must be upper case.
"""

from __future__ import annotations

from assistant.redaction.recognizers.base import (
    DIGIT_END,
    DIGIT_START,
    MEDIUM,
    WEAK,
    BasePatternRecognizer,
)


class CnPassportRecognizer(BasePatternRecognizer):
    """PRC passport numbers; the weaker shapes need a passport context word."""

    ENTITY = "PASSPORT"
    PATTERNS = (
        (
            "cn_passport_ordinary",
            DIGIT_START + r"(?:E(?:\d{8}|[A-HJ-NP-Z]\d{7})|G\d{8})" + DIGIT_END,
            MEDIUM,
        ),
        ("cn_passport_official", DIGIT_START + r"[DSP]E?\d{7}" + DIGIT_END, WEAK),
    )
    CONTEXT = ("护照", "passport", "出境", "出国")

    def invalidate_result(self, pattern_text: str) -> bool:
        """A run of one repeated digit (E00000000) is a placeholder, not a passport."""
        return len(set(pattern_text.lstrip("DEGPS"))) == 1
