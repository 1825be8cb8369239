"""The English names the documents give our funds, so an English question names a fund too.

An English FAQ writes "Qinglan Tianli Money Market Fund" for 青岚添利货币市场基金. Nothing tied the
two, so "is there a subscription fee on the Tianli money market fund" named no fund, and another
fund's fee table was quoted to it. Chinese funds' English names keep the product's name in
pinyin (Tianli = 添利) or its digits (CSI 300 = 沪深300): an English name holding the pinyin or the
digits of exactly one fund's Chinese short name is that fund's. It joins the fund's aliases, with
the brand left out, and so does the rest of it ("Pure Bond", "Money Market") when no other
fund's English name shares it. pypinyin carries its own dictionary: nothing is fetched.

Other companies translate instead ("Heting Global Healthcare Equity Fund (QDII)" for
鹤汀全球医疗健康股票型…): no pinyin to read. Such a name goes to the fund whose product name
(brand and type dropped: 全球医疗健康) the multilingual embedder finds clearly nearest to its
words (brand and type dropped: Global Healthcare Equity), by `TRANSLATION_MARGIN` over the
runner-up; its first two words join the aliases too, which is how clients shorten it (the
global healthcare fund).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
from pypinyin import lazy_pinyin

# A run of capitalised words (or numbers) ending in a fund's type: "Qinglan CSI 300 Enhanced
# Index Fund", "Qinglan Global Tech Select (QDII)".
ENGLISH_FUND_NAME = re.compile(
    r"(?<![A-Za-z])((?:(?:[A-Z][A-Za-z&'-]*|\d{2,})\s+){1,7})(Fund|ETF|LOF|FOF|\(QDII\))"
)
_HAN = re.compile(r"[\u4e00-\u9fff]+")
_DIGITS = re.compile(r"\d{2,}")
_TYPE_WORDS = frozenset({"fund", "etf", "(qdii)", "index", "hybrid", "class"})
# Of the embedder's cosine similarities between an English name and each fund's Chinese product
# name, how far the nearest must stand above the runner-up. On the three companies' documents
# (first, kb2, kb4: 11 English fund names) the 7 names with a margin of 0.040-0.098 were each
# nearest their own fund; of the 4 below it (0.004-0.015) one was nearest another fund.
# Names that keep their pinyin are tied by it before this is asked.
TRANSLATION_MARGIN = 0.04
MAX_SPELLED = 6  # a short name's first run of characters, at most this long, is spelled
# How a sentence runs into a name ENGLISH_FUND_NAME reads from its first capital: "For Rongtong…".
_LEAD_WORDS = frozenset({"the", "for", "with", "will", "our", "in", "of", "a", "an"})
# How a client writing English names a fund: up to four words before its type or a share class
# ("redemption fee on Advanced Manufacturing class A"), or a run of two or more capitalised
# words or numbers ("the share class codes of Heting Pension 2045?"). kb4's conversations,
# right / wrong: 141 / 34 -> 143 / 32 (the class) -> 144 / 31 (the run); the other companies'
# questions and conversations unchanged. A run that names no fund (HSBC Hong Kong, Home Return
# Permit) is left unnamed by the translation's margin: none was tied on the four companies'
# English questions.
_CLIENT_PHRASE = re.compile(
    r"((?:[A-Za-z0-9][A-Za-z0-9&'-]*\s+){1,4})(?:fund|qdii|etf|fof|class)\b", re.I
)
_CAPITALISED = r"(?:[A-Z][a-z]+|[A-Z]{2,}|\d{2,})"
_CAPITALISED_RUN = re.compile(rf"(?<![A-Za-z])({_CAPITALISED}(?:\s+{_CAPITALISED})+)")
# Words of such a phrase that are no part of a name: the sentence around it and the fund's type.
_NOT_NAME_WORDS = (
    _LEAD_WORDS
    | _TYPE_WORDS
    | {
        *("your", "my", "this", "that", "its", "which", "what", "who", "how", "much", "is", "does"),
        *("do", "can", "i", "about", "on", "to", "and", "any", "manage", "manages", "buy", "sell"),
        *("fee", "fees", "equity", "market", "qdii"),
    }
)
# The nearest fund to an English name's words by translation, or None (see `by_translation`).
Translator = Callable[[str], int | None]


def english_aliases(
    texts: list[str],
    short_names: list[list[str]],
    brand: str,
    translate: Translator | None = None,
) -> list[set[str]]:
    """Per fund (in the order of `short_names`, its Chinese short names), the English names
    the texts give it, with and without the brand, its pinyin word alone (Tianli) and the
    distinctive rest (Pure Bond); and, with `translate`, the names that keep no pinyin."""
    marks = [_marks(names, brand) for names in short_names]
    brand_word = "".join(lazy_pinyin(brand)) if brand else ""
    named: list[set[str]] = [set() for _ in short_names]
    translated: dict[str, int | None] = {}
    for text in texts:
        for match in ENGLISH_FUND_NAME.finditer(text):
            words = match.group(0).split()
            while words and words[0].lower() in _LEAD_WORDS:
                words = words[1:]
            lowered = {w.lower() for w in words}
            owners = {i for i, m in enumerate(marks) if m & lowered}
            if len(owners) == 1:
                named[owners.pop()].add(" ".join(words))
                continue
            core = [w for w in words if w.lower() not in {brand_word, *_TYPE_WORDS}]
            if owners or translate is None or not core:
                continue
            key = " ".join(core)
            if key not in translated:
                translated[key] = translate(key)
            owner = translated[key]
            if owner is not None:
                named[owner].add(" ".join(words))
                if len(core) > 2:
                    named[owner].add(" ".join(core[:2]))
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


def pinyin_aliases(short_names: list[list[str]], brand: str) -> list[set[str]]:
    """Per fund, its Chinese short names as a client writing English spells them when the
    documents give no English name: the pinyin of the name's first run of Chinese characters
    after the brand, its first two and four syllables (恒信 of 恒信6个月定开债 → Hengxin, 添益货币
    → Tianyi, Tianyihuobi), of short names only (a full name's 中证红利… would make 中证, the
    index provider, a name). Only words of five letters or more that no other fund's name
    spells and that are not the brand's: "Tianyi money market fund" names 添益 and no other."""
    brand_word = "".join(lazy_pinyin(brand)).lower() if brand else ""
    spelled: list[set[str]] = []
    for names in short_names:
        words: set[str] = set()
        for name in names:
            bare = name.removeprefix(brand)
            run = _HAN.match(bare)
            if run is None or not 2 <= len(run.group(0)) <= MAX_SPELLED:  # a short name's
                continue
            syllables = [s.lower() for s in lazy_pinyin(run.group(0))]
            words |= {"".join(syllables[:2]), "".join(syllables[:4])}
        spelled.append({w for w in words if len(w) >= 5 and w.isalpha() and w != brand_word})
    shared = Counter(w for words in spelled for w in words)
    return [{w.capitalize() for w in words if shared[w] == 1} for words in spelled]


def _marks(names: list[str], brand: str) -> set[str]:
    """What an English name of the fund keeps of its Chinese short names: the pinyin of each
    run of two or more characters after the brand (添利 → tianli), and its numbers."""
    marks: set[str] = set()
    for name in names:
        bare = name.removeprefix(brand)
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


def by_translation(embed: Callable[[str], Sequence[float]], product_names: list[str]) -> Translator:
    """A `Translator` over the funds' Chinese product names (brand and type dropped), read by
    a multilingual embedder (e5 places 全球医疗健康 and Global Healthcare Equity together)."""
    names = np.array([embed(name) for name in product_names], dtype=float)

    def nearest(words: str) -> int | None:
        if len(names) == 0:
            return None
        similarity = names @ np.asarray(embed(words), dtype=float)
        order = np.argsort(-similarity)
        if len(order) > 1 and similarity[order[0]] - similarity[order[1]] < TRANSLATION_MARGIN:
            return None
        return int(order[0])

    return nearest


def client_named(text: str, translate: Translator, brand: str) -> int | None:
    """The fund an English message names in words no document writes ("the advanced
    manufacturing fund", "US tech QDII", "pension 2045 fund": 先进制造, 美国科技, 养老2045), by
    `translate` over the words before fund / QDII / ETF / FOF / class and over runs of
    capitalised words, or None. The margin keeps a phrase that names no fund ("when was Hongyue
    Fund founded", "the money market fund" where no product name says money) from naming one.
    Chinese text names its funds in Chinese: None."""
    if _HAN.search(text):
        return None
    not_name = _NOT_NAME_WORDS | ({"".join(lazy_pinyin(brand)).lower()} if brand else set())
    phrases = [m.group(1) for m in _CLIENT_PHRASE.finditer(text)]
    phrases += [m.group(1) for m in _CAPITALISED_RUN.finditer(text)]
    for phrase in phrases:
        core = [w for w in phrase.lower().split() if w not in not_name]
        if core:
            owner = translate(" ".join(core))
            if owner is not None:
                return owner
    return None
