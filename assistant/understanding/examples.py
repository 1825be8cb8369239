"""Nearest seed examples: a second opinion on the intent from the message's embedding.

Rules see words; the embedding sees paraphrases and typos the word lists miss ("赎会" for
"赎回"). Seeds are written in `prompts/understanding/examples.v*.yaml`, embedded once when the
understander is built, and compared with the query vector the pipeline already computed, so
a vote costs one small matrix product, not another model call.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding

from assistant.understanding.models import Evidence


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class NearestExamples:
    """Labelled seed sentences and their unit vectors."""

    def __init__(self, examples: dict[str, list[str]], embedder: BaseEmbedding) -> None:
        self.texts = [text for texts in examples.values() for text in texts]
        self.labels = [label for label, texts in examples.items() for _ in texts]
        # Seeds are embedded as queries, like the messages they are compared with (e5 is
        # trained with a "query: " prefix on both sides for symmetric similarity).
        self.matrix = _unit(np.array([embedder.get_query_embedding(t) for t in self.texts]))

    def neighbours(self, vector: Sequence[float], k: int) -> list[tuple[int, float]]:
        """Indices and cosine similarities of the `k` nearest seeds."""
        sims = self.matrix @ _unit(np.asarray(vector, dtype=self.matrix.dtype))
        top = np.argsort(-sims)[:k]
        return [(int(i), float(sims[i])) for i in top]

    def vote(
        self, vector: Sequence[float], *, k: int, min_similarity: float
    ) -> dict[str, tuple[float, list[Evidence]]]:
        """Each label's share of the similarity among the near neighbours, with the seeds."""
        near = [(i, s) for i, s in self.neighbours(vector, k) if s >= min_similarity]
        total = sum(s for _, s in near)
        votes: dict[str, tuple[float, list[Evidence]]] = {}
        for index, sim in near:
            label = self.labels[index]
            share, evidence = votes.get(label, (0.0, []))
            seed = Evidence(kind="example", text=self.texts[index], weight=round(sim, 3))
            votes[label] = (share + sim / total, [*evidence, seed])
        return votes
