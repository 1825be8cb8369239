"""Fit which Latin words in Chinese text are names: `python -m evals.train_latin_names [--write]`.

Data: CLUENER2020's training split only (``evals.train_ner_e5.split``: the held-out 15 % is
never read). Every Latin word of a sentence (``latin_names.latin_words``) is a record,
labelled a name when it lies inside a gold ``name`` span; the rest (games, companies,
organisations, films, books, unlabelled words such as vs, PC, blog) are not names. e5's
probabilities are read **out of fold** (``evals.train_ner_e5 --fold 0|1`` pickled in
``--e5 DIR``: the tagger trained on one half tags the other), since the shipped tagger saw the
fit part; on the development part (which the shipped tagger never saw) ``--dev`` reads the
shipped tagger, as the service will.

The regularisation C is chosen by 5-fold cross-validation over sentences (log loss); the
threshold is the lowest one at which at most ``MAX_FALSE`` of the sentences without a name
are given a Latin name, on the cross-validated probabilities. ``--dev`` fits on the fit part
and reports the development part (the choices are made before it is read); ``--write`` fits
on the whole training split and stores the coefficients and threshold in
``assistant/redaction/models/latin_names.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import pickle
from pathlib import Path
from typing import Any

import jieba
import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, roc_auc_score
from sklearn.model_selection import GroupKFold, cross_val_predict

from assistant.redaction.e5_ner import default_e5_tagger
from assistant.redaction.lac_ner import default_lac
from assistant.redaction.latin_names import WEIGHTS_FILE, E5Probs, features, latin_words
from evals.pii_bench import data_file, gold_spans
from evals.train_ner_e5 import split

MAX_FALSE = 0.004  # of the sentences without a name, given a Latin name (the rules'
# and models' own false masks stay under the 3 % target; this leaves them most of the margin)
C_GRID = (0.1, 0.3, 1.0, 3.0)
Row = dict[str, Any]
Record = dict[str, Any]


def oof_e5(folder: Path) -> dict[str, E5Probs]:
    out: dict[str, E5Probs] = {}
    for k in (0, 1):
        out |= pickle.loads((folder / f"oof_e5_fold{k}.pkl").read_bytes())
    return out


def records(rows: list[Row], e5_of: Any) -> list[Record]:
    """One record per Latin word of each sentence (sentences without one: an empty list)."""
    lac = default_lac()
    out = []
    for row in rows:
        text = row["text"]
        spans = latin_words(text)
        record: Record = {"text": text, "gold": gold_spans(row, "name"), "words": []}
        if spans:
            tokens = [(s, e) for _, s, e in jieba.tokenize(text)]
            words, e5 = lac.words(text), e5_of(text)
            for start, end in spans:
                label = any(s <= start and end <= e for s, e in record["gold"])
                feats = features(text, start, end, tokens, words, e5)
                record["words"].append((start, end, feats, label))
        out.append(record)
    return out


def design(recs: list[Record]) -> tuple[list[dict[str, float]], np.ndarray, np.ndarray]:
    feats, labels, groups = [], [], []
    for i, r in enumerate(recs):
        for _, _, f, label in r["words"]:
            feats.append(f)
            labels.append(label)
            groups.append(i)
    return feats, np.array(labels), np.array(groups)


def fitted(feats: list[dict[str, float]], y: np.ndarray, c: float) -> tuple[Any, Any]:
    vec = DictVectorizer()
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    model.fit(vec.fit_transform(feats), y)
    return vec, model


def cross_validated(recs: list[Record], c: float) -> np.ndarray:
    feats, y, groups = design(recs)
    vec = DictVectorizer()
    x = vec.fit_transform(feats)
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    folds = GroupKFold(n_splits=5)
    return cross_val_predict(model, x, y, groups=groups, cv=folds, method="predict_proba")[:, 1]


def figures(recs: list[Record], probs: np.ndarray, threshold: float) -> dict[str, float]:
    """Latin-only gold names wholly under predicted words; false words; name-less sentences
    given a Latin name."""
    i = 0
    names = hit = false_words = no_name = false_sent = 0
    for r in recs:
        chosen = []
        for start, end, _, label in r["words"]:
            if probs[i] >= threshold:
                chosen.append((start, end))
                false_words += not label
            i += 1
        text = r["text"]
        for s, e in r["gold"]:
            if text[s:e].isascii() and any(c.isalpha() for c in text[s:e]):
                names += 1
                hit += all(any(a <= k < b for a, b in chosen) for k in range(s, e))
        if not r["gold"]:
            no_name += 1
            false_sent += bool(chosen)
    return {
        "latin_names": names,
        "latin_names_masked": hit / max(names, 1),
        "hit": hit,
        "false_words": false_words,
        "false_sentence_share": false_sent / max(no_name, 1),
    }


def choose_threshold(recs: list[Record], probs: np.ndarray) -> float:
    """The lowest threshold with at most ``MAX_FALSE`` of name-less sentences given a name."""
    for t in np.arange(0.30, 0.99, 0.01):
        if figures(recs, probs, float(t))["false_sentence_share"] <= MAX_FALSE:
            return round(float(t), 2)
    return 0.99


def report(label: str, recs: list[Record], probs: np.ndarray, threshold: float) -> None:
    f = figures(recs, probs, threshold)
    print(
        f"{label} at {threshold:.2f}: Latin-only names masked {f['latin_names_masked']:.3f}"
        f" ({f['hit']}/{f['latin_names']}), false words {f['false_words']},"
        f" name-less sentences given one {f['false_sentence_share']:.4f}"
    )


def select(recs: list[Record]) -> tuple[float, float, np.ndarray]:
    """(C, threshold, cross-validated probabilities) on ``recs``."""
    _, y, _ = design(recs)
    best: tuple[float, float, np.ndarray] | None = None
    for c in C_GRID:
        probs = cross_validated(recs, c)
        loss = log_loss(y, probs)
        print(f"C {c}: CV log loss {loss:.4f}, AUC {roc_auc_score(y, probs):.4f}")
        if best is None or loss < best[0]:
            best = (loss, c, probs)
    assert best is not None
    _, c, probs = best
    threshold = choose_threshold(recs, probs)
    for t in (0.5, 0.6, 0.7, 0.8, 0.9):
        report(f"  CV C {c}", recs, probs, t)
    report(f"chosen C {c}, CV", recs, probs, threshold)
    return c, threshold, probs


def save(path: Path, vec: Any, model: Any, c: float, threshold: float) -> None:
    """The regression as ``latin_names.LatinNameModel`` reads it: a coefficient per feature."""
    coef = {k: round(float(model.coef_[0][j]), 5) for k, j in vec.vocabulary_.items()}
    coef["bias"] = coef.get("bias", 0.0) + round(float(model.intercept_[0]), 5)
    card = {
        "source": "CLUENER2020 training split (hemingkx/CLUENER2020 @ 4bfd0b5,"
        " BERT-CRF/data/clue/train.json), held-out 15 % excluded; published without a licence",
        "command": "python -m evals.train_latin_names --write",
        "trained": dt.date.today().isoformat(),
        "C": c,
        "threshold": threshold,
        "max_false": MAX_FALSE,
        "coef": {k: v for k, v in sorted(coef.items()) if v != 0.0},
    }
    path.write_text(json.dumps(card, ensure_ascii=False, indent=0), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", help="the folder holding cluener2020/")
    parser.add_argument("--e5", default="/work/cache/pii10", help="out-of-fold e5 pickles")
    parser.add_argument("--dev", action="store_true", help="fit on the fit part, report dev")
    parser.add_argument("--dev-weights", help="with --dev: store the fit part's model here")
    parser.add_argument("--write", action="store_true", help="store the model (whole split)")
    args = parser.parse_args()
    fit_rows, dev_rows = split(data_file(args.data))
    oof = oof_e5(Path(args.e5))
    fit = records(fit_rows, oof.__getitem__)
    n_words = sum(len(r["words"]) for r in fit)
    print(f"fit part: {len(fit)} sentences, {n_words} Latin words")
    if args.dev:
        c, threshold, _ = select(fit)
        feats, y, _ = design(fit)
        vec, model = fitted(feats, y, c)
        tagger = default_e5_tagger()
        dev = records(dev_rows, tagger.char_probabilities)
        dev_feats, _, _ = design(dev)
        probs = model.predict_proba(vec.transform(dev_feats))[:, 1]
        for t in sorted({0.5, 0.7, threshold}):
            report("development part (shipped e5)", dev, probs, t)
        if args.dev_weights:
            save(Path(args.dev_weights), vec, model, c, threshold)
    if args.write:
        whole = fit + records(dev_rows, oof.__getitem__)
        c, threshold, _ = select(whole)
        feats, y, _ = design(whole)
        vec, model = fitted(feats, y, c)
        save(WEIGHTS_FILE, vec, model, c, threshold)
        print(f"wrote {WEIGHTS_FILE}: threshold {threshold}")


if __name__ == "__main__":
    main()
