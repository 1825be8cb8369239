"""Learn the signal model's weights: `python -m evals.train_signal_model [--write]`.

One logistic regression per hand-off signal over the e5 vector of the message, trained on every
labelled routing message except the held-out check sets (blind_check_v2, blind_check_v6), which
stay for measuring. The model only adds to the cue rules (a signal fires when its cues fire or
the model is confident), so C and the confidence threshold are chosen together by 5-fold
cross-validation of that union: the highest mean F1 over the signals. `--write` stores the
weights in prompts/understanding/signal_model.v1.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from assistant.index.embeddings import load_embedder
from assistant.prompts import PROMPTS_DIR
from assistant.settings import Settings
from assistant.understanding import Understander
from assistant.understanding.cues import normalise, strip_placeholders
from assistant.vocabulary import MODELLED_SIGNALS
from evals.metrics import counts_to_scores

ROOT = Path(__file__).resolve().parents[1]
TRAINING = (
    "evals/datasets/routing_train.jsonl",
    "evals/datasets/routing_train_2.jsonl",
    "evals/datasets/routing_train_3.jsonl",
    "evals/datasets/routing_train_4.jsonl",
    "evals/datasets/routing.jsonl",
    "tests/understanding/data/blind_check.jsonl",
    "tests/understanding/data/blind_check_v3.jsonl",
    "tests/understanding/data/blind_check_v4.jsonl",
    "tests/understanding/data/blind_check_v5.jsonl",
)
# Questions the documents answer, labelled for retrieval, not routing: in scope by construction,
# so they are negatives for out_of_scope only (some also ask for advice). Without them the model
# has few terse product questions to learn from and calls "what time nav update" chit-chat.
IN_SCOPE = ("evals/datasets/retrieval.jsonl", "evals/datasets/ranker_train.jsonl")
SIGNALS = MODELLED_SIGNALS
C_GRID = (1.0, 3.0, 10.0)
THRESHOLDS = (0.7, 0.8, 0.85, 0.9)
OUT = PROMPTS_DIR / "understanding" / "signal_model.v1.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help=f"store the weights in {OUT.name}")
    args = parser.parse_args()

    rows = [json.loads(line) for name in TRAINING for line in (ROOT / name).open(encoding="utf-8")]
    rows += [
        {"text": q["question"], "reasons": [], "in_scope_only": True}
        for name in IN_SCOPE
        for q in map(json.loads, (ROOT / name).open(encoding="utf-8"))
    ]
    embedder = load_embedder(Settings(_env_file=None).embedding, threads=2)  # type: ignore[call-arg]
    vectors = np.array([embedder.get_query_embedding(r["text"]) for r in rows])
    # The cues alone: the rules file without the model, so the union is measured honestly.
    cues_only = Understander(PROMPTS_DIR / "understanding")
    fired = [{s.name for s in cues_only.understand(r["text"]).signals} for r in rows]
    labels = {n: np.array([n in r["reasons"] for r in rows]) for n in SIGNALS}
    rules = {n: np.array([n in f for f in fired]) for n in SIGNALS}
    # Where a calm cue cancelled a match the model may not fire (as in SignalReader.scores).
    evidence = [
        cues_only.signals.scores(normalise(strip_placeholders(r["text"])), None) for r in rows
    ]
    open_to_model = {
        n: np.array([not any(e.weight < 0 for e in ev[n].evidence) for ev in evidence])
        for n in SIGNALS
    }
    # Which rows carry a label for each signal: routing messages for all, in-scope questions
    # for out_of_scope alone.
    known = {
        n: np.array([n == "out_of_scope" or not r.get("in_scope_only") for r in rows])
        for n in SIGNALS
    }
    labels, rules, open_to_model = (
        {n: table[n][known[n]] for n in SIGNALS} for table in (labels, rules, open_to_model)
    )
    print(f"{len(rows)} messages from {len(TRAINING) + len(IN_SCOPE)} files")
    _report("cues alone", {n: rules[n] for n in SIGNALS}, labels)

    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    best: tuple[float, float, float] | None = None
    for c in C_GRID:
        held = {
            n: cross_val_predict(
                _model(c), vectors[known[n]], labels[n], cv=folds, method="predict_proba"
            )[:, 1]
            for n in SIGNALS
        }
        for t in THRESHOLDS:
            union = {n: rules[n] | ((held[n] >= t) & open_to_model[n]) for n in SIGNALS}
            f1 = _report(f"C={c} t={t}", union, labels)
            if best is None or f1 > best[0]:
                best = (f1, c, t)
    assert best is not None
    _, c, t = best
    print(f"chosen: C={c}, threshold={t}")
    if not args.write:
        return
    models = {n: _model(c).fit(vectors[known[n]], labels[n]) for n in SIGNALS}
    spec: dict[str, Any] = {
        # The date and the training data's digest: other data, another version.
        "version": f"signal-model-{dt.date.today():%Y.%m.%d}-{_digest(rows)}",
        "embedder": embedder.model_name,
        "threshold": t,
        "trained_on": [*TRAINING, *IN_SCOPE],
        "C": c,
        "labels": {
            n: {
                "weights": [round(float(w), 6) for w in m.coef_[0]],
                "bias": round(float(m.intercept_[0]), 6),
            }
            for n, m in models.items()
        },
    }
    OUT.write_text(json.dumps(spec, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


def _digest(rows: list[dict[str, Any]]) -> str:
    text = "\n".join(f"{r['text']}\t{sorted(r['reasons'])}" for r in rows)
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def _model(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=3000, class_weight="balanced")


def _report(
    title: str, predicted: Mapping[Any, np.ndarray], labels: Mapping[Any, np.ndarray]
) -> float:
    cells = []
    f1s = []
    for n in SIGNALS:
        y, p = labels[n], predicted[n]
        tp, fp, fn = int((p & y).sum()), int((p & ~y).sum()), int((~p & y).sum())
        scores = counts_to_scores(tp, fp, fn)
        f1s.append(scores["f1"])
        cells.append(f"{n[:9]} P{scores['precision']:.2f} R{scores['recall']:.2f}")
    mean = float(np.mean(f1s))
    print(f"{title:<16} mean F1 {mean:.3f} | " + " | ".join(cells))
    return mean


if __name__ == "__main__":
    main()
