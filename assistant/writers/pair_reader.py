"""The pair reader: e5 reading a question and a candidate passage together (a cross-encoder).

The passage ranker's features (`passage_ranker.py`) look at the question and the passage apart:
similarities of two vectors, shared terms, whether a figure of the kind asked for is there. No
combination of them told "the manager's row of the fund's table" from "the fund's tag line"
(鹤汀红利低波的基金经理), or the USD classes' minimum from their redemption rule: session 19
refitted them every way without gain. This reader is e5's first six layers, the top three
fine-tuned to read `query: <question> passage: <heading> <quote>` as one text and score it, trained
listwise over the five candidates of labelled questions (`python -m evals.train_pair_reader`).
The ranker adds its score, standardised over the candidates, to its own (`pair_reader.weight`).

It runs by onnxruntime on the caller's thread, one candidate a call, its weight matrices int8
(`assistant/encoder/onnx.py`), and reads only the linear ranker's first three candidates, each
cut at 128 pieces: ~20 ms a turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
import torch

from assistant.encoder import E5Encoder
from assistant.encoder.finetuned import load_finetuned
from assistant.encoder.onnx import TokenStates, card_smoothing, onnx_session, run, word_vectors
from assistant.encoder.tokenizer import E5Tokenizer

# Question, heading and quote in pieces; a longer quote is cut at its end. The card of a reader
# says the length it was trained at (v1: 256).
MAX_TOKENS = 128
# int8 except the head, e5's feed-forward inputs smoothed first (the card's `int8_smooth`, as the
# name tagger does, `assistant/redaction/e5_ner.py`): a pair of ~114 pieces in 6.4 ms instead of
# 16.4 in float, and of the 979 training questions with a right candidate the ranker picks right
# for 879 either way (plain int8: 874).
INT8_KEEP_FLOAT = ("head",)


def pair_text(question: str, heading: str, quote: str) -> str:
    return f"query: {question}\npassage: {heading}\n{quote}"


def pair_tokenizer(encoder: E5Encoder, max_tokens: int = MAX_TOKENS) -> E5Tokenizer:
    """e5's tokenizer cutting at `max_tokens`, the end token kept (build it once: each one
    loads the 250k-piece model)."""
    return E5Tokenizer(encoder.tokenizer.vocabulary, max_tokens)


class PairNetwork(torch.nn.Module):
    """e5's token states for the pair, mean-pooled, then the head: one score."""

    def __init__(self, encoder: E5Encoder, head: dict[str, torch.Tensor]) -> None:
        super().__init__()
        self.states = TokenStates(encoder)
        self.head = torch.nn.Linear(head["weight"].shape[1], 1)
        self.head.load_state_dict(head)

    def forward(self, vectors: torch.Tensor) -> torch.Tensor:
        return self.head(self.states(vectors).mean(1))


class PairReader:
    """The reader in a file (`load_finetuned`), run int8 by onnxruntime as its card says."""

    def __init__(self, path: Path) -> None:
        reader = load_finetuned(path)
        self.encoder = reader.encoder
        self.version: str = reader.card["version"]
        self.tokenizer = pair_tokenizer(reader.encoder, int(reader.card.get("max_tokens", 256)))
        self.network = PairNetwork(reader.encoder, reader.head).eval()
        example = self._vectors("管理费多少", "费用", "管理费1.20%")
        smooth = card_smoothing(reader.card.get("int8_smooth"))
        self.session = onnx_session(self.network, example, INT8_KEEP_FLOAT, smooth)

    def _vectors(self, question: str, heading: str, quote: str) -> np.ndarray:
        ids = self.tokenizer.encode(pair_text(question, heading, quote)).ids
        return word_vectors(self.encoder, ids)

    def scores(
        self, question: str, headings: Sequence[str], quotes: Sequence[str], engine: str = "onnx"
    ) -> np.ndarray:
        """One score per candidate: higher, the likelier it answers (`engine` "torch" runs the
        same network in float torch, for the tests)."""
        return np.array(
            [self.score(question, h, q, engine) for h, q in zip(headings, quotes, strict=True)]
        )

    def score(self, question: str, heading: str, quote: str, engine: str = "onnx") -> float:
        """One pair's score (the ranker reads each candidate against its own question)."""
        vectors = self._vectors(question, heading, quote)
        return float(np.ravel(run(self.session, self.network, vectors, engine))[0])


@cache
def load_pair_reader(path: Path) -> PairReader:
    """One reader a process, shared by every ranker that names the file."""
    return PairReader(path)
