"""Fit, calibrate and place the threshold of the answerability model from several companies.

Rows come from `evals.answerability_rows` (one file per company). A model is built from a set
of companies in three steps, each on data the step before never saw:

1. **Out-of-company scores.** For each company, a standardised logistic regression is fitted on
   the other companies' rows and scores this one's: every row gets the score of a model that
   never saw its company, which is what a new company's questions get.
2. **Calibration.** Platt scaling on those out-of-company scores, stored as a dense monotone
   curve (raw → chance).
3. **Threshold.** The highest at which every company still has at least `answered` of its
   answerable questions answered (on the out-of-company, calibrated scores, times the writer's
   support as the gate does) and text no document answers is quoted at most `off_topic` of the
   time: as few wrong answers as the answered share allows.

The stored model is then fitted on every company's rows; step 1's scores stand in for its
calibration (cross-fitting). `evaluate` rebuilds the whole recipe without one company and
measures on it, which is how a change is judged: fewer wrong answers at equal answered on the
company left out.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from evals.metrics import ANSWERED_RIGHT

Row = dict[str, Any]
C_GRID = (0.03, 0.1, 0.3, 1.0)
LEVELS = (0.85, 0.80, 0.75)


def load_company_rows(folder: Path, companies: tuple[str, ...]) -> dict[str, list[Row]]:
    rows = {}
    for name in companies:
        lines = (folder / f"rows.{name}.jsonl").read_text(encoding="utf-8").splitlines()
        rows[name] = [json.loads(line) for line in lines if line.strip()]
    return rows


def trainable(rows: list[Row]) -> list[Row]:
    """Rows whose label says something about the quote: any quote of text no document answers
    is wrong; an answerable question counts only where the gate's verdict decided (handed off
    for another reason, its quote was never scored)."""
    return [r for r in rows if r["features"] and (r["kind"] != "answerable" or r["open"])]


@dataclass
class Linear:
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def raw(self, rows: list[Row]) -> np.ndarray:
        x = (_matrix(rows, self.features) - self.mean) / self.scale
        return np.asarray(1.0 / (1.0 + np.exp(-(x @ self.coef + self.intercept))))


def fit_linear(
    groups: list[list[Row]], features: tuple[str, ...], c: float, balanced: bool
) -> Linear:
    """Logistic regression on the companies' rows; `balanced` weighs each company alike."""
    rows = [r for g in groups for r in trainable(g)]
    weights = np.concatenate([np.full(len(trainable(g)), 1.0 / len(trainable(g))) for g in groups])
    x, y = _matrix(rows, features), np.array([r["label"] for r in rows])
    scaler = StandardScaler().fit(x)
    model = LogisticRegression(C=c, max_iter=5000).fit(
        scaler.transform(x), y, sample_weight=weights / weights.mean() if balanced else None
    )
    return Linear(features, scaler.mean_, scaler.scale_, model.coef_[0], float(model.intercept_[0]))


@dataclass(frozen=True)
class Curve:
    """Platt scaling stored as a dense monotone curve (raw → chance)."""

    x: np.ndarray
    y: np.ndarray

    def __call__(self, raw: np.ndarray) -> np.ndarray:
        return np.interp(raw, self.x, self.y)


def platt(raw: np.ndarray, y: np.ndarray) -> Curve:
    logit = _logit(raw).reshape(-1, 1)
    scaler = LogisticRegression(C=1e6, max_iter=5000).fit(logit, y)
    grid = np.linspace(0.0, 1.0, 201)
    return Curve(grid, scaler.predict_proba(_logit(grid).reshape(-1, 1))[:, 1])


def out_of_company(
    rows: dict[str, list[Row]], features: tuple[str, ...], c: float, balanced: bool
) -> dict[str, np.ndarray]:
    """Each company's rows scored by a model fitted on the other companies only."""
    return {
        name: fit_linear([g for n, g in rows.items() if n != name], features, c, balanced).raw(own)
        for name, own in rows.items()
    }


def gate_answers(rows: list[Row], chance: np.ndarray, threshold: float) -> np.ndarray:
    """Which rows the gate answers: chance times support at the threshold, where nothing else
    hands the question off."""
    support = np.array([r["support"] for r in rows])
    opened = np.array([r["open"] for r in rows], dtype=bool)
    return opened & (np.round(chance * support, 3) >= threshold)


def figures(rows: list[Row], chance: np.ndarray, threshold: float) -> dict[str, float]:
    answered = gate_answers(rows, chance, threshold)
    kinds = np.array([r["kind"] for r in rows])
    right = np.array([r["outcome"] == ANSWERED_RIGHT for r in rows])
    asked = answered & (kinds == "answerable")
    out = {
        "answered": asked.sum() / max(1, (kinds == "answerable").sum()),
        "wrong": float((asked & ~right).sum() / max(1, asked.sum())),
        "wrong_n": float((asked & ~right).sum()),
    }
    for kind in ("no_answer", "off_topic"):
        if (kinds == kind).any():
            out[kind] = float((answered & (kinds == kind)).sum() / (kinds == kind).sum())
    return out


def threshold_for(rows: list[Row], chance: np.ndarray, answered: float) -> float:
    """The highest threshold at which at least `answered` of the answerable are answered."""
    best = 0.0
    for t in np.round(np.arange(0.0, 1.0, 0.001), 3):
        if figures(rows, chance, float(t))["answered"] < answered - 1e-9:
            break
        best = float(t)
    return best


def folds(rows: dict[str, list[Row]]) -> dict[str, list[Row]]:
    """One fold per company: its own questions, and a share of the real off-topic text (which
    only the first company's rows carry), dealt by a hash of the row id."""
    names = list(rows)
    out: dict[str, list[Row]] = {n: [r for r in rows[n] if r["kind"] != "off_topic"] for n in names}
    for n in names:
        for r in rows[n]:
            if r["kind"] == "off_topic":
                out[
                    names[int(hashlib.sha256(r["id"].encode()).hexdigest()[:8], 16) % len(names)]
                ].append(r)
    return out


@dataclass
class Built:
    linear: Linear
    curve: Curve
    threshold: float
    c: float
    notes: list[str]

    def chance(self, rows: list[Row]) -> np.ndarray:
        return self.curve(self.linear.raw(rows))


def build(
    rows: dict[str, list[Row]],
    features: tuple[str, ...],
    answered: float,
    off_topic: float,
    balanced: bool = False,
) -> Built:
    """The recipe of the module docstring on these companies' rows."""
    grouped = folds(rows)
    losses = {}
    scored = {}
    for c in C_GRID:
        scored[c] = out_of_company(grouped, features, c, balanced)
        raw = np.concatenate([scored[c][n][_kept(g)] for n, g in grouped.items()])
        y = np.concatenate([_labels(g)[_kept(g)] for g in grouped.values()])
        losses[c] = float(-np.mean(y * np.log(raw + 1e-9) + (1 - y) * np.log(1 - raw + 1e-9)))
    c = min(losses, key=lambda k: losses[k])
    raw = np.concatenate([scored[c][n][_kept(g)] for n, g in grouped.items()])
    y = np.concatenate([_labels(g)[_kept(g)] for g in grouped.values()])
    curve = platt(raw, y)
    chance = {n: curve(scored[c][n]) for n in grouped}
    threshold = min(
        threshold_for(g, chance[n], answered)
        for n, g in grouped.items()
        if any(r["kind"] == "answerable" for r in g)
    )
    everything = [r for g in grouped.values() for r in g]
    pooled = np.concatenate([chance[n] for n in grouped])
    while figures(everything, pooled, threshold).get("off_topic", 0.0) > off_topic:
        threshold = round(threshold + 0.001, 3)
    notes = [
        f"C={c} (out-of-company log-loss "
        + ", ".join(f"{k}: {v:.3f}" for k, v in losses.items())
        + ")"
    ]
    for n, g in grouped.items():
        f = figures(g, chance[n], threshold)
        notes.append(f"out-of-company {n}: " + ", ".join(f"{k} {v:.3f}" for k, v in f.items()))
    linear = fit_linear(list(grouped.values()), features, c, balanced)
    return Built(linear, curve, threshold, c, notes)


def evaluate(
    rows: dict[str, list[Row]],
    held: str,
    features: tuple[str, ...],
    answered: float,
    off_topic: float,
    balanced: bool = False,
) -> tuple[Built, list[Row], np.ndarray]:
    """The whole recipe without `held`; its rows and the chances that model gives them."""
    built = build(
        {n: g for n, g in rows.items() if n != held}, features, answered, off_topic, balanced
    )
    own = [r for r in rows[held] if r["features"] and r["kind"] != "off_topic"]
    return built, own, built.chance(own)


def curve_line(rows: list[Row], chance: np.ndarray, levels: tuple[float, ...] = LEVELS) -> str:
    """Wrong among answered where the threshold leaves each answered share."""
    parts = []
    for level in levels:
        f = figures(rows, chance, threshold_for(rows, chance, level))
        parts.append(
            f"@{level:.2f}: wrong {f['wrong']:.3f} ({int(f['wrong_n'])}), answered {f['answered']:.3f}"
            + (f", unanswerable {f['no_answer']:.3f}" if "no_answer" in f else "")
        )
    return "; ".join(parts)


def _kept(rows: list[Row]) -> np.ndarray:
    return np.array(
        [bool(r["features"]) and (r["kind"] != "answerable" or r["open"]) for r in rows]
    )


def _labels(rows: list[Row]) -> np.ndarray:
    return np.array([r["label"] for r in rows])


def _matrix(rows: list[Row], features: tuple[str, ...]) -> np.ndarray:
    return np.array([[r["features"].get(f, 0.0) for f in features] for r in rows], dtype=float)


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.asarray(np.log(p / (1 - p)))
