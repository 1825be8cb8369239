"""Word uni- and bigrams of a message (jieba), as tf-idf, and a linear model over them.

The emotion model's second text reader (part `words` of a v3 file). The character model reads
骗, 子, 骗子 as pieces; this one reads the words a sentence is made of and their neighbours
(吓 死, 太 可怕, 不敢 出门). On the Weibo posts' cross-validation it lowered the stacked log-loss
and raised fear read as anxious; on the held-out split it did not beat v2, which stays served
(model card: prompts/understanding/README.md).

jieba's own dictionary, in a tokenizer of this module's: the retriever teaches jieba's shared
tokenizer the company's fund names (`retrieval/tokenizer.py`), and a model trained on Weibo
posts must cut a message the same way whatever documents the service was given. The features
are scikit-learn's `TfidfVectorizer(analyzer=word_grams, sublinear_tf=True)`: counted,
1 + log(count), times idf, unit length; the trainer checks the stored arithmetic against it.
"""

from __future__ import annotations

import functools
import itertools
import logging
from collections import Counter

import jieba
import numpy as np
from pydantic import BaseModel, Field

from assistant.understanding.calibrated import sparse_tfidf

jieba.setLogLevel(logging.WARNING)


@functools.cache
def _tokenizer() -> jieba.Tokenizer:
    """One private tokenizer per process (its dictionary takes ~1 s and ~60 MB to load)."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def word_grams(text: str) -> list[str]:
    """jieba's words of `text` (whitespace dropped), then each adjacent pair joined by a space."""
    words = [w for w in _tokenizer().lcut(text) if w.strip()]
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


class GramsLinearFile(BaseModel):
    """A multinomial logistic regression over word-gram tf-idf."""

    vocabulary: list[str] = Field(description="word grams, in feature order ('a b' is a bigram)")
    idf: list[float]
    weights: list[list[float]] = Field(description="one row per class")
    bias: list[float]


class GramsLinear:
    def __init__(self, spec: GramsLinearFile) -> None:
        self._index = {gram: i for i, gram in enumerate(spec.vocabulary)}
        self._idf = np.asarray(spec.idf, dtype=float)
        self._w = np.asarray(spec.weights, dtype=float)
        self._b = np.asarray(spec.bias, dtype=float)
        _tokenizer()  # load the dictionary with the model, not on the first message

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The sparse tf-idf vector of `text`: (indices, values)."""
        return sparse_tfidf(Counter(word_grams(text)), self._index, self._idf)

    def decisions(self, text: str) -> np.ndarray:
        """W·x + b: the logistic regression's decision values (softmax gives probabilities)."""
        indices, values = self.features(text)
        return np.asarray((self._w[:, indices] * values).sum(axis=1) + self._b)
