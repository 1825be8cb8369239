"""The fund catalog and the spotting of funds and share classes in a client's message.

Funds are read from the product summaries' front matter (codes, aliases, risk level) where a
company writes it, and otherwise from the documents themselves: a six-digit code beside a fund's
name in a title, a sentence or a table row (`星河纯债A（007001）`, `| 星河纯债C | 007002 |`,
`基金代码：007001`). Another company's documents need no front matter to be served.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from assistant.fund_codes import (
    AMOUNT_AFTER,
    CODE,
    FUND_SUFFIX,
    FUND_TYPES,
    majority_prefix,
    read_funds,
)
from assistant.fund_currencies import (
    currency_classes,
    currency_of,
    letter_after_currency,
    offers_currency,
)
from assistant.fund_english_names import (
    Translator,
    by_translation,
    client_named,
    english_aliases,
    pinyin_aliases,
)
from assistant.fund_short_names import NUMBER_RUN, QDII_SUFFIX, written_short_names
from assistant.index.chroma_store import StoredChunk
from assistant.index.searchable import searchable_text
from assistant.retrieval.tokenizer import tokenize

_BRACKETS = re.compile(r"[（(][^）)]*[）)]")
# The type at the end of a fund's full name (`fund_codes.FUND_TYPES`, `FUND_SUFFIX`).
_FUND_TYPE = re.compile(rf"(?:(?:{FUND_TYPES})型?|ETF联接|联接|FOF|ETF)?{FUND_SUFFIX}$")
_GENERIC_SUFFIX = re.compile(rf"{FUND_SUFFIX}$")
_CLASS_AFTER = re.compile(
    r"^\s*(?:([ABCabc])(?:类|份额|级|\b|(?=[^A-Za-z]))|([DEYdey])(?:类|份额))"
)
_COMPANY = re.compile(r"公司|贵司|\b(?:your|the) (?:company|firm)\b", re.I)  # 你们公司, 分公司
_CJK_NAME = re.compile(r"^[\u4e00-\u9fff]{2}")  # a name that opens with two Chinese characters
# A class a client names: C类, e份额, class C; in English also "E class", "A shares" and a capital
# letter standing alone after a word ("Advanced Manufacturing A if I buy", "QDII C after 10 days";
# not "E Fund", a company's name).
_CLASS_ONLY = re.compile(
    r"(?<![A-Za-z])([A-EYa-ey])\s*(?:类|份额)|(?i:class)\s+([a-eyA-EY])\b"
    r"|\b([A-EY])\s+(?i:class|shares?)\b|(?<=[A-Za-z] )([A-EY])(?=\s+[a-z]|\s*[?,.!;)]|\s*$)"
)
# The share classes a passage names: "A类", "C类份额", "A、C类", "A/C 份额", "Class C", "Classes A
# and C", "安享纯债A |". Case-sensitive letters: documents write them upper-case.
_CLASSES_NAMED = re.compile(
    r"(?<![A-Za-z])([A-EY](?:\s*[、/／和与及,，]\s*[A-EY])*)\s*(?:类|份额)"
    r"|(?i:\bclass(?:es)?)\s+([A-EY](?:\s*(?:/|,|&|(?i:and|or))\s*[A-EY])*)\b"
    # a letter right after a name, before a cell's end or punctuation: 安享纯债A | 0.80%,
    # 添益货币A/B/E, 纯债C（024621）; not A股 or A轮
    r"|(?<=[\u4e00-\u9fff])([A-EY](?:/[A-EY])*)(?=\s|[|，。、；：,;:（()）]|$)"
)
# A share class's label written beside its code: before it ("A类017301", "C类份额代码：008422",
# "美元现汇A类 013972", "| C类份额代码 | 024631 |") or after it ("017302（B类）").
_LABEL_BEFORE = re.compile(
    r"(?<![A-Za-z])([A-EY])\s*(?:类|份额)(?:[^0-9A-Za-z|；;，,]{0,8}|份额代码\s*\|\s*|代码\s*\|\s*)$"
)
_LABEL_AFTER = re.compile(r"^\s*[（(]?\s*([A-EY])\s*(?:类|份额)")


@dataclass(frozen=True)
class Fund:
    title: str
    codes: tuple[str, ...]  # share classes in front-matter order: A first, then C (or B)
    aliases: tuple[str, ...]
    risk_level: str | None
    source: str
    classes: tuple[tuple[str, str], ...] = ()  # (code, class label) as the documents write them
    # (code, currency, letter) where the documents write a currency class (美元现汇A类 013972)
    currency_classes: tuple[tuple[str, str, str], ...] = ()

    @property
    def name(self) -> str:
        """The fund's full name: the first alias by convention, else the document title."""
        return self.aliases[0] if self.aliases else self.title

    def code_for_class(self, share_class: str | None) -> str | None:
        if not share_class:
            return None
        labelled = [c for c, label in self.classes if label == share_class.upper()]
        if labelled:
            return labelled[0]
        index = {"A": 0, "B": 1, "C": 1}.get(share_class.upper())
        return self.codes[index] if index is not None and index < len(self.codes) else None

    def offers(self, share_class: str | None, currency: str | None = None) -> bool | None:
        """Whether the fund has this share class (in this currency, if one is asked for): None
        unless the documents label every one of its codes (then a class they never name is
        one the company does not offer)."""
        if currency:
            held = offers_currency(self.currency_classes, self.codes, currency, share_class)
            if held is not None:
                return held
        if not share_class or not self.codes or len(self.classes) < len(self.codes):
            return None
        return share_class.upper() in {label for _, label in self.classes}


@dataclass
class FundMention:
    fund: Fund
    share_class: str | None = None
    matched: list[str] = field(default_factory=list)
    currency: str | None = None  # a currency class asked for (港币份额, USD class C)


class FundCatalog:
    def __init__(
        self,
        funds: list[Fund],
        mentioned: frozenset[str] = frozenset(),
        brand: str = "",
        brand_followers: frozenset[str] = frozenset(),
        translate: Translator | None = None,
    ) -> None:
        self.funds = funds
        # e5 over the funds' Chinese product names (`by_translation`), each phrase read once
        self._translate = lru_cache(maxsize=4096)(translate) if translate else None
        # The manager's brand (青岚) and the two characters that follow it anywhere in the live
        # documents (青岚稳享…, 青岚基金, 青岚财富…): a fund-like name after the brand that starts
        # otherwise (青岚短债C) is a fund of this manager the documents do not know.
        self.brand = brand
        self.brand_followers = brand_followers
        self._by_code = {code: fund for fund in funds for code in fund.codes}
        # Every six-digit number the live documents write, read once per index generation: a
        # code among them is known even where no fund name stands beside it (017302, a B class
        # listed after its A).
        self.mentioned_codes = mentioned
        # Every alias and code, read once: the retriever's words, and each turn's name check.
        self._vocabulary = tuple(w for f in funds for w in (*f.aliases, *f.codes))
        # Every name without the brand, read once: what a name after the brand may shorten.
        self._names = tuple(
            sorted(
                {
                    n.removeprefix(brand) if brand else n
                    for f in funds
                    for n in (f.title, *f.aliases)
                }
                - {""}
            )
        )
        # Each fund's names lower-cased in one text: where a client's word is looked for.
        self._name_texts = {f.codes: " ".join((f.title, *f.aliases)).lower() for f in funds}
        # Longest alias first, so 沪深300增强 wins over 300增强; lower-cased, and a Latin one with
        # its whole-word pattern (Anying is no name in "accompanying"), compiled once here, not
        # on each of a turn's several `spot` calls.
        self._aliases = [
            (alias, fund, alias.lower(), _whole_words(alias))
            for alias, fund in sorted(
                ((alias, fund) for fund in funds for alias in (*fund.aliases, fund.title)),
                key=lambda pair: -len(pair[0]),
            )
        ]
        # The Chinese aliases of funds whose names hold a number (2045 of 养老2045, a500 of
        # 中证A500), with those numbers and the lengths of the ones a name writes right after
        # the alias (颐年: 4, of 颐年2040): what `names_with_other_numbers` reads.
        self._numbered_aliases = [
            (lowered, numbers, _number_lengths_after(fund, lowered))
            for _, fund, lowered, whole in self._aliases
            if whole is None and (numbers := _numbers_in((fund.title, *fund.aliases)))
        ]

    @classmethod
    def from_chunks(
        cls, chunks: list[StoredChunk], embed: Callable[[str], Sequence[float]] | None = None
    ) -> FundCatalog:
        """The funds the documents name; `embed` (the query embedder) ties English names
        that translate a fund's name instead of spelling it in pinyin (`by_translation`)."""
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
        searchable = [searchable_text(c.metadata, c.text) for c in chunks]
        mentioned = frozenset(m.group(1) for text in searchable for m in CODE.finditer(text))
        labels = _class_labels(chunks)
        read = read_funds(
            (
                (str(c.metadata.get("source", "")), str(c.metadata.get("title") or ""), c.text)
                for c in chunks
            ),
            known,
        )
        in_text = [Fund(f.name, f.codes, f.aliases, None, f.source) for f in read]
        # a class written beside a code (纯债A（024620）) where no 类 label says it
        labels = {code: label for f in read for code, label in f.classes} | labels
        currencies = currency_classes(c.text for c in chunks)
        every = [_labelled(f, labels, currencies) for f in [*funds.values(), *in_text]]
        brand = _brand(every)
        followers = frozenset(
            text[m.end() : m.end() + 2]
            for text in (searchable if brand else [])
            for m in re.finditer(re.escape(brand), text)
        )
        texts = [c.text for c in chunks]
        named = _with_short_names(every, brand, written_short_names(texts, [f.name for f in every]))
        titled = [f"{c.metadata.get('title') or ''}\n{c.text}" for c in chunks]
        named = _with_abbreviations(named, brand, titled)
        translate = (
            by_translation(embed, [_product_name(f).removeprefix(brand) for f in named])
            if embed is not None
            else None
        )
        short_names = [list(f.aliases) for f in named]
        english = english_aliases(texts, short_names, brand, translate)
        spelled = pinyin_aliases(short_names, brand)
        named = [
            replace(f, aliases=(*f.aliases, *sorted((e | p) - set(f.aliases))))
            for f, e, p in zip(named, english, spelled, strict=True)
        ]
        return cls(named, mentioned, brand, followers, translate)

    def translated(self, text: str) -> Fund | None:
        """The fund an English message names in words no document writes (the advanced
        manufacturing fund: 先进制造; `client_named`), when it names none the catalog knows."""
        if self._translate is None or self.spot(text):
            return None
        owner = client_named(text, self._translate, self.brand)
        return self.funds[owner] if owner is not None else None

    def vocabulary(self) -> tuple[str, ...]:
        return self._vocabulary

    def names_company(self, text: str) -> bool:
        """The message names the company itself (泓岳基金哪年成立的, 你们公司在哪, your company):
        when it names no fund too, it asks about the company, which no passage about one fund
        answers (a fund's contract date for 哪年成立), and there is no fund to ask about."""
        brand = self.brand and (f"{self.brand}基金" in text or f"{self.brand}公司" in text)
        return bool(brand or _COMPANY.search(text))

    def spot(self, text: str) -> list[FundMention]:
        """Funds named in `text` by code, alias or full name, with the share class if given."""
        # One mention per fund: by its codes, since funds read from one overview share its source.
        mentions: dict[tuple[str, ...] | str, FundMention] = {}
        for match in CODE.finditer(text):
            fund = self._by_code.get(match.group(1))
            if fund:
                index = fund.codes.index(match.group(1))
                mention = mentions.setdefault(fund.codes or fund.source, FundMention(fund))
                labelled = dict(fund.classes).get(match.group(1))
                positional = "A" if index == 0 else "C"
                mention.share_class = mention.share_class or labelled or positional
                mention.matched.append(match.group(1))
        lowered = text.lower()
        for alias, fund, lowered_alias, whole in self._aliases:
            position = _position(lowered, lowered_alias, whole)
            if position < 0:
                continue
            mention = mentions.setdefault(fund.codes or fund.source, FundMention(fund))
            mention.matched.append(alias)
            after = _CLASS_AFTER.match(text[position + len(alias) :])
            if after and not mention.share_class:
                mention.share_class = (after.group(1) or after.group(2)).upper()
        currency, letter = currency_of(text), letter_after_currency(text)
        for mention in mentions.values():
            mention.currency = currency
            mention.share_class = mention.share_class or letter
        if len(mentions) == 1:
            only = next(iter(mentions.values()))
            if not only.share_class:
                loose = _CLASS_ONLY.search(text)
                if loose:
                    only.share_class = _letter(loose)
        return list(mentions.values())

    def names_with_other_numbers(self, text: str) -> list[str]:
        """Names in `text` that begin as one of our funds' and go on with a number none of its
        names holds: 颐年2050 beside our 颐年2040, 养老2035 beside 养老2045 (the name cut
        inside its number: 养老2 is an alias too). A fund's number is part of its identity (a
        target year, an index, a term): such a name is another fund, and the passages of ours
        it starts like do not answer it."""
        lowered = text.lower()
        found = []
        for alias, numbers, lengths_after in self._numbered_aliases:
            for match in re.finditer(re.escape(alias), lowered):
                run = _number_at(lowered, match.start(), match.end())
                if run is None:
                    continue
                start, end = run
                if start == match.end() and (end - start not in lengths_after):
                    continue  # 日日盈7日年化, 颐年3年持有期 (our name: 颐年2040), 恒信12月
                if lowered[start:end] not in numbers:
                    found.append(text[min(start, match.start()) : end])
        return list(dict.fromkeys(found))

    def fund_of(self, chunk_codes: Iterable[str]) -> Fund | None:
        """The one fund whose codes these are (a passage about one fund), else None."""
        funds = {
            self._by_code[c].codes: self._by_code[c] for c in chunk_codes if c in self._by_code
        }
        return next(iter(funds.values())) if len(funds) == 1 else None

    def pointed_to(self, text: str, fund: Fund) -> bool:
        """The client's own words point to `fund` though no name of it stands whole: a word of
        its names that at most half the catalog's funds share (纯债 of 稳享纯债, 增强 of 沪深300
        指数增强; not 基金), or a currency it has classes in (美元份额)."""
        if currency_of(text) and fund.currency_classes:
            return True
        own, names = self._name_texts[fund.codes], self._name_texts.values()
        return any(
            len(w) >= 2 and w in own and sum(w in n for n in names) * 2 <= len(names)
            for w in (word.lower() for word in tokenize(text))
        )

    def names(self) -> tuple[str, ...]:
        """Every name the documents give a fund of the catalog (full names, titles, short
        names), the brand dropped: what a name written after the brand may abbreviate."""
        return self._names

    def by_code(self, code: str) -> Fund | None:
        return self._by_code.get(code)

    def unknown_codes(self, text: str) -> list[str]:
        """Six-digit numbers the client gives as a fund code that no fund of the catalog has
        (another company's fund): never answered from one of ours. Amounts (100000元) are not
        codes."""
        return [
            m.group(1)
            for m in CODE.finditer(text)
            if m.group(1) not in self._by_code and not AMOUNT_AFTER.match(text[m.end() :])
        ]


def _number_lengths_after(fund: Fund, alias: str) -> frozenset[int]:
    """The lengths of the numbers the fund's names write right after `alias` (lower-cased)."""
    names = [n.lower() for n in (fund.title, *fund.aliases)]
    runs = (NUMBER_RUN.match(n, len(alias)) for n in names if n.startswith(alias))
    return frozenset(len(run.group()) for run in runs if run)


def _numbers_in(names: Iterable[str]) -> frozenset[str]:
    """The Latin letter-and-digit runs holding a digit in `names`, lower-cased."""
    return frozenset(m.group() for n in names for m in NUMBER_RUN.finditer(n.lower()))


def _number_at(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The letter-and-digit run (holding a digit) that the match `text[start:end]` ends inside
    (养老2 of 养老2035) or that follows it directly (颐年 of 颐年2050), as (start, end)."""
    for run in NUMBER_RUN.finditer(text, start):
        if run.start() > end:
            return None
        if run.start() == end or run.start() < end <= run.end():
            return run.span()
    return None


def _position(text: str, alias: str, whole: re.Pattern[str] | None) -> int:
    """Where the lower-cased `alias` stands in lower-cased `text`, by its whole-word pattern if
    it has one; -1 if nowhere."""
    if whole is None:
        return text.find(alias)
    found = whole.search(text)
    return found.start() if found else -1


def _whole_words(alias: str) -> re.Pattern[str] | None:
    """For a name that opens with a Latin letter, the pattern that finds it as whole words in
    lower-cased text; None for any other name (found as written)."""
    if not alias[:1].isascii() or not alias[:1].isalpha():
        return None
    return re.compile(rf"(?<![a-z]){re.escape(alias.lower())}(?![a-z])")


def _product_name(fund: Fund) -> str:
    """The fund's name without its type (青岚稳享纯债债券型证券投资基金 → 青岚稳享纯债)."""
    return _FUND_TYPE.sub("", _BRACKETS.sub("", fund.name))


def _brand(funds: list[Fund]) -> str:
    """The manager's brand: the longest prefix of two characters or more that most funds'
    product names share (`majority_prefix`); "" when they share none."""
    return majority_prefix([_product_name(f) for f in funds])


def _with_short_names(funds: list[Fund], brand: str, written: list[set[str]]) -> list[Fund]:
    """Each fund also under the short names clients use, derived from its full name.

    A Chinese fund's full name is the manager's brand, the product's name and its type:
    青岚 + 稳享纯债 + 债券型证券投资基金. Clients write 青岚稳享纯债, 稳享纯债 or 稳享纯债C, so the
    type (`_FUND_TYPE`) is dropped, and then the brand (`_brand`). The short names the
    documents declare (`written`, 简称) join them, with and without the brand. A short name two
    funds would share names neither."""
    derived: list[set[str]] = []
    for fund, declared in zip(funds, written, strict=True):
        name = _product_name(fund)
        if len(name) - len(brand) < 2:  # the type was the product's name: 星河 + 货币市场基金
            name = _GENERIC_SUFFIX.sub("", _BRACKETS.sub("", fund.name))
        names = {name, *declared}
        names |= {QDII_SUFFIX.sub("", n) for n in names}
        short = names | {n[len(brand) :] for n in names if brand and n.startswith(brand)}
        derived.append({s for s in short if len(s) >= 2 and not s.isdigit() and s != brand})
    counts = Counter(s for shorts in derived for s in shorts)
    return [
        replace(
            f, aliases=tuple(dict.fromkeys([*f.aliases, *sorted(s for s in d if counts[s] == 1)]))
        )
        if f.aliases or f.title
        else f
        for f, d in zip(funds, derived, strict=True)
    ]


def _with_abbreviations(funds: list[Fund], brand: str, texts: list[str]) -> list[Fund]:
    """Each fund also under the shortest head of its short name that the documents write only
    in passages that name the fund anyway (in their text or their document's title): clients
    cut 安享纯债 to 安享 and 恒信6个月定开债 to 恒信 (恒信定开). A head a passage uses without the
    fund (红利 of 红利再投资, 先进 of 先进先出) or that is part of another fund's name is no name
    of the fund."""
    names = [tuple(a for a in (*f.aliases, f.title) if a) for f in funds]
    out = []
    for fund, own in zip(funds, names, strict=True):
        marks = (*own, *fund.codes)
        naming = [any(m in t for m in marks) for t in texts]
        if not any(naming):
            out.append(fund)
            continue
        others = [n for other in names if other is not own for n in other]
        elsewhere = "\n".join(t for t, names_it in zip(texts, naming, strict=True) if not names_it)
        heads = {
            head
            for name in own
            if _CJK_NAME.match(name) and not (brand and name.startswith(brand))
            for head in (name[:k] for k in range(2, len(name)))
            if head not in elsewhere and not any(head in n for n in others)
        }
        shortest = min(heads, key=lambda h: (len(h), h), default=None)
        if shortest is None or any(shortest.startswith(a) for a in own):
            out.append(fund)
        else:
            out.append(replace(fund, aliases=(*fund.aliases, shortest)))
    return out


def _class_labels(chunks: list[StoredChunk]) -> dict[str, str]:
    """Each code's share-class label, the one the documents write beside it most often."""
    seen: dict[str, Counter[str]] = {}
    for chunk in chunks:
        text = chunk.text
        for match in CODE.finditer(text):
            before = _LABEL_BEFORE.search(text[max(0, match.start() - 12) : match.start()])
            after = _LABEL_AFTER.match(text[match.end() : match.end() + 8])
            label = before or after
            if label:
                seen.setdefault(match.group(1), Counter())[label.group(1)] += 1
    return {code: counts.most_common(1)[0][0] for code, counts in seen.items()}


def _labelled(fund: Fund, labels: dict[str, str], currencies: dict[str, tuple[str, str]]) -> Fund:
    classes = tuple((code, labels[code]) for code in fund.codes if code in labels)
    if len({label for _, label in classes}) < len(classes):
        classes = ()  # two codes read as one class: the labels are not to be trusted
    in_currency = tuple((c, *currencies[c]) for c in fund.codes if c in currencies)
    return replace(fund, classes=classes, currency_classes=in_currency)


def classes_in_question(mentions: Sequence[FundMention], text: str) -> frozenset[str]:
    """The share classes a question asks about: its named funds' (纯债C类), or with no fund
    named the classes it names alone (`classes_asked`). The search and the writer read the same."""
    if mentions:
        return frozenset(m.share_class for m in mentions if m.share_class)
    return classes_asked(text)


def classes_asked(text: str) -> frozenset[str]:
    """The share classes a client's message names without naming a fund (C类收申购费吗,
    qdii美元c有申购费吗, class C): as for a named fund's class, a passage naming only other
    classes does not answer it. Clients write the letter in either case."""
    letters = {_letter(m) for m in _CLASS_ONLY.finditer(text)}
    after_currency = letter_after_currency(text)
    return frozenset(letters | {after_currency} if after_currency else letters)


def _letter(match: re.Match[str]) -> str:
    return next(group for group in match.groups() if group).upper()


def classes_named(text: str) -> frozenset[str]:
    """The share-class letters `text` names (a passage's "A类" or "Class A and C"): a passage
    naming only other classes than the one asked about does not answer for it."""
    return frozenset(
        letter
        for match in _CLASSES_NAMED.finditer(text)
        for letter in re.findall(r"[A-EY]", match.group(1) or match.group(2) or match.group(3))
    )
