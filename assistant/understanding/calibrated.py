"""A calibrated linear classifier over a message's character n-grams, stored as JSON weights.

The features are scikit-learn's `TfidfVectorizer(analyzer="char", sublinear_tf=True)` of the
normalised message, recomputed here from the stored vocabulary and idf: every 1..n-character
piece of the text, counted, 1 + log(count), times its idf, scaled to unit length. Characters
rather than words: no tokenizer to disagree with, and real posts' misspellings, slang and
traditional-character leftovers still share most of their pieces with the training text.
(The e5 vector was measured first: at 0.08 s a text on an idle core, and about ten times that
on the shared build machine, embedding the ~20,000 training texts did not fit the session.)

scikit-learn's `CalibratedClassifierCV(LogisticRegression, method="sigmoid", ensemble=False)`
fits one logistic regression on all the training data and, per class, a sigmoid that maps the
regression's decision value to a probability (fitted on cross-validated decisions). Here the
same arithmetic runs on the stored numbers, so the service needs no pickle and no scikit-learn
object: decision = W·x + b; p_c = 1 / (1 + exp(A_c·d_c + B_c)); normalised over the classes
(binary: p_1 from the one decision, p_0 = 1 − p_1). The trainers check that this reproduces
`predict_proba` before they write a file.

"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field

_SPACES = re.compile(r"\s\s+")


class CalibratedLinearFile(BaseModel):
    version: str = Field(description="name-date-digest: other training data, another version")
    ngram_range: tuple[int, int]
    vocabulary: list[str]
    idf: list[float]
    classes: list[str]
    weights: list[list[float]] = Field(description="one row per decision (one row if binary)")
    bias: list[float]
    sigmoid_a: list[float]
    sigmoid_b: list[float]
    thresholds: dict[str, float] = Field(default_factory=dict)
    trained_on: list[str] = Field(default_factory=list)
    figures: dict[str, float] = Field(default_factory=dict)


class CalibratedLinear:
    def __init__(self, spec: CalibratedLinearFile) -> None:
        self.spec = spec
        self.version = spec.version
        self.classes = spec.classes
        self.thresholds = spec.thresholds
        self._w = np.asarray(spec.weights, dtype=float)
        self._b = np.asarray(spec.bias, dtype=float)
        self._a = np.asarray(spec.sigmoid_a, dtype=float)
        self._c = np.asarray(spec.sigmoid_b, dtype=float)
        self._index = {gram: i for i, gram in enumerate(spec.vocabulary)}
        self._idf = np.asarray(spec.idf, dtype=float)

    @classmethod
    def load(cls, path: Path) -> CalibratedLinear:
        return cls(CalibratedLinearFile.model_validate_json(path.read_text(encoding="utf-8")))

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The tf-idf vector of `text` as scikit-learn's char analyzer computes it, sparse:
        (indices, values). Kept off BLAS: on a loaded machine a BLAS call on a 20,000-wide
        vector cost ~0.1 s (its threads wait for cores), the sparse sums a fraction of a ms."""
        text = _SPACES.sub(" ", text.lower())
        low, high = self.spec.ngram_range
        grams = Counter(
            text[i : i + n] for n in range(low, high + 1) for i in range(len(text) - n + 1)
        )
        return sparse_tfidf(grams, self._index, self._idf)

    def decisions(self, text: str) -> np.ndarray:
        """The logistic regression's decision values W·x + b, before calibration."""
        indices, values = self.features(text)
        return np.asarray((self._w[:, indices] * values).sum(axis=1) + self._b)

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Rows of class probabilities (columns in `classes` order), one row per text."""
        rows = [self._calibrate(self.decisions(text)) for text in texts]
        return np.array(rows).reshape(len(texts), len(self.classes))

    def _calibrate(self, decision: np.ndarray) -> np.ndarray:
        p = 1.0 / (1.0 + np.exp(decision * self._a + self._c))
        if len(self.classes) == 2:
            return np.concatenate([1.0 - p, p])
        total = float(p.sum())
        return p / total if total > 0 else np.full(len(self.classes), 1.0 / len(self.classes))

    def probability(self, text: str) -> dict[str, float]:
        row = self.probabilities([text])[0]
        return dict(zip(self.classes, (round(float(v), 4) for v in row), strict=True))


def sparse_tfidf(
    counts: Counter[str], index: dict[str, int], idf: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Sublinear tf-idf, L2-normalised, as scikit-learn's TfidfVectorizer(sublinear_tf=True)
    computes it: (indices, values) of the grams the vocabulary knows."""
    found = [(index[g], c) for g, c in counts.items() if g in index]
    if not found:
        return np.zeros(0, dtype=int), np.zeros(0)
    indices = np.array([i for i, _ in found])
    values = np.array([1.0 + math.log(c) for _, c in found]) * idf[indices]
    return indices, values / math.sqrt(float((values * values).sum()))
