"""Steps of the pipeline that must not fail the turn when an outside service does."""

from __future__ import annotations

import logging

from assistant.retrieval.hybrid import HybridRetriever, ScoredChunk
from assistant.service import metrics

log = logging.getLogger(__name__)


def guarded_search(retriever: HybridRetriever, query: str, *, own_words: str) -> list[ScoredChunk]:
    """The retriever's chunks, or none when the vector store fails: with no passage the gate
    hands the turn to an agent (low confidence) instead of the client getting an error. BM25
    alone is not trusted to answer: its scores are not calibrated for the gate."""
    try:
        return retriever.search(query, own_words=own_words)
    except Exception as exc:
        metrics.DEPENDENCY_ERRORS.labels("vector_store").inc()
        log.warning("retrieval failed (%s); handing the turn off", type(exc).__name__)
        return []
