"""What an extractive answer quotes from one passage: an FAQ's answer as written, a small
passage or table whole, or the sentences of a section richest in the question's terms."""

from __future__ import annotations

import re

from assistant.retrieval.hybrid import ScoredChunk
from assistant.retrieval.tokenizer import tokenize
from assistant.text import split_sentences

MAX_SENTENCES = 3
_NUMBER = re.compile(r"\d")


def answer_from(chunk: ScoredChunk, question: str) -> str:
    text = chunk.text.strip()
    if chunk.metadata.get("kind") == "faq":
        lines = text.split("\n", 1)
        return lines[1].strip() if len(lines) > 1 else text
    if chunk.metadata.get("kind") == "table" or len(text) <= 160:
        return text
    return _best_sentences(text, question)


def _best_sentences(text: str, question: str) -> str:
    """Keep a small table whole; choose the sentences richest in the question's terms."""
    blocks = _table_and_text(text)
    wanted = set(tokenize(question))
    scored: list[tuple[float, int, str]] = []
    for position, block in enumerate(blocks):
        terms = set(tokenize(block))
        overlap = len(wanted & terms)
        score = overlap + (0.5 if _NUMBER.search(block) else 0.0)
        scored.append((score, position, block))
    best = sorted(scored, key=lambda item: (-item[0], item[1]))[:MAX_SENTENCES]
    if not best or best[0][0] == 0:
        return "\n".join(blocks[:MAX_SENTENCES])
    chosen = sorted(best, key=lambda item: item[1])
    return "\n".join(block for score, _, block in chosen if score > 0)


def _table_and_text(text: str) -> list[str]:
    blocks: list[str] = []
    table: list[str] = []
    for line in text.splitlines():
        if line.lstrip().startswith("|"):
            table.append(line)
            continue
        if table:
            blocks.append("\n".join(table))
            table = []
        blocks.extend(split_sentences(line))
    if table:
        blocks.append("\n".join(table))
    return blocks
