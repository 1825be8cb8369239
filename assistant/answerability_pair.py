"""What the retrieved list and the passage ranker say about the quote they produced.

Within one company a wrong quote is rarely off-topic: it is the fee table beside the one asked
for, the login-password rule for the trading password. What sets it apart is how contested the
choice was: whether the ranker preferred the quoted passage by a clear margin over the
runner-up, whether dense and BM25 retrieval agree on the top passage, whether the quoted
document is the one retrieval put first, and how many documents the top five spread over.
These read only the (question, passages) pair, never a company's words.
"""

from __future__ import annotations

import math

import numpy as np

from assistant.retrieval.hybrid import ScoredChunk
from assistant.retrieval.tokenizer import tokenize
from assistant.writers.base import WriteRequest, WrittenAnswer
from assistant.writers.passage_ranker import FEATURES as RANKER_FEATURES
from assistant.writers.passage_ranker import PassageRanker, term_share

PAIR_FEATURES = (
    "rank_score",  # the passage ranker's score of the quoted passage
    "rank_margin",  # that score minus the best other candidate's (negative: not its first pick)
    "quoted_position",  # retrieval rank of the quoted passage, 0 (first) to 1 (fifth or later)
    "quoted_top_doc",  # the quoted passage's document is the top passage's document
    "dense_bm25_agree",  # dense and BM25 put the same passage first among the top five
    "quoted_dense_best",  # the quoted passage is the densest match among the top five
    "quoted_bm25_best",  # the quoted passage is the best BM25 match among the top five
    "distinct_docs",  # distinct documents among the top five, over five
    "quoted_doc_share",  # share of the top five from the quoted passage's document
    "dense_margin",  # best dense similarity minus the second best among the top five
    "quoted_faq",  # the quoted passage is an FAQ entry
    "quoted_table",  # the quoted passage is a table
    "class_asked",  # the question names a share class
    "class_held",  # ...and the quoted passage names it (1 when none is asked)
    "quote_length",  # log of the quote's length in characters, over 10
    "quote_coverage",  # share of the question's terms in the quoted sentences themselves
    "coverage_gap",  # best other top-five passage's term coverage minus the quoted passage's
    "dense_gap",  # quoted passage's dense similarity minus the best among the top five
)
_NAMES_CLASS = RANKER_FEATURES.index("names_class")


def pair_features(
    ranker: PassageRanker | None,
    request: WriteRequest,
    chunks: list[ScoredChunk],
    written: WrittenAnswer,
) -> dict[str, float]:
    quoted = written.used_chunks[0] if written.used_chunks else None
    top = chunks[:5]
    ids = [c.id for c in top]
    at = ids.index(quoted.id) if quoted is not None and quoted.id in ids else None
    dense = [c.dense_similarity if c.dense_similarity is not None else -1.0 for c in top]
    bm25 = [c.bm25_score or 0.0 for c in top]
    dense_first = int(np.argmax(dense)) if top else -1
    bm25_first = int(np.argmax(bm25)) if any(bm25) else -1
    ordered = sorted(dense, reverse=True)
    sources = [c.source for c in top]
    score, margin, class_held = _ranker_view(ranker, request, chunks, quoted)
    terms = set(tokenize(request.question))
    covered = [term_share(terms, f"{c.section or ''} {c.text}") for c in top]
    others = [c for i, c in enumerate(covered) if i != at]
    own = covered[at] if at is not None else term_share(terms, written.text)
    return {
        "rank_score": score,
        "rank_margin": margin,
        "quoted_position": min(at if at is not None else 4, 4) / 4,
        "quoted_top_doc": 1.0
        if quoted is not None and top and quoted.source == top[0].source
        else 0.0,
        "dense_bm25_agree": 1.0 if dense_first >= 0 and dense_first == bm25_first else 0.0,
        "quoted_dense_best": 1.0 if at is not None and at == dense_first else 0.0,
        "quoted_bm25_best": 1.0 if at is not None and at == bm25_first else 0.0,
        "distinct_docs": len(set(sources)) / 5,
        "quoted_doc_share": sources.count(quoted.source) / 5 if quoted is not None else 0.0,
        "dense_margin": ordered[0] - ordered[1] if len(ordered) > 1 else 0.0,
        "quoted_faq": 1.0 if quoted is not None and quoted.metadata.get("kind") == "faq" else 0.0,
        "quoted_table": 1.0
        if quoted is not None and quoted.metadata.get("kind") == "table"
        else 0.0,
        "class_asked": 1.0 if request.share_class else 0.0,
        "class_held": class_held,
        "quote_length": math.log1p(len(written.text)) / 10,
        "quote_coverage": term_share(terms, written.text),
        "coverage_gap": max(others) - own if others else 0.0,
        "dense_gap": (dense[at] if at is not None else min(dense, default=0.0))
        - max(dense, default=0.0),
    }


def _ranker_view(
    ranker: PassageRanker | None,
    request: WriteRequest,
    chunks: list[ScoredChunk],
    quoted: ScoredChunk | None,
) -> tuple[float, float, float]:
    """The ranker's score of the quote, its margin over the best other candidate, and whether
    the quote names the share class asked about (1 when none is asked)."""
    if ranker is None or quoted is None or not chunks:
        return 0.0, 0.0, 1.0
    candidates = chunks[: ranker.candidates]
    ids = [c.id for c in candidates]
    if quoted.id not in ids:
        return 0.0, -1.0, 1.0 if not request.share_class else 0.0
    rows = ranker.features(request, candidates)
    scores = rows @ ranker.weights
    at = ids.index(quoted.id)
    others = np.delete(scores, at)
    margin = float(scores[at] - others.max()) if len(others) else 1.0
    held = float(rows[at, _NAMES_CLASS]) if request.share_class else 1.0
    return float(scores[at]), margin, held
