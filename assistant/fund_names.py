"""Funds a client names that no live document knows, with or without the company's brand.

"你家有没有恒生科技指数基金", "易方达蓝筹精选混合费率", "minimum for the Qinglan Short-Term Bond
Fund": retrieval still finds our nearest fund, and its fee table was quoted as the answer. Two
readings find such names:

- **After the brand** (`names_after_brand`): 青岚短债C, 鹤汀沪深300指数, 鹤汀恒信1年定开债. A
  client shortens a fund's name by dropping characters, never by adding or changing them
  (恒信6个月定开债 → 恒信定开债, 安盈短期债券 → 安盈短债), so a name after the brand that is
  not, character by character in order, part of one of our funds' names is not one of ours,
  even when it starts like one (恒信1年定开债 beside our 恒信6个月定开债).
- **Before a type word, brand or not** (`names_no_document_knows`): the name in front of 基金,
  ETF, 混合, 指数, Fund… is asked about its words: a name word no document contains (恒生, 医药,
  易方达, Short-Term) names a fund the company does not offer, or one its documents do not
  cover.

Either way no passage answers it.

Only nouns and foreign words count as name words (jieba's part-of-speech tags), so a client's
own shorthand for one of our funds (300指增, 那个均衡的混合基金) is not taken for another fund,
and a name holding one of our funds' names (稳享纯债基金) is ours. Nothing here lists a company's
funds or anyone else's: the documents being served decide.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import jieba.posseg

from assistant.fund_codes import FUND_WORD
from assistant.fund_english_names import ENGLISH_FUND_NAME
from assistant.fund_short_names import shortens
from assistant.funds import FundCatalog
from assistant.text import ASKING_WORD

# A fund's type word, which ends the name in front of it.
_TYPE_WORDS = frozenset({"基金", "ETF", "LOF", "FOF", "联接", "混合", "指数", "债券", "QDII"})
# Parts of speech of a name's words: nouns of every kind, foreign words, numbers, abbreviations,
# and the adjectives and verbs jieba reads inside product names (稳享, 精选, 安心).
_NAME_TAGS = ("n", "eng", "m", "j", "a", "vn", "v")
_WORDLIKE = re.compile(r"\w+")
_NOUN_TAGS = ("n", "eng", "j")  # what a name word the documents never write must be
# What ends a name after the brand: a fund's type or product word, or a share class (青岚短债C).
_FUNDISH = re.compile(rf"{FUND_WORD.pattern}|[A-EY]类", re.I)
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")
# A share class's letter right after a name's number (养老2045A类): the class, not the name.
_CLASS_AFTER_NUMBER = re.compile(r"(?<=\d)[A-EYa-ey]$")
# Measure words inside product names (6个月, 1年) join the name after the brand.
_AFTER_BRAND_TAGS = (*_NAME_TAGS, "q")
# "青岚的货币基金", "青岚有没有ETF" speak of the company's funds in general, not of one fund.
_GENERAL = ("的", "家", "旗下", "所有", "哪", "有", "还有", "什么")
_ENGLISH_FUND_WORDS = frozenset({"fund", "index", "bond", "money", "market", "class"})


def unknown_fund_names(catalog: FundCatalog, text: str, terms: frozenset[str]) -> list[str]:
    """Every fund-like name in `text` that no live document knows, each once: after the brand
    (the catalog's own check), brand or not before a type word (`names_no_document_knows`), and
    one of our names going on with another number (`FundCatalog.names_with_other_numbers`)."""
    return list(
        dict.fromkeys(
            [
                *names_after_brand(catalog, text),
                *names_no_document_knows(text, terms, catalog.vocabulary()),
                *catalog.names_with_other_numbers(text),
            ]
        )
    )


def names_after_brand(catalog: FundCatalog, text: str) -> list[str]:
    """Fund-like names after the manager's brand that shorten none of the catalog's funds'
    names. What the documents write after the brand other than a fund's name (青岚基金, 青岚财富,
    青岚大厦: `FundCatalog.brand_followers`) is the company or its services."""
    if not catalog.brand:
        return []
    ours = catalog.names()
    unknown = []
    for match in re.finditer(re.escape(catalog.brand), text):
        rest = text[match.end() :]
        follower = rest[:2]
        if follower in catalog.brand_followers and not any(n.startswith(follower) for n in ours):
            continue
        named = _name_after_brand(rest)
        if named is None or named[0].startswith(_GENERAL):
            continue
        # the name as written (恒信定开债), or without its type word where the documents
        # shorten the fund's name without it (先锋混合 of 鹤汀先锋成长)
        name, stem = named
        if not any(shortens(name, n) or (stem and shortens(stem, n)) for n in ours):
            unknown.append(f"{catalog.brand}{name}")
    return unknown


def _name_after_brand(rest: str) -> tuple[str, str] | None:
    """The name words at the start of `rest` up to and with the first fund-like word (短债,
    指数, C类), and the name without it; None when a word that cannot be part of a name
    (怎么, 的) comes first."""
    name = ""
    words = iter(jieba.posseg.cut(rest[:16]))
    for word in words:
        fundish = _FUNDISH.search(word.word)
        if fundish and (name or fundish.start()):
            return name + word.word[: fundish.end()], name + word.word[: fundish.start()]
        if fundish:  # the name starts with its type (养老2045): its number or letters follow,
            # in this word where jieba was taught the fund's name, or in the next ones
            tail = _ASCII_WORD.match(word.word, fundish.end())
            name = word.word[: tail.end() if tail else fundish.end()]
            for after in words:
                if not _ASCII_WORD.fullmatch(after.word):
                    break
                name += after.word
            return _CLASS_AFTER_NUMBER.sub("", name), ""
        if not _in_name(word.word, word.flag, _AFTER_BRAND_TAGS):
            return None
        name += word.word
    return None


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


def _in_name(word: str, flag: str, tags: tuple[str, ...] = _NAME_TAGS) -> bool:
    """A word that can be part of a fund's name: a noun, number or the like (`tags`), or a word
    taught to jieba (our funds' names, tagged x like punctuation); never a question's asking
    or counting word."""
    if ASKING_WORD.match(word):  # 鹤汀一共管几只公募基金 names no fund (jieba: 几只 a number)
        return False
    return flag.startswith(tags) or (flag == "x" and _WORDLIKE.fullmatch(word) is not None)


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
