"""Train the answerability model: `python -m evals.train_answerability [--write]`.

Each row is one question run through the pipeline's steps up to the written, checked answer
(exactly what the gate sees), with the features of `assistant/answerability.py` and a label:
1 when the quote holds every labelled fact and cites a labelled source, 0 otherwise. Questions
come from the team's labelled sets (`retrieval.jsonl`, `ranker_train.jsonl`; `answers.jsonl` is
kept out for the dev eval) and from real text no fund document answers: real Baidu Zhidao
questions (LCQMC, every fourth line, loans and credit cards among them), real Weibo posts
(SMP2020-EWECT `virus_train.txt`, a seeded sample) and the routing training sets' out-of-scope
and beyond-the-documents messages — for all of these any quote is a wrong answer.

Questions are split by a seeded hash into train (60 %), calibration (20 %) and test (20 %).
A standardised logistic regression (C by 5-fold CV on train) is calibrated by Platt scaling
on the calibration split; the threshold is the lowest at which answered calibration
questions are right at least `--precision` of the time and text no document answers is quoted at
most `--off-topic` of the time. The test split, never used for any
choice, gives the figures printed first. `--write` stores prompts/answerability.v1.json and
its model card prompts/answerability.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.preprocessing import StandardScaler

from assistant.answerability import FEATURES, MODEL_FILE
from assistant.components import build_components
from assistant.models import TurnRequest
from assistant.pipeline import AssistantPipeline
from assistant.settings import Settings
from evals import realtext_data
from evals.common import accepted_sources, fresh_settings, ingest_fresh, load_dataset
from evals.metrics import fact_recall

SHARED = realtext_data.DATA  # ../shared/data beside the checkout, else /work/shared/data
CACHE = Path("/tmp/fa-answerability")
CARD = MODEL_FILE.with_name("answerability.md")
LABELLED = ("retrieval.jsonl", "ranker_train.jsonl")
ROUTING = ("routing_train.jsonl", "routing_train_2.jsonl", "routing_train_3.jsonl")
NO_ANSWER_REASONS = {"out_of_scope", "low_confidence"}
C_GRID = (0.1, 0.3, 1.0, 3.0)


def split_of(key: str) -> str:
    bucket = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % 10
    return "train" if bucket < 6 else "calibrate" if bucket < 8 else "test"


def cases(shared: Path, n_lcqmc: int, n_weibo: int) -> list[dict[str, Any]]:
    """Every question with its kind and, for the labelled ones, its facts and sources."""
    rows: list[dict[str, Any]] = []
    for name in LABELLED:
        for case in load_dataset(name):
            rows.append({**case, "kind": "answerable"})
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


def featurise(pipeline: AssistantPipeline, case: dict[str, Any]) -> dict[str, Any]:
    """Run the steps up to the checked answer; features and the label of what would be quoted."""
    request = TurnRequest(message=case["question"])
    opened = pipeline.open(request)
    understood = pipeline.understand(opened, request)
    retrieved = pipeline.retrieve(opened, understood)
    checked = pipeline.write_and_check(opened, understood, retrieved)
    context = pipeline.question_context(understood)
    assert pipeline.c.gate.features is not None
    features = pipeline.c.gate.features.compute(
        context, retrieved.chunks, checked.written, pipeline.c.retriever.terms
    )
    right = False
    if case["kind"] == "answerable" and checked.compliance.text.strip():
        cited = {c.source for c in checked.written.citations}
        right = fact_recall(checked.compliance.text, case["facts"]) == 1.0 and bool(
            cited & accepted_sources(case)
        )
    return {
        "id": case["id"],
        "kind": case["kind"],
        "question": case["question"],
        "features": features,
        "escalated": bool(retrieved.escalations),
        "label": int(right),
    }


def table(rows: list[dict[str, Any]], split: str) -> tuple[np.ndarray, np.ndarray, list[dict]]:
    chosen = [r for r in rows if split_of(r["id"]) == split]
    x = np.array([[r["features"][f] for f in FEATURES] for r in chosen], dtype=float)
    return x, np.array([r["label"] for r in chosen]), chosen


def choose_threshold(
    p: np.ndarray, y: np.ndarray, rows: list[dict[str, Any]], precision: float, off_topic: float
) -> float:
    """The lowest threshold at which answered questions are right `precision` of the time and
    text no document answers is quoted at most `off_topic` of the time."""
    outside = np.array([r["kind"] != "answerable" for r in rows])
    for t in np.round(np.arange(0.05, 0.96, 0.01), 2):
        answered = p >= t
        if (
            answered.sum() >= 10
            and y[answered].mean() >= precision
            and answered[outside].mean() <= off_topic
        ):
            return float(t)
    return 0.95


def report(name: str, p: np.ndarray, y: np.ndarray, rows: list[dict], threshold: float) -> str:
    answered = p >= threshold
    kinds = {}
    for kind in ("answerable", "no_answer", "off_topic"):
        mask = np.array([r["kind"] == kind for r in rows])
        if mask.any():
            kinds[kind] = float(answered[mask].mean())
    wrong = float(1 - y[answered].mean()) if answered.any() else 0.0
    right_answerable = np.array([r["kind"] == "answerable" for r in rows]) & (y == 1)
    return (
        f"{name:<10} n={len(rows):4d}  answered: "
        + ", ".join(f"{k} {v:.3f}" for k, v in kinds.items())
        + f"  wrong among answered {wrong:.3f}"
        + f"  right-quotable answered {float(answered[right_answerable].mean()) if right_answerable.any() else 0:.3f}"
    )


def fit(
    rows: list[dict[str, Any]], precision: float, off_topic: float
) -> tuple[dict[str, Any], list[str]]:
    x_train, y_train, _ = table(rows, "train")
    scaler = StandardScaler().fit(x_train)
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    scores = {
        c: cross_val_score(
            LogisticRegression(C=c, max_iter=5000),
            scaler.transform(x_train),
            y_train,
            cv=folds,
            scoring="neg_log_loss",
        ).mean()
        for c in C_GRID
    }
    best_c = max(scores, key=lambda c: scores[c])
    model = LogisticRegression(C=best_c, max_iter=5000).fit(scaler.transform(x_train), y_train)

    def raw(x: np.ndarray) -> np.ndarray:
        return model.predict_proba(scaler.transform(x))[:, 1]

    x_cal, y_cal, cal_rows = table(rows, "calibrate")
    curve = _platt(raw(x_cal), y_cal)
    threshold = choose_threshold(curve.predict(raw(x_cal)), y_cal, cal_rows, precision, off_topic)
    lines = [f"C={best_c} (CV log-loss {', '.join(f'{c}: {-s:.3f}' for c, s in scores.items())})"]
    for split in ("test", "calibrate", "train"):
        x, y, chosen = table(rows, split)
        lines.append(report(split, curve.predict(raw(x)), y, chosen, threshold))
    spec = {
        "features": list(FEATURES),
        "scaler_mean": scaler.mean_.tolist(),
        "scaler_scale": scaler.scale_.tolist(),
        "coef": model.coef_[0].tolist(),
        "intercept": float(model.intercept_[0]),
        "calibration_x": curve.x.tolist(),
        "calibration_y": curve.y.tolist(),
        "threshold": threshold,
        "C": best_c,
    }
    return spec, lines


def cached_rows(cache_dir: Path) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for path in sorted(cache_dir.glob("rows.*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                rows[row["id"]] = row
    return rows


@dataclass(frozen=True)
class _Curve:
    """Platt scaling on the calibration split, stored as a dense monotone curve (raw → chance):
    isotonic regression's steps were too coarse to place a threshold between them."""

    x: np.ndarray
    y: np.ndarray

    def predict(self, raw: np.ndarray) -> np.ndarray:
        return np.interp(raw, self.x, self.y)


def _platt(raw: np.ndarray, y: np.ndarray) -> _Curve:
    logit = np.log(np.clip(raw, 1e-6, 1 - 1e-6) / (1 - np.clip(raw, 1e-6, 1 - 1e-6)))
    scaler = LogisticRegression(C=1e6, max_iter=5000).fit(logit.reshape(-1, 1), y)
    grid = np.linspace(0.0, 1.0, 201)
    grid_logit = np.log(np.clip(grid, 1e-6, 1 - 1e-6) / (1 - np.clip(grid, 1e-6, 1 - 1e-6)))
    return _Curve(grid, scaler.predict_proba(grid_logit.reshape(-1, 1))[:, 1])


def collect(
    settings: Settings, all_cases: list[dict[str, Any]], cache_dir: Path, shard: tuple[int, int]
) -> None:
    """Featurise this shard's cases, appending each row to the cache as it is made, so a run
    can be split over processes and resumed."""
    k, n = shard
    done = cached_rows(cache_dir)
    todo = [c for i, c in enumerate(all_cases) if i % n == k and c["id"] not in done]
    if not todo:
        return
    components = build_components(settings)
    components.gate.model = None  # the features do not depend on a model, the decision would
    pipeline = AssistantPipeline(components)
    with (cache_dir / f"rows.{k}.jsonl").open("a", encoding="utf-8") as out:
        for i, case in enumerate(todo):
            out.write(json.dumps(featurise(pipeline, case), ensure_ascii=False) + "\n")
            out.flush()
            if i % 100 == 0:
                print(f"  shard {k}/{n}: {i}/{len(todo)}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--fresh", action="store_true", help="drop the cached feature rows first")
    parser.add_argument("--data-dir", type=Path, help="reuse an index already built there")
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--lcqmc", type=int, default=700)
    parser.add_argument("--weibo", type=int, default=500)
    parser.add_argument(
        "--precision",
        type=float,
        default=0.60,
        help="answered calibration questions right at least this often (the model cannot yet "
        "tell a right quote from a topical wrong one well enough for more without answering "
        "almost nothing: see the model card)",
    )
    parser.add_argument("--off-topic", type=float, default=0.05, help="text no document answers")
    parser.add_argument("--cache", type=Path, default=CACHE, help="feature rows, reused")
    parser.add_argument("--shard", default="0/1", help="K/N: featurise every N-th case from K")
    parser.add_argument("--fit-only", action="store_true", help="fit on the cached rows")
    args = parser.parse_args()
    all_cases = cases(args.shared, args.lcqmc, args.weibo)
    args.cache.mkdir(parents=True, exist_ok=True)
    if args.fresh:
        for path in args.cache.glob("rows.*.jsonl"):
            path.unlink()
    k, n = (int(part) for part in args.shard.split("/"))
    if not args.fit_only:
        if args.data_dir:
            settings = Settings().model_copy(update={"data_dir": args.data_dir})
            collect(settings, all_cases, args.cache, (k, n))
        else:
            with fresh_settings() as settings:
                ingest_fresh(settings)
                collect(settings, all_cases, args.cache, (k, n))
        if n > 1:
            return  # fit once every shard is done: --fit-only
    done = cached_rows(args.cache)
    rows = [done[c["id"]] for c in all_cases if c["id"] in done]
    if len(rows) < len(all_cases):
        print(f"warning: {len(all_cases) - len(rows)} cases have no features yet")
    spec, lines = fit(rows, args.precision, args.off_topic)
    counts = {
        k: sum(r["kind"] == k for r in rows) for k in ("answerable", "no_answer", "off_topic")
    }
    print(f"rows {len(rows)} {counts}; labelled right {sum(r['label'] for r in rows)}")
    print("\n".join(lines))
    if args.write:
        digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:12]
        spec = {
            "version": f"answerability-{dt.date.today():%Y.%m.%d}-{digest}",
            "trained": dt.date.today().isoformat(),
            "rows": counts,
            "figures": lines,
            **spec,
        }
        MODEL_FILE.write_text(json.dumps(spec, ensure_ascii=False, indent=1), encoding="utf-8")
        CARD.write_text(model_card(spec), encoding="utf-8")
        print(f"wrote {MODEL_FILE} and {CARD.name} ({spec['version']})")


def model_card(spec: dict[str, Any]) -> str:
    figures = "\n".join(f"    {line}" for line in spec["figures"])
    weights = "\n".join(
        f"| {name} | {coef:+.3f} |" for name, coef in zip(FEATURES, spec["coef"], strict=True)
    )
    return f"""# Answerability model — `{spec["version"]}`

Decides whether the passage the writer would quote answers the client's question; its score is
the calibrated chance that the answer is right, and the gate answers only at or above
**{spec["threshold"]}**. Code: `assistant/answerability.py`. Rebuild:
`python -m evals.train_answerability --write` (about half an hour on two cores).

**Data.** Rows {spec["rows"]}: the team's labelled questions (`evals/datasets/retrieval.jsonl`,
`ranker_train.jsonl`; a row is right when the quote holds every labelled fact and cites a
labelled source), the routing training sets' out-of-scope and beyond-the-documents messages, and
real text no fund document answers — LCQMC (real Baidu Zhidao questions, every fourth line of
`dev.txt`, from IceFlameWorm/NLP_Datasets @ a2203a7) and SMP2020-EWECT Weibo posts
(`virus_train.txt`, from BrownSweater/BERT_SMP2020-EWECT @ e928cec). Those two public research
sets carry **no licence**; they are read from `../shared/data/` at training time and never copied
here. A company can retrain on its own labelled chats instead (the agents' accepted and rejected
drafts and the compliance reviews are exactly such labels).

**Method.** Standardised logistic regression (C={spec["C"]} by 5-fold CV on the train split),
Platt calibration on a calibration split, threshold = the lowest at which answered calibration
questions are right ≥ 60 % of the time and text no document answers is quoted ≤ 5 % of the time. Splits by a hash of the question id: 60/20/20.

**Figures** (trained {spec["trained"]}; `test` was used for no choice):

{figures}

| feature | weight (standardised) |
| --- | --- |
{weights}
"""


if __name__ == "__main__":
    main()
