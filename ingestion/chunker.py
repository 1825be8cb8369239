"""Structure-aware chunking of the loaders' Markdown.

Hand-written rather than llama-index's MarkdownNodeParser + SentenceSplitter: those know neither
FAQ pairs nor tables, and SentenceSplitter counts tokens with tiktoken, which downloads its
encoding at first use (no network here). Rules:
- a heading that is a question (ends with ？ or ?) and its answer = one chunk, whole;
- other sections keep their heading path; paragraphs are packed up to `max_chars`, a long
  paragraph is cut at Chinese/English sentence ends, a table stays whole while it is small.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from assistant.text import split_sentences

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
MAX_CHARS = 600
MAX_TABLE_CHARS = 1500
MAX_FAQ_CHARS = 1500
PREAMBLE_CHARS = 120  # longer, it is an introduction of its own


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
    for section in _preamble_joined(_sections(markdown, title)):
        body = "\n".join(section.lines).strip()
        if not body:
            continue
        path = " > ".join(section.path) or None
        heading = section.path[-1] if section.path else ""
        if _is_question(heading):
            for part in _split_long(body, MAX_FAQ_CHARS):
                chunks.append(Chunk(f"{heading}\n{part}", path, "faq", question=heading))
            continue
        chunks.extend(_pack_blocks(_blocks(body), path, max_chars))
    return chunks


def _sections(markdown: str, title: str) -> list[_Section]:
    sections = [_Section(path=[])]
    stack: list[tuple[int, str]] = []
    in_fence = False
    for line in markdown.splitlines():
        if line.strip().startswith("```"):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line.strip())
        if match is None:
            sections[-1].lines.append(line)
            continue
        level, text = len(match.group(1)), match.group(2).strip()
        if level == 1 and text == title:
            continue
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, text))
        sections.append(_Section(path=[t for _, t in stack]))
    return sections


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
    """Cut at sentence ends so no chunk is longer than `limit` unless one sentence is."""
    if len(text) <= limit:
        return [text]
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
