"""The fund catalog, read from the product summaries' front matter (codes, aliases, risk level),
and the spotting of funds and share classes in a client's message."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.index.chroma_store import StoredChunk

_CODE = re.compile(r"(?<![0-9])([0-9]{6})(?![0-9])")
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
    def __init__(self, funds: list[Fund]) -> None:
        self.funds = funds
        self._by_code = {code: fund for fund in funds for code in fund.codes}
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
        return cls(list(funds.values()))

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
