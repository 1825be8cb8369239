"""A learned second opinion on the hand-off signals, from the message's embedding.

The cue lists catch the words they were written for and little else: on messages written
after them (tests/understanding/data/blind_check_v2) complaint recall was 0.41 and guarantee
recall 0.17. A logistic regression per signal over the e5 vector of the message, trained on
labelled messages (`python -m evals.train_signal_model`), recognises complaints without 投诉
and guarantee requests without 保本. It only adds: a signal fires when its cues fire or when
the model is confident (probability at or above the file's `threshold`, chosen by
cross-validation for precision), and the evidence says which.

The weights are data (`prompts/understanding/signal_model.v*.json`), valid only for the
embedder they were trained with; with any other embedder the model stays off.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from pydantic import BaseModel

log = logging.getLogger(__name__)


class _Label(BaseModel):
    weights: list[float]
    bias: float


class SignalModelFile(BaseModel):
    version: str
    embedder: str  # the `model_name` of the embedder the weights were trained with
    threshold: float
    labels: dict[str, _Label]
    trained_on: list[str] = []
    cross_validation: dict[str, dict[str, float]] = {}


class SignalModel:
    def __init__(self, spec: SignalModelFile) -> None:
        self.version = spec.version
        self.threshold = spec.threshold
        self.names = list(spec.labels)
        self._weights = np.array([spec.labels[n].weights for n in self.names])
        self._bias = np.array([spec.labels[n].bias for n in self.names])

    @classmethod
    def load(cls, path: Path, embedder_name: str) -> SignalModel | None:
        spec = SignalModelFile.model_validate(json.loads(path.read_text(encoding="utf-8")))
        if spec.embedder != embedder_name:
            log.warning(
                "signal model %s was trained with %s, not %s: off",
                spec.version,
                spec.embedder,
                embedder_name,
            )
            return None
        return cls(spec)

    def probabilities(self, vector: Sequence[float]) -> dict[str, float]:
        z = self._weights @ np.asarray(vector, dtype=float) + self._bias
        return dict(zip(self.names, (1.0 / (1.0 + np.exp(-z))).tolist(), strict=True))

    def confident(self, vector: Sequence[float]) -> dict[str, float]:
        """The signals the model is confident of, with their probabilities."""
        return {n: p for n, p in self.probabilities(vector).items() if p >= self.threshold}
