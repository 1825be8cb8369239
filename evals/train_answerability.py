"""Train the answerability model from several companies: `python -m evals.train_answerability`.

    python -m evals.answerability_rows --company kb1 --cache DIR --old-model FILE   # and kb2 … kb7
    python -m evals.train_answerability --rows DIR [--write]

Rows (`evals/answerability_rows.py`): each question run through the whole pipeline on its own
company's index and labelled as the company suites score a reply (every fact held and an
accepted source cited; any quote of a question no document answers is wrong). The companies:
the first (its labelled sets `retrieval.jsonl` and `ranker_train.jsonl` — `answers.jsonl` is
kept out for the dev eval — the routing training sets' out-of-scope and beyond-the-documents
messages, and real text no fund document answers: LCQMC questions, every fourth line, loans
and credit cards among them, and SMP2020-EWECT Weibo posts), kb2, kb4, kb6 and kb7 (both their
question files). The held-out companies (`HELD_OUT`) are never read here.

The recipe (`evals/answerability_fit.py`): scores out of company (each company's rows scored by
a model fitted on the others), Platt calibration and the threshold on those scores, the stored
model fitted on all. Printed first: each other company left out of the whole recipe, the in-force
model against the new one on the same rows, at the chosen threshold and along the curve.
`--write` stores prompts/answerability.v1.json and its card prompts/answerability.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
from pathlib import Path
from typing import Any

import numpy as np

from assistant.answerability import ALL_FEATURES, MODEL_FILE
from evals import realtext_data
from evals.answerability_fit import (
    LEVELS,
    Built,
    Row,
    build,
    curve_line,
    evaluate,
    figures,
    load_company_rows,
    threshold_for,
)
from evals.common import load_dataset
from evals.kb2.suite import TRAINABLE, training_questions

SHARED = realtext_data.DATA  # ../shared/data beside the checkout, else /work/shared/data
CARD = MODEL_FILE.with_name("answerability.md")
ROUTING = ("routing_train.jsonl", "routing_train_2.jsonl", "routing_train_3.jsonl")
NO_ANSWER_REASONS = {"out_of_scope", "low_confidence"}
MODEL_FEATURES = ALL_FEATURES


def cases(shared: Path, n_lcqmc: int, n_weibo: int) -> list[dict[str, Any]]:
    """Every question with its kind and, for the labelled ones, its facts and sources."""
    rows: list[dict[str, Any]] = []
    rows.extend({**case, "kind": "answerable"} for case in training_questions("kb1"))
    for name in ROUTING:
        for case in load_dataset(name):
            if NO_ANSWER_REASONS & set(case["reasons"]) and case["route"] == "handoff":
                rows.append({"id": case["id"], "question": case["text"], "kind": "no_answer"})
    lines = (shared / "lcqmc" / "dev.txt").read_text(encoding="utf-8").splitlines()
    lcqmc = [line.split("\t")[0] for i, line in enumerate(lines) if i % 4 == 0]
    random.Random(7).shuffle(lcqmc)
    rows += [
        {"id": f"lcqmc-{i}", "question": q, "kind": "off_topic"}
        for i, q in enumerate(lcqmc[:n_lcqmc])
    ]
    posts = json.loads((shared / "smp2020-ewect" / "virus_train.txt").read_text(encoding="utf-8"))
    short = [p["content"] for p in posts if 4 <= len(p["content"]) <= 80]
    random.Random(11).shuffle(short)
    rows += [
        {"id": f"weibo-{i}", "question": q, "kind": "off_topic"}
        for i, q in enumerate(short[:n_weibo])
    ]
    return rows


def loco_lines(
    rows: dict[str, list[Row]], features: tuple[str, ...], args: argparse.Namespace
) -> tuple[list[str], bool]:
    """Each other company left out in turn: the in-force model against the recipe rebuilt
    without that company, on the same rows, at the chosen threshold and along the curve; and
    whether the new one may replace it (fewer wrong answers at equal answered, at every level
    of the curve taken together, on every company left out)."""
    lines, better = [], True
    for held in rows:
        if held == "kb1":
            continue
        built, own, chance = evaluate(rows, held, features, args.answered, args.off_topic)
        old = np.array([r["old_probability"] or 0.0 for r in own])
        gained = [wrong_at(own, old, level) - wrong_at(own, chance, level) for level in LEVELS]
        better = better and sum(gained) > 0 and min(gained) >= 0
        lines += [
            f"{held} left out, in force at {args.old_threshold}: "
            + _show(figures(own, old, args.old_threshold)),
            f"{held} left out, new at {built.threshold}: "
            + _show(figures(own, chance, built.threshold)),
            f"{held} left out, in force, curve: {curve_line(own, old)}",
            f"{held} left out, new, curve: {curve_line(own, chance)}",
            f"{held} left out, wrong answers fewer with the new one at "
            + ", ".join(f"{level:.2f}: {g:+d}" for level, g in zip(LEVELS, gained, strict=True)),
        ]
    lines.append(f"the new recipe may replace the model in force: {'yes' if better else 'no'}")
    return lines, better


def wrong_at(rows: list[Row], chance: np.ndarray, level: float) -> int:
    return int(figures(rows, chance, threshold_for(rows, chance, level))["wrong_n"])


def _show(figures_: dict[str, float]) -> str:
    return ", ".join(
        f"{k} {int(v)}" if k.endswith("_n") else f"{k} {v:.3f}" for k, v in figures_.items()
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=Path, required=True, help="evals.answerability_rows' folder")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--force", action="store_true", help="write even if it is not better")
    parser.add_argument(
        "--answered", type=float, default=0.85, help="answerable answered, each company"
    )
    parser.add_argument("--off-topic", type=float, default=0.05, help="text no document answers")
    parser.add_argument("--old-threshold", type=float, default=0.18, help="the in-force model's")
    args = parser.parse_args()
    rows = load_company_rows(args.rows, TRAINABLE)
    lines, better = loco_lines(rows, MODEL_FEATURES, args)
    print("\n".join(lines))
    built = build(rows, MODEL_FEATURES, args.answered, args.off_topic)
    print("\n".join(built.notes), f"\nthreshold {built.threshold}")
    if args.write and not (better or args.force):
        raise SystemExit("not written: it does not beat the model in force (--force to anyway)")
    if args.write:
        write(built, rows, lines)


def write(built: Built, rows: dict[str, list[Row]], lines: list[str]) -> None:
    spec: dict[str, Any] = {
        "features": list(built.linear.features),
        "scaler_mean": built.linear.mean.tolist(),
        "scaler_scale": built.linear.scale.tolist(),
        "coef": built.linear.coef.tolist(),
        "intercept": built.linear.intercept,
        "calibration_x": built.curve.x.tolist(),
        "calibration_y": built.curve.y.tolist(),
        "threshold": built.threshold,
        "C": built.c,
    }
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:12]
    counts = {
        name: {k: sum(r["kind"] == k for r in g) for k in ("answerable", "no_answer", "off_topic")}
        for name, g in rows.items()
    }
    spec = {
        "version": f"answerability-{dt.date.today():%Y.%m.%d}-{digest}",
        "trained": dt.date.today().isoformat(),
        "rows": counts,
        "figures": lines + built.notes,
        **spec,
    }
    MODEL_FILE.write_text(json.dumps(spec, ensure_ascii=False, indent=1), encoding="utf-8")
    CARD.write_text(model_card(spec), encoding="utf-8")
    print(f"wrote {MODEL_FILE} and {CARD.name} ({spec['version']})")


def model_card(spec: dict[str, Any]) -> str:
    figures_ = "\n".join(f"    {line}" for line in spec["figures"])
    weights = "\n".join(
        f"| {name} | {coef:+.3f} |"
        for name, coef in zip(spec["features"], spec["coef"], strict=True)
    )
    return f"""# Answerability model — `{spec["version"]}`

Decides whether the passage the writer would quote answers the client's question; its score is
the calibrated chance that the answer is right, and the gate answers only where that chance
times the writer's support is at or above **{spec["threshold"]}**. Code:
`assistant/answerability.py` (features of the pair) and `assistant/answerability_pair.py` (what
the passage ranker and the retrieved list say about the quote). Rebuild:
`python -m evals.answerability_rows --company kb1|kb2|kb4|kb6|kb7 --cache DIR --old-model FILE`, then
`python -m evals.train_answerability --rows DIR --write`.

**Data.** Rows per company {spec["rows"]}. Every question ran through the whole pipeline on its
own company's index and is labelled as the company suites score a reply: right when the quote
holds every labelled fact and cites an accepted document; any quote of a question no document
answers is wrong. The first company: its labelled sets (`evals/datasets/retrieval.jsonl`,
`ranker_train.jsonl`), the routing training sets' out-of-scope and beyond-the-documents messages,
and real text no fund document answers — LCQMC (real Baidu Zhidao questions, every fourth line
of `dev.txt`, from IceFlameWorm/NLP_Datasets @ a2203a7) and SMP2020-EWECT Weibo posts
(`virus_train.txt`, from BrownSweater/BERT_SMP2020-EWECT @ e928cec). Those two public research
sets carry **no licence**; they are read from `../shared/data/` at training time and never copied
here. kb2, kb4, kb6 and kb7: both question files of each (`evals/kbN/`). The held-out companies
(`HELD_OUT`) were never run or read here. A company can retrain on its own labelled chats
instead (the agents' accepted and rejected drafts and the compliance reviews are exactly such
labels).

**Method** (`evals/answerability_fit.py`). Standardised logistic regression. Out-of-company
scores: each company's rows (with a hashed share of the off-topic text) scored by a model
fitted on the other companies only; C={spec["C"]} by their log-loss. Platt calibration on those
scores. **Threshold**: the highest at which every company still has ≥ 85 % of its answerable
questions answered on those scores and off-topic text is quoted ≤ 5 % of the time. What it
trades: a higher threshold answers fewer questions for fewer wrong ones, but within a company
the features tell a right quote from a topical wrong one only weakly (see the curves below), so
the threshold mostly keeps the answered share and off-topic text out; wrong answers are bounded
by retrieval and the passage choice, not by the gate. The stored model is fitted on all rows.

**Figures** (trained {spec["trained"]}). Each other company left out of the whole recipe (model,
calibration, threshold), against the previously in-force model on the same rows; `curve`: wrong
among answered where the threshold leaves 85 / 80 / 75 % of answerable questions answered.

{figures_}

| feature | weight (standardised) |
| --- | --- |
{weights}
"""


if __name__ == "__main__":
    main()
