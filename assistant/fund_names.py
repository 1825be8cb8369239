"""Funds a client names that no live document knows, with or without the company's brand.

"你家有没有恒生科技指数基金", "易方达蓝筹精选混合费率", "minimum for the Qinglan Short-Term Bond
Fund": retrieval still finds our nearest fund, and its fee table was quoted as the answer. The
brand check (`FundCatalog.unknown_names`) sees only names after the brand. This one reads the
name in front of a fund's type word (基金, ETF, 混合, 指数, Fund…) and asks the live documents
about its words: a name word no document contains (恒生, 医药, 易方达, Short-Term) names a fund
the company does not offer, or one its documents do not cover. Either way no passage answers it.

Only nouns and foreign words count as name words (jieba's part-of-speech tags), so a client's
own shorthand for one of our funds (300指增, 那个均衡的混合基金) is not taken for another fund,
and a name holding one of our funds' names (稳享纯债基金) is ours. Nothing here lists a company's
funds or anyone else's: the documents being served decide.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import jieba.posseg

from assistant.fund_english_names import ENGLISH_FUND_NAME
from assistant.funds import FundCatalog

# A fund's type word, which ends the name in front of it.
_TYPE_WORDS = frozenset({"基金", "ETF", "LOF", "FOF", "联接", "混合", "指数", "债券", "QDII"})
# Parts of speech of a name's words: nouns of every kind, foreign words, numbers, abbreviations,
# and the adjectives and verbs jieba reads inside product names (稳享, 精选, 安心).
_NAME_TAGS = ("n", "eng", "m", "j", "a", "vn", "v")
_WORDLIKE = re.compile(r"\w+")
_NOUN_TAGS = ("n", "eng", "j")  # what a name word the documents never write must be
_ENGLISH_FUND_WORDS = frozenset({"fund", "index", "bond", "money", "market", "class"})


def unknown_fund_names(catalog: FundCatalog, text: str, terms: frozenset[str]) -> list[str]:
    """Every fund-like name in `text` that no live document knows, each once: after the brand
    (the catalog's own check) and, brand or not, before a type word (`names_no_document_knows`)."""
    return list(
        dict.fromkeys(
            [
                *catalog.unknown_names(text),
                *names_no_document_knows(text, terms, catalog.vocabulary()),
            ]
        )
    )


def names_no_document_knows(
    text: str, terms: frozenset[str], known_names: Iterable[str] = ()
) -> list[str]:
    """Fund-like names in `text` holding a noun that no live document writes (`terms`: every
    token of the live documents, lower-cased), unless the name holds one of `known_names`."""
    known = [name.lower() for name in known_names if len(name) >= 2]
    found = [*_chinese_names(text, terms), *_english_names(text, terms)]
    return [name for name in found if not any(k in name.lower() for k in known)]


def _chinese_names(text: str, terms: frozenset[str]) -> list[str]:
    words = [(w.word, w.flag) for w in jieba.posseg.cut(text)]
    names = []
    for end, (word, _) in enumerate(words):
        if word.upper() not in _TYPE_WORDS or end == 0:
            continue
        start = end
        while start > 0 and _in_name(*words[start - 1]):
            start -= 1
        name_words = words[start:end]
        unknown = [
            w
            for w, flag in name_words
            if flag.startswith(_NOUN_TAGS) and len(w) >= 2 and w.lower() not in terms
        ]
        if unknown:
            names.append("".join(w for w, _ in words[start : end + 1]))
    return names


def _in_name(word: str, flag: str) -> bool:
    """A word that can be part of a fund's name: a noun, number or the like, or a word taught
    to jieba (our funds' names, tagged x like punctuation)."""
    return flag.startswith(_NAME_TAGS) or (flag == "x" and _WORDLIKE.fullmatch(word) is not None)


def _english_names(text: str, terms: frozenset[str]) -> list[str]:
    names = []
    for match in ENGLISH_FUND_NAME.finditer(text):
        words = re.findall(r"[A-Za-z]+", match.group(1).lower())
        unknown = [
            w for w in words if len(w) >= 3 and w not in _ENGLISH_FUND_WORDS and w not in terms
        ]
        if unknown:
            names.append(match.group(0).strip())
    return names
