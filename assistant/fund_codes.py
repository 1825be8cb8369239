"""Funds read from the documents' text, for a company whose documents carry no front matter.

Every six-digit fund code a document writes is a sighting: the fund's name written beside it
(`X纯债A（024620）`, `| X纯债C | 024621 |`, `调低X混合型证券投资基金（A类份额代码024670`), or, where
only a class label or a field label stands beside it (`A类024610`, `| C类份额代码 | 024631 |`,
`| 基金主代码 | 024660 |`), the fund the document itself is about, read from its file name or
title (`…_X货币市场基金_基金合同摘要.txt`). Each code goes to the name most of its sightings
give, so one table whose first cell is a label (`下属分级基金的简称和代码`) or one sentence that
runs on before the name cannot rename a fund; names are cut to start at the manager's brand,
the prefix most of them share. Codes whose names differ only by class or type are one fund.

Why not a list of each company's funds: the product serves whichever company's documents it is
given, and written this way a new company's funds are known the moment its documents go live.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath
from typing import NamedTuple

from assistant.fund_short_names import QDII_SUFFIX, shortens
from assistant.text import table_cells

CODE = re.compile(r"(?<![0-9])([0-9]{6})(?![0-9])")
# A fund's name right before its code: "X基金A（000001）", "| X C | 000002 |", "X 代码：000001".
_NAMED_CODE = re.compile(
    r"(?P<name>[\u4e00-\u9fffA-Za-z0-9&·]{2,40}?)\s*(?:[（(]|\|)?\s*"
    r"(?:基金)?(?:[A-C]类)?(?:份额)?(?:基金)?(?:主?代码|code)?\s*[:：]?\s*(?P<code>[0-9]{6})(?![0-9])",
    re.I,
)
AMOUNT_AFTER = re.compile(r"^\s*(?:元|块|份|万|股|人|天|日|年|%|％)")
# What makes a written name a fund's: its type or a product word.
FUND_WORD = re.compile(r"基金|债|货币|指数|混合|股票|QDII|ETF|联接|FOF|养老", re.I)
# A table's field label, not a name: 下属分级基金的简称和代码, 基金主代码, 基金名称.
_FIELD_LABEL = re.compile(r"代码|简称|名称|类别|类型|code", re.I)
# A fund code announced by what stands before it: a class label or the word 代码.
_CODE_LABEL = re.compile(r"(?:[A-EY]\s*类|份额|代码|code)[^0-9|]{0,6}[|｜:：\s]*$", re.I)
_CLASS_LETTER = re.compile(r"(?<![A-Za-z])([A-EY])(?:类|份额)?$")
_CLASS_SUFFIX = re.compile(r"(?:[A-EY]类?|[A-EY]份额|份额)$")
_DOC_SUFFIX = re.compile(r"(?:产品资料概要|招募说明书|基金合同|费率表|费率说明|说明书|概要|简介)$")
_TRAILING_BRACKETS = re.compile(r"[（(][^）)]*[）)]$")
# Where a fund's full name ends (证监会's naming): 债券型证券投资基金, 货币市场基金, …（QDII）, …（FOF）.
_FULL_NAME_END = re.compile(
    r"基金中基金[（(]FOF[）)]|证券投资基金(?:[（(]QDII[）)])?|货币市场基金|(?<!\w)基金[（(](?:QDII|LOF)[）)]"
)
# The type at the end of a fund's full name (证监会's naming: 债券型证券投资基金, 货币市场基金, …):
# the words, and the suffix. `funds` drops them to derive short names; here they key a fund.
FUND_TYPES = "指数增强|增强指数|指数|债券|纯债|混合|股票|货币市场|货币|偏股混合|偏债混合"
FUND_SUFFIX = "(?:证券投资基金|投资基金|基金)"
_TYPE_WORDS = re.compile(
    rf"(?:(?:{FUND_TYPES}|短债)型?|ETF联接|联接|FOF|ETF)?{FUND_SUFFIX}?(?:[（(][^）)]*[）)])?$"
)
_KEY_TYPE = re.compile(r"(?:货币|纯债|短债|债券|债|混合|股票|指数)$")
_LISTED = re.compile(r"\s*[/、，,；;]\s*")
_HAN_RUN = re.compile(r"[\u4e00-\u9fffA-Za-z0-9（）()]+")


class ReadFund(NamedTuple):
    name: str  # the longest name written for it, a full name where the documents give one
    codes: tuple[str, ...]
    aliases: tuple[str, ...]  # every name written beside its codes, the full name first
    source: str  # the document it was first read from
    classes: tuple[tuple[str, str], ...] = ()  # (code, class) where a name says it: 纯债A（024620）


class _Sighting(NamedTuple):
    code: str
    names: tuple[str, ...]  # what stood beside the code, the nearest first; () if nothing
    source: str
    title: str


def read_funds(chunks: Iterable[tuple[str, str, str]], known: set[str]) -> list[ReadFund]:
    """Funds from (source, title, text) triples; codes in `known` (front matter) are skipped."""
    sightings = [
        _Sighting(code, names, source, title)
        for source, title, text in chunks
        for names, code in named_codes(f"{title}\n{text}")
        if code not in known
    ]
    brand = majority_prefix([p for s in sightings for n in s.names if (p := _product(n))])
    votes: dict[str, Counter[str]] = {}
    written: dict[str, str] = {}
    documents: dict[tuple[str, str], str] = {}  # (source, title) → the fund it is about
    for s in sightings:
        name = next((n for n in s.names if _base(n, brand)), "")
        if name:
            written.setdefault(s.code, _from_brand(name.strip(), brand))
        fund = _from_brand(_base(name, brand), brand)
        if not fund:
            if (s.source, s.title) not in documents:
                documents[s.source, s.title] = document_fund(s.source, s.title, brand)
            fund = documents[s.source, s.title]
        if fund:
            votes.setdefault(s.code, Counter())[fund] += 1
    by_key: dict[str, list[tuple[str, str]]] = {}  # key → (code, name)
    for code, counts in votes.items():
        name = max(counts, key=lambda n: (counts[n], n.startswith(brand) if brand else 0, -len(n)))
        by_key.setdefault(fund_key(name, brand), []).append((code, name))
    source_of = {s.code: s.source for s in reversed(sightings)}
    # Every name written for a code, with the codes it was written for: a name that lost its
    # code's vote (a product page's full name 鹤汀中证红利低波动指数证券投资基金, outvoted by the
    # fee table's 鹤汀红利低波指数) still names the fund, when it names no other fund's codes.
    # So does the name a document's title gives it (a product page titled by its full name
    # that writes the short name beside the codes) when every code the document writes is its.
    # Either only if the fund's name shortens it: an announcement titled by one fund that
    # lists another's codes (可转换为…) does not name the other.
    codes_of: dict[str, set[str]] = {}
    for code, counts in votes.items():
        for name in counts:
            codes_of.setdefault(name, set()).add(code)
    in_document: dict[tuple[str, str], set[str]] = {}
    for s in sightings:
        in_document.setdefault((s.source, s.title), set()).add(s.code)
    for (source, title), document_codes in in_document.items():
        if document_codes <= votes.keys() and (name := document_fund(source, title, brand)):
            codes_of.setdefault(name, set()).update(document_codes)
    funds = []
    for pairs in by_key.values():
        codes = tuple(sorted({code for code, _ in pairs}))
        names = [name for _, name in pairs]
        key = fund_key(max(names, key=len), brand)
        outvoted = [
            n
            for n, named in codes_of.items()
            if named <= set(codes) and n not in names and shortens(key, n)
        ]
        full = [n for n in names if _FULL_NAME_END.search(n)]
        first = max(full or names, key=len)
        aliases = tuple(
            dict.fromkeys([first, *names, *outvoted, *(written[c] for c in codes if c in written)])
        )
        classes = tuple(
            (c, m.group(1))
            for c in codes
            if c in written and (m := _CLASS_LETTER.search(written[c]))
        )
        funds.append(ReadFund(first, codes, aliases, source_of[codes[0]], classes))
    return funds


def named_codes(text: str) -> Iterator[tuple[tuple[str, ...], str]]:
    """(names, code) for every fund code in `text`: the name written right before it and the
    first cell of its table row, where they could be a fund's; () when neither could but a
    label announces the code (A类024610, | 基金主代码 | 024660 |). Unannounced numbers (a
    bond's code in a holdings table, an amount) are not fund codes."""
    for line in text.splitlines():
        beside = {m.start("code"): m.group("name").strip() for m in _NAMED_CODE.finditer(line)}
        cells = table_cells(line) if line.lstrip().startswith("|") else []
        row_name = _TRAILING_BRACKETS.sub("", cells[0]).strip() if cells else ""
        previous: tuple[int, tuple[str, ...]] | None = None  # the code before: its end, names
        # a table row is one fund's: its first cell names it, when that is a fund's name
        first = (row_name,) if _base(row_name) else ()
        for match in CODE.finditer(line):
            if AMOUNT_AFTER.match(line[match.end() :]):
                continue
            near = (beside.get(match.start(), ""), row_name)
            names = tuple(dict.fromkeys(n for n in (*first, *near) if _named(n)))
            if not names and previous and _LISTED.fullmatch(line[previous[0] : match.start()]):
                names = previous[1]  # 011560/011561: codes listed together are one fund's
            if names or _CODE_LABEL.search(line[max(0, match.start() - 16) : match.start()]):
                yield names, match.group(1)
            previous = (match.end(), names)


def _named(name: str) -> bool:
    """Whether a name could be a fund's: a fund word in it, or a share class after it."""
    product = _CLASS_SUFFIX.sub("", name)
    return bool(
        _base(name) or (product != name and len(product) >= 3 and not _FIELD_LABEL.search(name))
    )


def _product(name: str) -> str:
    """A written name without its class and document suffixes ("" for a field label)."""
    product = _DOC_SUFFIX.sub("", _CLASS_SUFFIX.sub("", name.strip())).strip()
    return "" if len(product) < 3 or _FIELD_LABEL.search(product) else product


def _base(name: str, brand: str = "") -> str:
    """A written name without its class and document suffixes; "" unless it is a fund's name:
    at least three characters, no field label, and a fund word or the brand with a product
    name after it (X先进制造C names a fund though no type word says so)."""
    base = _product(name)
    if not base:
        return ""
    if FUND_WORD.search(base) or (brand and base.startswith(brand) and len(base) > len(brand) + 1):
        return base
    return ""


def _from_brand(name: str, brand: str) -> str:
    """The name from the brand's last appearance on (a sentence ran on before it)."""
    if not brand or brand not in name:
        return name
    return name[name.rindex(brand) :]


def majority_prefix(names: list[str]) -> str:
    """The longest prefix of two characters or more that at least half of the distinct names,
    and two at least, share: the manager's brand, robust to stray names that do not carry it
    (a sentence run on before a name, an English class name)."""
    distinct = sorted(set(names))
    if len(distinct) < 2:
        return ""
    for length in range(min(map(len, distinct)), 1, -1):
        prefix, count = Counter(n[:length] for n in distinct if len(n) >= length).most_common(1)[0]
        if count >= 2 and count * 2 >= len(distinct):
            return prefix
    return ""


def document_fund(source: str, title: str, brand: str) -> str:
    """The fund a document is about, from its file name or title: the brand, then the name up
    to its full-name ending (…证券投资基金), else to its last fund word and what follows it
    (…定开债, …养老2045)."""
    if not brand:
        return ""
    names = [
        rest
        for text in (PurePosixPath(source).stem, title)
        for run in _HAN_RUN.findall(text)
        for start in [m.start() for m in re.finditer(re.escape(brand), run)][::-1]
        if not (rest := run[start:])[len(brand) :].startswith("基金")  # the company, not a fund
    ]
    for rest in names:
        end = _FULL_NAME_END.search(rest)
        if end:
            return rest[: end.end()]
    for rest in names:
        words = list(FUND_WORD.finditer(rest, len(brand)))
        if words:
            cut = words[-1].end()
            return rest[:cut] + re.sub(r"[^0-9A-Za-z].*", "", rest[cut:])
    return ""


def fund_key(name: str, brand: str) -> str:
    """What two names of one fund share: the product's name without type, class, QDII or
    brackets (X安享纯债 and X安享纯债债券型证券投资基金 are one fund, and so are X亚太精选QDII
    and X亚太精选股票型证券投资基金: a code voted to each had made two funds of one)."""
    whole = QDII_SUFFIX.sub("", _CLASS_SUFFIX.sub("", name))
    for product in (
        _KEY_TYPE.sub("", _TYPE_WORDS.sub("", whole)),
        _TYPE_WORDS.sub("", whole),
        whole,
    ):
        key = product[len(brand) :] if brand and product.startswith(brand) else product
        if len(key) >= 2:  # 星河纯债 without its type would be the brand alone
            return key
    return whole
