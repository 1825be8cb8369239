"""Dense search in the worker's own memory, over the vectors of the live snapshot.

The Chroma server stays the store of record (ingest writes there; each new index generation is
read from it once), but a turn no longer asks it anything: a round trip per turn cost a worker
more than a third of its time under load (an HTTP request, the server's own CPU, the wait),
while an exact cosine over a few thousand 384-dimensional vectors is one matrix product of
well under a millisecond. Exact search also finds what an approximate HNSW graph may miss.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class DenseVectors:
    """The live chunks' vectors, one normalised row per chunk, in the snapshot's order."""

    def __init__(self, vectors: Sequence[Sequence[float]] | np.ndarray, dimensions: int = 0):
        matrix = np.asarray(vectors, dtype=np.float32)
        if matrix.size == 0:
            matrix = np.zeros((0, dimensions), dtype=np.float32)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        self.matrix = matrix / np.where(norms == 0, 1.0, norms)

    def __len__(self) -> int:
        return int(self.matrix.shape[0])

    def nearest(
        self, vector: Sequence[float] | np.ndarray, n: int, keep: np.ndarray | None = None
    ) -> dict[int, float]:
        """Position → cosine similarity of the `n` most similar rows (only rows where `keep`
        is non-zero), best first: what Chroma's cosine space returns as 1 - distance."""
        if n <= 0 or not len(self):
            return {}
        similarities = self.matrix @ _unit(vector)
        candidates = np.arange(len(self)) if keep is None else np.flatnonzero(keep)
        if not candidates.size:
            return {}
        if candidates.size > n:
            part = np.argpartition(-similarities[candidates], n - 1)[:n]
            candidates = candidates[part]
        order = candidates[np.argsort(-similarities[candidates], kind="stable")]
        return {int(p): float(similarities[p]) for p in order}

    def similarities(self, vector: Sequence[float], positions: list[int]) -> dict[int, float]:
        """Position → cosine similarity of `vector` to those rows, in the order given."""
        unit = _unit(vector)
        return {p: float(self.matrix[p] @ unit) for p in positions}


def _unit(vector: Sequence[float] | np.ndarray) -> np.ndarray:
    query = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(query))
    return query / norm if norm else query
