"""The multi-company recipe of the answerability model: every score used for calibration and the
threshold comes from a model that never saw the row's company, the threshold keeps the answered
share it promises, and a question handed off for another reason is never counted as answered."""

from __future__ import annotations

import numpy as np

from evals.answerability_fit import (
    build,
    figures,
    folds,
    out_of_company,
    threshold_for,
    trainable,
)
from evals.metrics import ANSWERED_RIGHT, ANSWERED_WRONG, HANDED_OFF

FEATURES = ("signal", "noise")


def _row(i: int, company: str, kind: str, right: bool, signal: float, open_: bool = True) -> dict:
    outcome = ANSWERED_RIGHT if right else ANSWERED_WRONG if open_ else HANDED_OFF
    return {
        "id": f"{company}-{kind}-{i}",
        "kind": kind,
        "features": {"signal": signal, "noise": float(i % 7)},
        "support": 1.0,
        "open": open_,
        "outcome": outcome,
        "label": int(right),
    }


def _company(name: str, n: int, seed: int, shift: float = 0.0) -> list[dict]:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        right = bool(rng.random() < 0.75)
        signal = (1.0 if right else -1.0) + rng.normal(0, 1.2) + shift
        rows.append(_row(i, name, "answerable", right, signal))
    rows += [
        _row(n + i, name, "no_answer", False, -2.0 + rng.normal(0, 1) + shift) for i in range(20)
    ]
    return rows


def _companies() -> dict[str, list[dict]]:
    first = _company("kb1", 200, 1)
    first += [_row(1000 + i, "kb1", "off_topic", False, -4.0 + (i % 5) * 0.1) for i in range(90)]
    return {"kb1": first, "kb2": _company("kb2", 150, 2, 0.3), "kb4": _company("kb4", 150, 3)}


def test_off_topic_text_is_dealt_to_every_company_fold_and_nothing_is_lost() -> None:
    rows = _companies()
    dealt = folds(rows)
    assert sum(len(g) for g in dealt.values()) == sum(len(g) for g in rows.values())
    assert all(any(r["kind"] == "off_topic" for r in g) for g in dealt.values())
    assert all(r["id"].startswith("kb2") or r["kind"] == "off_topic" for r in dealt["kb2"])


def test_a_company_is_scored_by_a_model_that_never_saw_it() -> None:
    """Poison one company's labels: its own out-of-company scores must not learn the poison."""
    rows = _companies()
    for r in rows["kb4"]:
        r["label"] = 1 - r["label"]  # kb4 alone says a high signal is wrong
    scored = out_of_company(rows, FEATURES, 1.0, False)
    signal = np.array([r["features"]["signal"] for r in rows["kb4"]])
    assert np.corrcoef(signal, scored["kb4"])[0, 1] > 0.5  # learned from kb1 and kb2 only


def test_the_threshold_keeps_the_answered_share_it_promises() -> None:
    rows = _companies()["kb2"]
    chance = 1 / (1 + np.exp(-np.array([r["features"]["signal"] for r in rows])))
    t = threshold_for(rows, chance, 0.8)
    assert figures(rows, chance, t)["answered"] >= 0.8
    assert figures(rows, chance, round(t + 0.01, 3))["answered"] < 0.8
    assert figures(rows, chance, t)["wrong"] < figures(rows, chance, 0.0)["wrong"]


def test_a_question_handed_off_for_another_reason_is_never_answered_or_trained_on() -> None:
    rows = [_row(0, "kb2", "answerable", False, 3.0, open_=False)]
    assert figures(rows, np.array([0.99]), 0.1)["answered"] == 0.0
    assert trainable(rows) == []


def test_the_recipe_answers_each_company_at_the_promised_share_and_declines_off_topic() -> None:
    rows = _companies()
    built = build(rows, FEATURES, answered=0.8, off_topic=0.05)
    assert 0.0 < built.threshold < 1.0
    assert built.linear.coef[0] > 0  # the signal, not the noise, carries the decision
    off = [r for r in rows["kb1"] if r["kind"] == "off_topic"]
    assert figures(off, built.chance(off), built.threshold)["off_topic"] <= 0.05
    calibrated = built.curve(np.linspace(0, 1, 11))
    assert list(calibrated) == sorted(calibrated)
