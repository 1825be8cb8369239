"""A learned linear map that moves a client's question toward the passages that answer it.

e5 places "300增强A买300万费率多少" nearer to the fund's product page than to the fee table
that answers it: clients' words and documents' words differ. The adapter (q' = q + qA, one
384 x 384 matrix trained here on three fictional companies' labelled questions, `python -m
evals.train_query_adapter --write`; a map fitted on one company alone helped that company and
read the companies written since worse than e5 alone) re-ranks the dense search only. The
similarity each passage reports stays e5's own, so the passage ranker and the answerability
model, which were calibrated on e5 similarities, read what they were trained on. The passages'
vectors are untouched: nothing is re-embedded, and the map costs one small matrix product a
question.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from assistant.prompts import PROMPTS_DIR

ADAPTER_FILE = PROMPTS_DIR / "query_adapter.v2.npy"
CARD_FILE = PROMPTS_DIR / "query_adapter.v2.json"


@dataclass(frozen=True)
class QueryAdapter:
    matrix: np.ndarray
    embedding: str  # the embedding_id whose vectors it was trained on
    version: str

    def adapt(self, vector: list[float] | np.ndarray) -> np.ndarray:
        query = np.asarray(vector, dtype=np.float32)
        return query + query @ self.matrix


@cache
def load_query_adapter(embedding: str, path: Path = ADAPTER_FILE) -> QueryAdapter | None:
    """The adapter for vectors of `embedding` (an `embedding_id`); None when none is shipped or
    it was trained on another embedder's vectors, where it would only scramble the ranking: the
    dense search then ranks by e5 alone."""
    if not path.exists():
        return None
    card = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    if card["embedding"] != embedding:
        return None
    return QueryAdapter(np.load(path).astype(np.float32), card["embedding"], card["version"])
