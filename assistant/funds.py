"""The fund catalog and the spotting of funds and share classes in a client's message.

Funds are read from the product summaries' front matter (codes, aliases, risk level) where a
company writes it, and otherwise from the documents themselves: a six-digit code beside a fund's
name in a title, a sentence or a table row (`星河纯债A（007001）`, `| 星河纯债C | 007002 |`,
`基金代码：007001`). Another company's documents need no front matter to be served.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from assistant.index.chroma_store import StoredChunk
from assistant.index.searchable import searchable_text

_CODE = re.compile(r"(?<![0-9])([0-9]{6})(?![0-9])")
# A fund's name right before its code: "X基金A（000001）", "| X C | 000002 |", "X 代码：000001".
_NAMED_CODE = re.compile(
    r"(?P<name>[\u4e00-\u9fffA-Za-z0-9&·]{2,40}?)\s*(?:[（(]|\|)?\s*"
    r"(?:基金)?(?:[A-C]类)?(?:份额)?(?:基金)?(?:代码|code)?\s*[:：]?\s*(?P<code>[0-9]{6})(?![0-9])",
    re.I,
)
_FUNDISH = re.compile(
    r"基金|债|货币|指数|混合|股票|QDII|ETF|联接|FOF|理财|[A-C]类?$|[A-C]份额$", re.I
)
_CLASS_SUFFIX = re.compile(r"(?:[A-C]类?|[A-C]份额|份额)$")
_NAME_SUFFIX = re.compile(r"(?:产品资料概要|招募说明书|基金合同|费率表|费率说明|说明书|概要|简介)$")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$", re.M)
_AMOUNT_AFTER = re.compile(r"^\s*(?:元|块|份|万|股|人|天|日|年|%|％)")
_CLASS_AFTER = re.compile(r"^\s*([ABCabc])(?:类|份额|级|\b|(?=[^A-Za-z]))")
_CLASS_ONLY = re.compile(r"(?<![A-Za-z])([ABCabc])\s*(?:类|份额)|class\s+([abcABC])\b", re.I)


@dataclass(frozen=True)
class Fund:
    title: str
    codes: tuple[str, ...]  # share classes in front-matter order: A first, then C (or B)
    aliases: tuple[str, ...]
    risk_level: str | None
    source: str

    @property
    def name(self) -> str:
        """The fund's full name: the first alias by convention, else the document title."""
        return self.aliases[0] if self.aliases else self.title

    def code_for_class(self, share_class: str | None) -> str | None:
        if not share_class:
            return None
        index = {"A": 0, "B": 1, "C": 1}.get(share_class.upper())
        return self.codes[index] if index is not None and index < len(self.codes) else None


@dataclass
class FundMention:
    fund: Fund
    share_class: str | None = None
    matched: list[str] = field(default_factory=list)


class FundCatalog:
    def __init__(self, funds: list[Fund], mentioned: frozenset[str] = frozenset()) -> None:
        self.funds = funds
        self._by_code = {code: fund for fund in funds for code in fund.codes}
        # Every six-digit number the live documents write, read once per index generation: a
        # code among them is known even where no fund name stands beside it (017302, a B class
        # listed after its A).
        self.mentioned_codes = mentioned
        # Longest alias first, so 沪深300增强 wins over 300增强.
        self._aliases = sorted(
            ((alias, fund) for fund in funds for alias in (*fund.aliases, fund.title)),
            key=lambda pair: -len(pair[0]),
        )

    @classmethod
    def from_chunks(cls, chunks: list[StoredChunk]) -> FundCatalog:
        funds: dict[str, Fund] = {}
        for chunk in chunks:
            meta = chunk.metadata
            if meta.get("doc_type") != "product_summary" or meta["source"] in funds:
                continue
            codes = tuple(c for c in str(meta.get("fund_codes", "")).split(",") if c)
            aliases = tuple(a for a in str(meta.get("aliases", "")).split(",") if a)
            funds[meta["source"]] = Fund(
                title=str(meta.get("title", "")),
                codes=codes,
                aliases=aliases,
                risk_level=str(meta.get("risk_level") or "") or None,
                source=str(meta["source"]),
            )
        known = {code for fund in funds.values() for code in fund.codes}
        mentioned = frozenset(
            m.group(1) for c in chunks for m in _CODE.finditer(searchable_text(c.metadata, c.text))
        )
        return cls([*funds.values(), *_funds_from_text(chunks, known)], mentioned)

    def vocabulary(self) -> list[str]:
        return [w for f in self.funds for w in (*f.aliases, *f.codes)]

    def spot(self, text: str) -> list[FundMention]:
        """Funds named in `text` by code, alias or full name, with the share class if given."""
        mentions: dict[str, FundMention] = {}
        for match in _CODE.finditer(text):
            fund = self._by_code.get(match.group(1))
            if fund:
                index = fund.codes.index(match.group(1))
                mention = mentions.setdefault(fund.source, FundMention(fund))
                mention.share_class = mention.share_class or ("A" if index == 0 else "C")
                mention.matched.append(match.group(1))
        lowered = text.lower()
        for alias, fund in self._aliases:
            position = lowered.find(alias.lower())
            if position < 0:
                continue
            mention = mentions.setdefault(fund.source, FundMention(fund))
            mention.matched.append(alias)
            after = _CLASS_AFTER.match(text[position + len(alias) :])
            if after and not mention.share_class:
                mention.share_class = after.group(1).upper()
        if len(mentions) == 1:
            only = next(iter(mentions.values()))
            if not only.share_class:
                loose = _CLASS_ONLY.search(text)
                if loose:
                    only.share_class = (loose.group(1) or loose.group(2)).upper()
        return list(mentions.values())

    def by_code(self, code: str) -> Fund | None:
        return self._by_code.get(code)

    def unknown_codes(self, text: str) -> list[str]:
        """Six-digit numbers the client gives as a fund code that no fund of the catalog has
        (another company's fund): never answered from one of ours. Amounts (100000元) are not
        codes."""
        return [
            m.group(1)
            for m in _CODE.finditer(text)
            if m.group(1) not in self._by_code and not _AMOUNT_AFTER.match(text[m.end() :])
        ]


def _funds_from_text(chunks: list[StoredChunk], known: set[str]) -> list[Fund]:
    """Funds named with their codes in the documents' text, for documents without front matter.

    Codes that one name carries with different share-class suffixes (X A, X C) are one fund."""
    by_base: dict[str, dict[str, str]] = {}  # base name → code → the name written beside it
    source_of: dict[str, str] = {}
    for chunk in chunks:
        text = f"{chunk.metadata.get('title') or ''}\n{chunk.text}"
        for name, code in _named_codes(text):
            if code in known or not _FUNDISH.search(name):
                continue
            base = _NAME_SUFFIX.sub("", _CLASS_SUFFIX.sub("", name)).strip()
            if len(base) < 3:  # "C类 008422" in a list of share classes names no fund
                continue
            by_base.setdefault(base, {}).setdefault(code, name)
            source_of.setdefault(base, str(chunk.metadata.get("source", "")))
    funds = []
    taken: set[str] = set()
    for base, codes in sorted(by_base.items(), key=lambda item: -len(item[0])):
        fresh = tuple(c for c in codes if c not in taken)
        if not fresh:
            continue
        taken.update(fresh)
        aliases = tuple(dict.fromkeys([base, *(codes[c] for c in fresh)]))
        funds.append(Fund(base, fresh, aliases, None, source_of[base]))
    return funds


def _named_codes(text: str) -> Iterator[tuple[str, str]]:
    """(name, code) pairs: a name written right before its code, and in a table row whose
    first cell names a fund, every code of the row ("| X基金（QDII） | X | 人民币A类 013970；
    美元A类 013972 |": the codes stand after class labels, far from the name)."""
    for match in _NAMED_CODE.finditer(text):
        if not _AMOUNT_AFTER.match(text[match.end() :]):
            yield match.group("name").strip(), match.group("code")
    for row in _TABLE_ROW.finditer(text):
        cells = [c.strip() for c in row.group(0).strip().strip("|").split("|")]
        name = re.sub(r"[（(][^）)]*[）)]$", "", cells[0]).strip()
        for cell in cells[1:]:
            for match in _CODE.finditer(cell):
                if not _AMOUNT_AFTER.match(cell[match.end() :]):
                    yield name, match.group(1)
