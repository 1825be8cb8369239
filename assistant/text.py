"""Small text utilities shared by the chunker, the writers and the checks."""

from __future__ import annotations

import re

# A question's asking and counting words (几, 多少, 哪, 什么, 怎么…): part of no fund's name and
# of no topic, only of what a question asks.
ASKING_WORD = re.compile(r"^(?:几|多少|哪|什么|啥|怎么|如何)")
# After a Chinese or English sentence end; "1.50%" and "www.rtfund.com" are not sentence ends.
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|(?<=\.)\s+|\n+")


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def table_cells(row: str) -> list[str]:
    """The cells of one Markdown table row: `| a | b |` → ['a', 'b']."""
    return [cell.strip() for cell in row.strip().strip("|").split("|")]
