"""Structure-aware chunking of the loaders' Markdown.

Hand-written rather than llama-index's MarkdownNodeParser + SentenceSplitter: those know neither
FAQ pairs nor tables, and SentenceSplitter counts tokens with tiktoken, which downloads its
encoding at first use (no network here). Rules:
- a heading that is a question (ends with ？ or ?) and its answer = one chunk, whole; so is a
  question written as a labelled line and its answer (问：…？ 答：…, a dialogue's 客户：…？
  小鹤：…), when the document writes at least two that way;
- other sections keep their heading path; paragraphs are packed up to `max_chars`, a long
  paragraph is cut at Chinese/English sentence ends, a table stays whole while it is small.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from assistant.text import split_sentences

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
MAX_CHARS = 600
MAX_TABLE_CHARS = 1500
MAX_FAQ_CHARS = 1500
PREAMBLE_CHARS = 120  # longer, it is an introduction of its own
MIN_PAIRS = 2  # labelled question lines answered alike that make a document's FAQs
# A line opened by a short label: 【问】…, 问：…, 客户：…, Q: … (not a table row, a list item, a
# quote or a URL's scheme).
_LABEL = re.compile(r"^(?:【([^】\s]{1,4})】|([^\s：:|#>*\-\d]{1,4})\s*[：:](?!//))\s*(.+)$")


@dataclass
class Chunk:
    text: str  # the passage as written (what an answer quotes)
    section: str | None  # heading path below the title, "四、费用 > 赎回费"
    kind: Literal["faq", "section", "table"]
    question: str | None = None


@dataclass
class _Section:
    path: list[str]
    lines: list[str] = field(default_factory=list)


def chunk_markdown(markdown: str, title: str, max_chars: int = MAX_CHARS) -> list[Chunk]:
    chunks: list[Chunk] = []
    labels = _question_labels(markdown)
    for section in _preamble_joined(_sections(markdown, title)):
        body = "\n".join(section.lines).strip()
        if not body:
            continue
        path = " > ".join(section.path) or None
        heading = section.path[-1] if section.path else ""
        if _is_question(heading):
            chunks.extend(_faq(heading, body, path))
            continue
        lead, pairs = _labelled_pairs(body, labels)
        if lead:
            chunks.extend(_pack_blocks(_blocks(lead), path, max_chars))
        for question, answer in pairs:
            chunks.extend(_faq(question, answer, path))
    return chunks


def _faq(question: str, answer: str, path: str | None) -> list[Chunk]:
    return [
        Chunk(f"{question}\n{part}", path, "faq", question=question)
        for part in _split_long(answer, MAX_FAQ_CHARS)
    ]


def _question_labels(markdown: str) -> tuple[str, str] | None:
    """The labels a document writes its questions and answers with, when it writes them as
    labelled lines rather than headings (问：…？ 答：…; 【问】…？ 【答】…; a dialogue, 客户：…？
    小鹤：…; Q: …? A: …). Read from the layout, not from a list: the label that opens at least
    `MIN_PAIRS` lines ending in a question mark, each followed by one other label's line."""
    parsed = [_LABEL.match(line.strip()) for line in markdown.splitlines() if line.strip()]
    asking: Counter[tuple[str, str]] = Counter()
    for match, after in itertools.pairwise(parsed):
        if match and after and _is_question(match.group(3)) and _label(match) != _label(after):
            asking[_label(match), _label(after)] += 1
    if not asking:
        return None
    labels, count = asking.most_common(1)[0]
    return labels if count >= MIN_PAIRS else None


def _labelled_pairs(body: str, labels: tuple[str, str] | None) -> tuple[str, list[tuple[str, str]]]:
    """The text of a section before its first labelled question, and each (question, answer):
    the answer runs to the next question (all lead when the document has no such labels).
    Packed as plain text, one passage held three questions and their answers, and the
    question asked was quoted beside two it had not."""
    if labels is None:
        return body, []
    asker, answerer = labels
    lines = [line for line in body.splitlines() if line.strip()]
    parsed = [_LABEL.match(line.strip()) for line in lines]
    starts = [
        i
        for i, (match, after) in enumerate(itertools.pairwise(parsed))
        if match
        and after
        and _label(match) == asker
        and _label(after) == answerer
        and _is_question(match.group(3))
    ]
    if not starts:
        return body, []
    pairs = []
    for start, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        question, first = parsed[start], parsed[start + 1]
        assert question is not None and first is not None
        answer = "\n".join([first.group(3), *lines[start + 2 : end]]).strip()
        pairs.append((question.group(3).strip(), answer))
    return "\n\n".join(lines[: starts[0]]).strip(), pairs


def _label(match: re.Match[str]) -> str:
    return match.group(1) or match.group(2)


def _sections(markdown: str, title: str) -> list[_Section]:
    """The document's sections, each with its heading path below the title. The title's own
    heading is no section; nor is a document's one top-level heading that opens it, though it
    words the title otherwise (a web page's <h1> under a <title> naming the site too): as the
    root of every path it headed each passage twice ("账户服务指南 - 榕湾基金 账户服务指南 > 一、…"),
    and the pair reader reads only so many pieces of heading and passage together."""
    marked = list(_marked_lines(markdown))
    top_level = sum(1 for _, match in marked if match is not None and match.group(1) == "#")
    sections = [_Section(path=[])]
    stack: list[tuple[int, str]] = []
    for line, match in marked:
        if match is None:
            sections[-1].lines.append(line)
            continue
        level, text = len(match.group(1)), match.group(2).strip()
        if level == 1 and (text == title or (top_level == 1 and not stack)):
            continue
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, text))
        sections.append(_Section(path=[t for _, t in stack]))
    return sections


def _marked_lines(markdown: str) -> Iterator[tuple[str, re.Match[str] | None]]:
    """Each line with its heading match (None for text, and for anything in a code fence)."""
    in_fence = False
    for line in markdown.splitlines():
        if line.strip().startswith("```"):
            in_fence = not in_fence
        yield line, None if in_fence else _HEADING.match(line.strip())


def _preamble_joined(sections: list[_Section]) -> list[_Section]:
    """A short text before the first heading opens the first section instead of standing alone.

    It is usually the document's own title block (the fund's name and codes): as a passage of
    its own it answers nothing, yet it matches every question naming the fund and was quoted
    as the answer ("006633股票仓位范围" got "…基金概况（A类份额：006633…）").
    """
    preamble = "\n".join(sections[0].lines).strip()
    if not preamble or len(preamble) > PREAMBLE_CHARS or len(sections) < 2:
        return sections
    first = sections[1]
    if _is_question(first.path[-1] if first.path else ""):
        return sections
    joined = _Section(path=first.path, lines=[preamble, "", *first.lines])
    return [joined, *sections[2:]]


def _is_question(heading: str) -> bool:
    return heading.endswith(("？", "?"))


def _blocks(body: str) -> list[tuple[str, str]]:
    """Split a section body into ("table" | "text", content) blocks."""
    blocks: list[tuple[str, str]] = []
    current: list[str] = []
    current_kind = "text"
    for line in body.splitlines():
        kind = "table" if line.lstrip().startswith("|") else "text"
        if not line.strip() or kind != current_kind:
            if current:
                blocks.append((current_kind, "\n".join(current).strip()))
            current = []
        current_kind = kind
        if line.strip():
            current.append(line)
    if current:
        blocks.append((current_kind, "\n".join(current).strip()))
    return blocks


def _pack_blocks(blocks: list[tuple[str, str]], path: str | None, max_chars: int) -> list[Chunk]:
    chunks: list[Chunk] = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            chunks.append(Chunk("\n".join(buffer), path, "section"))
            buffer.clear()

    for kind, text in blocks:
        if kind == "table":
            if len(text) <= MAX_TABLE_CHARS:
                # A small table belongs with the sentence that introduces it.
                if buffer and sum(map(len, buffer)) + len(text) <= MAX_TABLE_CHARS:
                    buffer.append(text)
                    flush()
                else:
                    flush()
                    chunks.append(Chunk(text, path, "table"))
            else:
                flush()
                chunks.extend(Chunk(part, path, "table") for part in _split_table(text))
            continue
        for piece in _split_long(text, max_chars):
            if buffer and sum(map(len, buffer)) + len(piece) > max_chars:
                flush()
            buffer.append(piece)
    flush()
    return chunks


def _split_long(text: str, limit: int) -> list[str]:
    """Cut at line ends so no chunk is longer than `limit` unless one line is, and a longer
    line at sentence ends. The lines stay lines: a rule's items (（三）创业板指数：T+1日确认；
    赎回款T+4日内到账；) read as one run of text had lost where each item ends."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current: list[str] = []
    for piece in (piece for line in text.splitlines() for piece in _split_line(line, limit)):
        if current and sum(len(c) + 1 for c in current) + len(piece) > limit:
            parts.append("\n".join(current))
            current = []
        current.append(piece)
    if current:
        parts.append("\n".join(current))
    return parts


def _split_line(text: str, limit: int) -> list[str]:
    """One line cut at sentence ends so no part is longer than `limit` unless one sentence is."""
    if len(text) <= limit:
        return [text.strip()] if text.strip() else []
    parts: list[str] = []
    current = ""
    for sentence in split_sentences(text):
        if current and len(current) + len(sentence) > limit:
            parts.append(current.strip())
            current = ""
        current += sentence if not current or _joins_without_space(current) else " " + sentence
    if current.strip():
        parts.append(current.strip())
    return parts


def _joins_without_space(current: str) -> bool:
    """Chinese sentences join directly; English ones need a space."""
    return "\u4e00" <= current[-1] <= "\u9fff" or current[-1] in "。！？；"


def _split_table(table: str) -> list[str]:
    """A large table is cut by rows, each part repeating the header."""
    lines = table.splitlines()
    header, rows = lines[:2], lines[2:]
    parts: list[str] = []
    current: list[str] = []
    for row in rows:
        if current and sum(map(len, header + current)) + len(row) > MAX_TABLE_CHARS:
            parts.append("\n".join(header + current))
            current = []
        current.append(row)
    if current:
        parts.append("\n".join(header + current))
    return parts
