"""Chinese or English. A CJK-share rule is enough for our two languages and costs microseconds;
a language-ID model would add a dependency and a model file for no gain here."""

from __future__ import annotations

from assistant.vocabulary import Language


def detect_language(text: str) -> Language:
    """`zh` as soon as Chinese characters carry a real share of the letters, else `en`."""
    sample = text[:2000]
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff")
    latin = sum(1 for ch in sample if ch.isascii() and ch.isalpha())
    if cjk == 0:
        return "en"
    # Chinese characters carry about as much as a whole English word each.
    return "zh" if cjk * 4 >= latin else "en"
