"""The short names the documents themselves give a fund: 简称.

Clients write a fund's short name (青岚300增强, 青岚全球科技), and a short name derived from the
full name by dropping its type (青岚沪深300, 青岚全球科技精选) is not always the one the company
uses. Chinese fund documents declare it in these ways, which this module reads:

- after the full name: 青岚添利货币市场基金（简称"青岚添利"）, 本基金（以下简称"300增强"或"沪深300增强"）;
- as a field after the full name: 基金名称：X基金 / 基金简称：X;
- as a table's 简称 column, in the row that carries the full name;
- as a field of a fund's own page (| 基金简称 | X全球医疗QDII |, 基金简称：X添益货币) far from
  its full name: it goes to the one fund whose name it shortens (`shortens`: its characters in
  order, QDII and class left out: X养老2045 of X养老目标日期2045三年持有期…).

A fund not recognised by its short name is quoted from another fund's passage or, worse, a
question about a class it lacks (全球科技美元现汇C类) is answered from a class it has.
"""

from __future__ import annotations

import re

from assistant.text import table_cells

_QUOTED = re.compile(r"[“\"「『']([^”\"」』'，,。；;（）()]{2,20})[”\"」』']")
# Right after a full name: an optional bracketed type ((QDII)), then the declaration.
_AFTER_NAME = re.compile(
    r"^\s*(?:[（(][^）)（(]{1,10}[）)])?\s*[（(]\s*(?:以下)?简称\s*(?P<said>[^）)]{2,60})[）)]"
)
_FIELD = re.compile(
    r"^\s*(?:[（(][^）)（(]{1,10}[）)])?\s*[\n|；;]?\s*(?:基金)?简称\s*[：:|]\s*(?P<said>[^\n|]{2,40})"
)
_SHORT_FIELD = re.compile(r"基金简称\s*[：:|]\s*([^\n|，,。；;（）()]{2,30})")
QDII_SUFFIX = re.compile(r"\s*[（(]?QDII[）)]?$", re.I)  # 全球医疗QDII is 全球医疗 to a client
_CLASS_TAIL = re.compile(r"\s*(?:[A-EY]类?|[A-EY]份额)$")
_SEPARATORS = re.compile(r"\s*(?:/|／|、|或|;|；)\s*")
# A name's number: Latin letters and digits ending in a digit (2045, a500, 300); a share class
# after it (养老2045a, 中证A500C) is not part of it.
NUMBER_RUN = re.compile(r"[a-z]*[0-9]+(?:[a-z]+[0-9]+)*")


def written_short_names(texts: list[str], full_names: list[str]) -> list[set[str]]:
    """Per full name (in order), the short names the texts declare for it."""
    found: list[set[str]] = [set() for _ in full_names]
    for text in texts:
        for i, full in enumerate(full_names):
            if len(full) < 6:
                continue
            for match in re.finditer(re.escape(full), text):
                found[i] |= _declared_after(text[match.end() : match.end() + 80])
        for i, short in _table_column(text, full_names):
            found[i].add(short)
    for short in {_bare(m.group(1)) for text in texts for m in _SHORT_FIELD.finditer(text)}:
        core = QDII_SUFFIX.sub("", short)
        owners = [i for i, full in enumerate(full_names) if len(core) >= 4 and shortens(core, full)]
        if len(owners) == 1:
            found[owners[0]].add(short)
    return [{s for s in shorts if s not in full_names} for shorts in found]


def shortens(short: str, name: str) -> bool:
    """`short` is `name` with characters left out (case aside): 恒信定开债 of 恒信6个月定开债.
    Clients and documents shorten a fund's name by dropping characters, never by adding or
    changing them, and never inside its number: 中证500 is another index than 中证A500."""
    remaining = iter(name.lower())
    if not all(char in remaining for char in short.lower()):
        return False
    return set(NUMBER_RUN.findall(short.lower())) <= set(NUMBER_RUN.findall(name.lower()))


def _declared_after(rest: str) -> set[str]:
    after = _AFTER_NAME.match(rest)
    if after:
        quoted = _QUOTED.findall(after.group("said"))
        return {_bare(q) for q in quoted if "本基金" not in q} - {""}
    field = _FIELD.match(rest)
    if field:
        return {_bare(part) for part in _SEPARATORS.split(field.group("said").strip())} - {""}
    return set()


def _table_column(text: str, full_names: list[str]) -> list[tuple[int, str]]:
    """(fund index, short name) from tables with a 简称 column."""
    pairs = []
    column = None
    for line in text.splitlines():
        if not line.strip().startswith("|"):
            column = None
            continue
        cells = table_cells(line)
        if "简称" in cells:
            column = cells.index("简称")
            continue
        if column is None or column >= len(cells):
            continue
        for i, full in enumerate(full_names):
            if len(full) >= 6 and full in line:
                short = _bare(cells[column])
                if short:
                    pairs.append((i, short))
    return pairs


def _bare(name: str) -> str:
    """A short name without a share class or stray marks: 青岚均衡优选混合A → 青岚均衡优选混合."""
    name = _CLASS_TAIL.sub("", name.strip(" \t“”\"'「」『』"))
    return name if 2 <= len(name) <= 16 and not set(name) <= set("-—– ") else ""
