"""Learn the passage ranker's weights: `python -m evals.train_passage_ranker [--write]`.

Train on the retrieval dev set and the ranker's own training questions, each labeled with the
facts a right answer holds; judge on the answers dev set (no question in common), by the share
of questions where the picked passage's extractive answer holds every fact, and by mean fact
recall. A logistic regression over the candidates of each question: its weights, in raw feature
units, are all the ranker needs, since only their order within a question matters. `--write`
stores them in prompts/passage_ranker.yaml; `--data-dir` reuses a built index.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from llama_index.core.base.embeddings.base import BaseEmbedding
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.preprocessing import StandardScaler

from assistant.components import build_components
from assistant.models import TurnRequest
from assistant.pipeline import AssistantPipeline
from assistant.prompts import PROMPTS_DIR
from assistant.retrieval.hybrid import ScoredChunk
from assistant.settings import Settings
from assistant.writers.base import AnswerWriter, WriteRequest, WrittenAnswer
from assistant.writers.extractive import ExtractiveWriter
from assistant.writers.passage_ranker import FEATURES, PassageRanker
from assistant.writers.quoting import answer_from
from evals.common import fresh_settings, ingest_fresh, load_dataset, required_facts
from evals.metrics import fact_recall

CANDIDATES = 5
# Questions labeled with the facts a right answer holds; none of them is in answers.jsonl.
TRAINING = ("retrieval.jsonl", "ranker_train.jsonl")
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)


class RecordingWriter:
    """Keeps each turn's write request, so training sees exactly what the writer sees."""

    name = "recording"

    def __init__(self, inner: AnswerWriter) -> None:
        self.inner = inner
        self.requests: list[WriteRequest] = []

    def write(self, request: WriteRequest) -> WrittenAnswer:
        self.requests.append(request)
        return self.inner.write(request)


def requests_for(pipeline: AssistantPipeline, cases: list[dict[str, Any]]) -> list[WriteRequest]:
    recorder = RecordingWriter(pipeline.c.writer)
    pipeline.c.writer = recorder
    try:
        for case in cases:
            pipeline.handle(TurnRequest(message=case["question"]))
    finally:
        pipeline.c.writer = recorder.inner
    return recorder.requests


def answers(chunk: ScoredChunk, request: WriteRequest, case: dict[str, Any]) -> bool:
    """The candidate's extractive answer holds every labeled fact."""
    return fact_recall(answer_from(chunk, request.question), required_facts(case)) == 1.0


def table(
    ranker: PassageRanker, requests: list[WriteRequest], cases: list[dict[str, Any]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    xs: list[np.ndarray] = []
    ys: list[bool] = []
    groups: list[int] = []
    for i, (request, case) in enumerate(zip(requests, cases, strict=True)):
        candidates = request.chunks[:CANDIDATES]
        if not candidates:
            continue
        xs.append(ranker.features(request, candidates))
        ys.extend(answers(c, request, case) for c in candidates)
        groups.extend([i] * len(candidates))
    return np.vstack(xs), np.array(ys, dtype=int), np.array(groups)


def picked_right(weights: np.ndarray, x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> float:
    """Share of questions with an answering candidate where the best-scored one answers."""
    right = total = 0
    for g in np.unique(groups):
        rows = groups == g
        if y[rows].any():
            total += 1
            right += int(y[rows][int(np.argmax(x[rows] @ weights))])
    return right / total if total else 0.0


def fit(x: np.ndarray, y: np.ndarray, c: float) -> np.ndarray:
    scaler = StandardScaler().fit(x)
    model = LogisticRegression(C=c, max_iter=2000).fit(scaler.transform(x), y)
    return model.coef_[0] / scaler.scale_  # the same order of candidates, in raw units


def answers_recall(
    writer: ExtractiveWriter, requests: list[WriteRequest], cases: list[dict[str, Any]]
) -> float:
    """Mean fact recall of what the extractive writer, with its ranker's weights, would say."""
    return float(
        np.mean(
            [
                fact_recall(writer.write(request).text, required_facts(case))
                for request, case in zip(requests, cases, strict=True)
            ]
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, help="an already built index (else a fresh one)")
    parser.add_argument("--write", action="store_true", help="store the weights in prompts/")
    args = parser.parse_args()
    if args.data_dir:
        run(Settings(data_dir=args.data_dir), write=args.write)
    else:
        with fresh_settings() as settings:
            _, embedder = ingest_fresh(settings)
            run(settings, write=args.write, embedder=embedder)


def run(settings: Settings, *, write: bool, embedder: BaseEmbedding | None = None) -> None:
    pipeline = AssistantPipeline(build_components(settings, embedder=embedder))
    writer = ExtractiveWriter(pipeline.c.prompts)
    ranker = writer.ranker
    train_cases = [case for name in TRAINING for case in load_dataset(name)]
    test_cases = load_dataset("answers.jsonl")
    train_requests = requests_for(pipeline, train_cases)
    test_requests = requests_for(pipeline, test_cases)
    x, y, groups = table(ranker, train_requests, train_cases)
    tx, ty, tgroups = table(ranker, test_requests, test_cases)

    def report(label: str) -> None:
        print(
            f"{label}: train picked {picked_right(ranker.weights, x, y, groups):.3f}"
            f"  answers picked {picked_right(ranker.weights, tx, ty, tgroups):.3f}"
            f"  answers fact recall {answers_recall(writer, test_requests, test_cases):.3f}"
        )

    report(f"in force ({ranker.version})")
    folds = GroupKFold(n_splits=5)
    best_c, best_cv = C_GRID[0], -1.0
    for c in C_GRID:
        cv = float(
            np.mean(
                [
                    picked_right(fit(x[tr], y[tr], c), x[te], y[te], groups[te])
                    for tr, te in folds.split(x, y, groups)
                ]
            )
        )
        print(f"C={c}: 5-fold picked {cv:.3f}")
        if cv > best_cv:
            best_c, best_cv = c, cv
    weights = fit(x, y, best_c)
    ranker.weights = weights
    report(f"learned (C={best_c})")
    for name, w in zip(FEATURES, weights, strict=True):
        print(f"  {name:18s} {w:+.3f}")
    if write:
        path = PROMPTS_DIR / "passage_ranker.yaml"
        text = path.read_text(encoding="utf-8")
        rules = yaml.safe_load(text)
        rules["version"] = f"passage-ranker-{dt.date.today():%Y.%m.%d}"
        rules["weights"] = {
            name: round(float(w), 4) for name, w in zip(FEATURES, weights, strict=True)
        }
        header = "".join(line + "\n" for line in text.splitlines() if line.startswith("#"))
        path.write_text(
            header + yaml.safe_dump(rules, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
