"""Is a sentence supported by the passages? Token overlap, with every number required verbatim.

Numbers are where a fund answer goes wrong in ways that matter (1.50% vs 0.50%, T+3 vs T+4),
so a sentence whose figures are not all in the passages is unsupported however similar it
reads; otherwise most of its content words must appear in the passages.
"""

from __future__ import annotations

import re

from assistant.retrieval.tokenizer import tokenize

_FIGURE = re.compile(r"\d+(?:\.\d+)?%?|T\+\d+")
MIN_OVERLAP = 0.6


def is_supported(sentence: str, passages: list[str]) -> bool:
    joined = "\n".join(passages)
    figures = _FIGURE.findall(sentence)
    if any(figure not in joined for figure in figures):
        return False
    words = set(tokenize(sentence))
    if not words:
        return True
    known = set(tokenize(joined))
    return len(words & known) / len(words) >= MIN_OVERLAP


def support_share(sentences: list[str], passages: list[str]) -> float:
    if not sentences:
        return 0.0
    return sum(is_supported(s, passages) for s in sentences) / len(sentences)
