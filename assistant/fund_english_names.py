"""The English names the documents give our funds, so an English question names a fund too.

An English FAQ writes "Qinglan Tianli Money Market Fund" for 青岚添利货币市场基金. Nothing tied the
two, so "is there a subscription fee on the Tianli money market fund" named no fund, and another
fund's fee table was quoted to it. Chinese funds' English names keep the product's name in
pinyin (Tianli = 添利) or its digits (CSI 300 = 沪深300): an English name holding the pinyin or the
digits of exactly one fund's Chinese short name is that fund's. It joins the fund's aliases, with
the brand left out, and so does the rest of it ("Pure Bond", "Money Market") when no other
fund's English name shares it. pypinyin carries its own dictionary: nothing is fetched.
"""

from __future__ import annotations

import re
from collections import Counter

from pypinyin import lazy_pinyin

# A run of capitalised words (or numbers) ending in a fund's type: "Qinglan CSI 300 Enhanced
# Index Fund", "Qinglan Global Tech Select (QDII)".
ENGLISH_FUND_NAME = re.compile(
    r"(?<![A-Za-z])((?:(?:[A-Z][A-Za-z&'-]*|\d{2,})\s+){1,7})(Fund|ETF|LOF|FOF|\(QDII\))"
)
_HAN = re.compile(r"[\u4e00-\u9fff]+")
_DIGITS = re.compile(r"\d{2,}")
_TYPE_WORDS = frozenset({"fund", "etf", "(qdii)", "index", "hybrid", "class"})


def english_aliases(texts: list[str], short_names: list[list[str]], brand: str) -> list[set[str]]:
    """Per fund (in the order of `short_names`, its Chinese short names), the English names
    the texts give it, with and without the brand, its pinyin word alone (Tianli) and the
    distinctive rest (Pure Bond)."""
    marks = [_marks(names, brand) for names in short_names]
    brand_word = "".join(lazy_pinyin(brand)) if brand else ""
    named: list[set[str]] = [set() for _ in short_names]
    for text in texts:
        for match in ENGLISH_FUND_NAME.finditer(text):
            words = match.group(0).split()
            lowered = {w.lower() for w in words}
            owners = {i for i, m in enumerate(marks) if m & lowered}
            if len(owners) == 1:
                named[owners.pop()].add(" ".join(words))
    rests = [
        {_rest(name, brand_word, marks[i]) for name in names} - {""}
        for i, names in enumerate(named)
    ]
    shared = Counter(rest for rs in rests for rest in rs)
    return [
        {*names, *(_without(name, brand_word) for name in names)}
        | {w for name in names for w in name.split() if w.isalpha() and w.lower() in m}
        | {rest for rest in rs if shared[rest] == 1}
        for names, rs, m in zip(named, rests, marks, strict=True)
    ]


def _marks(names: list[str], brand: str) -> set[str]:
    """What an English name of the fund keeps of its Chinese short names: the pinyin of each
    run of two or more characters after the brand (添利 → tianli), and its numbers."""
    marks: set[str] = set()
    for name in names:
        bare = name[len(brand) :] if brand and name.startswith(brand) else name
        marks.update(_DIGITS.findall(bare))
        for run in _HAN.findall(bare):
            syllables = lazy_pinyin(run)
            marks.update(
                "".join(syllables[i:j])
                for i in range(len(syllables))
                for j in range(i + 2, len(syllables) + 1)
            )
    return marks


def _without(name: str, word: str) -> str:
    return " ".join(w for w in name.split() if w.lower() != word)


def _rest(name: str, brand_word: str, marks: set[str]) -> str:
    """The name without the brand, the pinyin, the numbers and the type: "Pure Bond"."""
    kept = [
        w
        for w in name.split()
        if w.lower() not in {brand_word, *marks} and w.lower() not in _TYPE_WORDS
    ]
    return " ".join(kept) if len(kept) >= 2 else ""
