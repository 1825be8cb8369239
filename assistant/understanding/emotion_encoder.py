"""The fine-tuned e5 emotion reader: e5-small's first layers, tuned on real Weibo posts and the
team's service messages, read the message's tokens (`python -m evals.train_emotion_encoder`).

The n-gram and sentence-vector readers of v2 see pieces of words and one frozen summary of the
message; in cross-validation no combination of them read more than ~0.75 of real anger or ~0.55
of real fear within the calm limits. This reader is e5 itself trained on the task, so it can
weigh a word by its neighbours (sarcasm, anger without cue words). It runs on the
caller's thread, by onnxruntime (`assistant/encoder/onnx.py`): a few milliseconds for the six
layers it keeps.

The stored file (`assistant/encoder/finetuned.py`) holds only the layers training changed, in
float16, the head (mean of the token states → linear over the classes) and the reader's card.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from assistant.encoder import E5Encoder
from assistant.encoder.finetuned import load_finetuned
from assistant.encoder.onnx import TokenStates, onnx_session, run, word_vectors

MAX_TOKENS = 128  # Weibo posts longer than this are rare (95th percentile ~100 tokens)
PREFIX = "query: "  # as e5 was pretrained to read a query


def token_ids(encoder: E5Encoder, text: str) -> list[int]:
    """`<s> query: text </s>`, cut to MAX_TOKENS (the end token kept)."""
    ids = encoder.tokenizer.encode(text, PREFIX).ids
    if len(ids) > MAX_TOKENS:
        ids = [*ids[: MAX_TOKENS - 1], encoder.tokenizer.vocabulary.eos]
    return ids


class EmotionNetwork(torch.nn.Module):
    """e5's token states, mean-pooled, then the head: log-probabilities of the classes."""

    def __init__(self, encoder: E5Encoder, head: dict[str, torch.Tensor]) -> None:
        super().__init__()
        self.states = TokenStates(encoder)
        self.head = torch.nn.Linear(head["weight"].shape[1], head["weight"].shape[0])
        self.head.load_state_dict(head)

    def forward(self, vectors: torch.Tensor) -> torch.Tensor:
        return torch.log_softmax(self.head(self.states(vectors).mean(1)), dim=-1)


class EmotionEncoder:
    """Log-probabilities of the classes (in the card's order) for normalised messages."""

    def __init__(self, path: Path) -> None:
        reader = load_finetuned(path)
        self.encoder = reader.encoder
        self.card = reader.card
        self.classes: list[str] = list(self.card["classes"])
        self.version: str = self.card["version"]
        assert reader.head["weight"].shape[0] == len(self.classes), "the head's classes differ"
        self.network = EmotionNetwork(reader.encoder, reader.head).eval()
        self.session = onnx_session(self.network, self._vectors("气死我了"))

    def _vectors(self, text: str) -> np.ndarray:
        return word_vectors(self.encoder, token_ids(self.encoder, text))

    def log_probabilities(self, texts: list[str], engine: str = "onnx") -> np.ndarray:
        """One row per text (`engine` "torch" runs the same network in torch: the tests and
        the trainer compare the two)."""
        rows = [run(self.session, self.network, self._vectors(text), engine) for text in texts]
        return np.asarray(rows, dtype=float)
