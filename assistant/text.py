"""Small text utilities shared by the chunker, the writers and the checks."""

from __future__ import annotations

import re

# After a Chinese or English sentence end; "1.50%" and "www.rtfund.com" are not sentence ends.
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|(?<=\.)\s+|\n+")


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def table_cells(row: str) -> list[str]:
    """The cells of one Markdown table row: `| a | b |` → ['a', 'b']."""
    return [cell.strip() for cell in row.strip().strip("|").split("|")]
