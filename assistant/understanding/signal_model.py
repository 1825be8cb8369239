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

A file may add a `text` part, a calibrated classifier over the message's character n-grams
(`calibrated.py`): a label's probability is then the mean of the two readings, and `threshold`
applies to the mean. The beyond-the-documents model has one: the vector reads what a message is
about, the characters its telltale forms (我持有多少份, 到账了没); out of fold the mean caught 0.69
of beyond messages against 0.60 for the vector alone, at the same false alarms.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from assistant.understanding.calibrated import CalibratedLinear, CalibratedLinearFile

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
    text: CalibratedLinearFile | None = None  # its classes include each label


class SignalModel:
    def __init__(self, spec: SignalModelFile) -> None:
        self.version = spec.version
        self.threshold = spec.threshold
        self.names = list(spec.labels)
        self._weights = np.array([spec.labels[n].weights for n in self.names])
        self._bias = np.array([spec.labels[n].bias for n in self.names])
        self._text = CalibratedLinear(spec.text) if spec.text is not None else None

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

    def probabilities(self, vector: Sequence[float], text: str) -> dict[str, float]:
        """Each label's probability from the vector, averaged with the text part's reading of
        `text` (the normalised message) where the file has one. `text` is required: a file
        with a text part would otherwise average in the reading of an empty message."""
        z = self._weights @ np.asarray(vector, dtype=float) + self._bias
        found = dict(zip(self.names, (1.0 / (1.0 + np.exp(-z))).tolist(), strict=True))
        if self._text is None:
            return found
        read = self._text.probability(text)
        return {n: (p + read[n]) / 2 for n, p in found.items()}

    def confident(self, vector: Sequence[float], text: str) -> dict[str, float]:
        """The signals the model is confident of, with their probabilities."""
        return {n: p for n, p in self.probabilities(vector, text).items() if p >= self.threshold}
