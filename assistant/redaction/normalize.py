"""Text normalised for detection, with a map back to the original offsets.

Why: a phone or ID number written with a zero-width space (138\u200b1234\u200b5678), a word
joiner, a soft hyphen, an ideographic space or full-width digits (１３８…) reads the same to a
person and to an LLM, but no digit pattern matches it. Detection therefore runs on a folded
copy of the message, and every finding is mapped back to the original characters, so the span
that is masked covers the whole obfuscated value, invisible characters included: what is
stored never holds the value in any spelling.

Folding, character by character (so each folded character knows where it came from):

* format characters (Unicode category Cf: zero-width space/joiner/non-joiner, word joiner
  U+2060, soft hyphen U+00AD, direction marks and embeddings, BOM), variation selectors and
  the combining grapheme joiner are dropped;
* every character with a compatibility decomposition is replaced by its NFKC form: full-width
  digits, letters, ``@``, ``+`` and punctuation become ASCII, the ideographic space and other
  Unicode spaces become a space, mathematical and circled digits become digits;
* any other decimal digit (Arabic-Indic ٣, Devanagari ३, …) becomes its ASCII digit;
* dash-like characters (‐ ‑ ‒ – − ﹣ －) become ``-``, the separator the patterns know;
* an ideographic space between two ASCII letters, digits or ``@._+-`` is dropped: between
  Latin characters it is never typography, only a way to split a value (1391　2345　678).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

_DROPPED_EXTRA = frozenset({"\u034f", "\u180e", *map(chr, range(0xFE00, 0xFE10))})
_LATIN = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ@._+-")
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2212\ufe63\uff0d")


def _fold(ch: str) -> str:
    """The detection form of one character: '' (dropped), itself, or its folded form."""
    if ch.isascii():
        return ch
    if ch in _DROPPED_EXTRA or unicodedata.category(ch) == "Cf":
        return ""
    if ch in _DASHES:
        return "-"
    folded = unicodedata.normalize("NFKC", ch)
    if folded == ch and unicodedata.category(ch) == "Nd":
        return str(unicodedata.decimal(ch))
    return folded


def _between_latin(text: str, i: int) -> bool:
    before = _fold(text[i - 1]) if i > 0 else ""
    after = _fold(text[i + 1]) if i + 1 < len(text) else ""
    return bool(before and after) and before[-1] in _LATIN and after[0] in _LATIN


@dataclass(frozen=True)
class NormalizedText:
    """The folded text and, per folded character, the original character it came from."""

    text: str
    origin: tuple[int, ...]  # origin[i]: index in the original text of folded char i
    original_length: int

    @property
    def changed(self) -> bool:
        """False when folding left the text as it was (the common case: nothing to map)."""
        return len(self.origin) != self.original_length or any(
            i != o for i, o in enumerate(self.origin)
        )

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """The original span covering folded ``[start, end)``: from the first character's
        origin to just past the last one's, so dropped characters inside are covered."""
        if start >= end:
            position = self.origin[start] if start < len(self.origin) else self.original_length
            return position, position
        last = self.origin[end - 1]
        return self.origin[start], last + 1


def normalize(text: str) -> NormalizedText:
    """Fold ``text`` for detection (see the module docstring) and keep the offset map."""
    if text.isascii():
        return NormalizedText(text, tuple(range(len(text))), len(text))
    pieces: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        folded = "" if ch == "\u3000" and _between_latin(text, i) else _fold(ch)
        pieces.append(folded)
        origin.extend([i] * len(folded))
    return NormalizedText("".join(pieces), tuple(origin), len(text))
