"""Score the understand step on the routing dev set: does each signal fire when it should?

    python -m evals.routing_signals [--rules-only] [--errors] [--dataset PATH]

Per signal: precision, recall and F1 against the dataset's `reasons` (`angry` / `anxious`
count as fired when the emotion label matches with a score of at least 0.5; the gate's
`low_confidence` is not ours and is ignored). Also intent accuracy, the share of calm
messages with an alarming word (`calm_alarming` tag) that fire nothing that would escalate,
and milliseconds per `understand` call with the embedding excluded: messages are embedded
first, as the pipeline does, and the vector is passed in.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from assistant.understanding import Understander, Understanding

REPO = Path(__file__).resolve().parent.parent
DATASET = REPO / "evals" / "datasets" / "routing.jsonl"
RULES_DIR = REPO / "prompts" / "understanding"
SIGNALS = ("complaint", "human_requested", "advice_request", "guarantee_request", "out_of_scope")
EMOTIONS = ("angry", "anxious")
EMOTION_THRESHOLD = 0.5


def fired(result: Understanding) -> set[str]:
    """Every reason our verdict would give the gate: signals plus strong angry/anxious."""
    reasons = set(result.signal_names)
    if result.emotion.label in EMOTIONS and result.emotion.score >= EMOTION_THRESHOLD:
        reasons.add(result.emotion.label)
    return reasons


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: bool, predicted: bool) -> None:
        self.tp += gold and predicted
        self.fp += predicted and not gold
        self.fn += gold and not predicted

    def row(self, name: str) -> str:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        support = self.tp + self.fn
        return f"{name:<18} {p:>6.3f} {r:>6.3f} {f1:>6.3f} {support:>5} {self.fp:>4} {self.fn:>4}"


def run(rows: list[dict], understander: Understander, *, show_errors: bool) -> None:
    """Embed every message, then time and score `understand` on each."""
    vectors = [
        understander.embedder.get_query_embedding(r["text"])
        if understander.uses_embeddings
        else None  # type: ignore[union-attr]
        for r in rows
    ]
    counts = {name: Counts() for name in (*SIGNALS, *EMOTIONS)}
    timings, intent_ok, calm_total, calm_quiet = [], 0, 0, 0
    for row, vector in zip(rows, vectors, strict=True):
        start = time.perf_counter()
        result = understander.understand(row["text"], query_vector=vector)
        timings.append((time.perf_counter() - start) * 1000)
        predicted, gold = fired(result), set(row["reasons"]) - {"low_confidence"}
        for name, count in counts.items():
            count.add(name in gold, name in predicted)
        intent_ok += result.intent == row["intent"]
        if "calm_alarming" in row["tags"]:
            calm_total += 1
            calm_quiet += not predicted
        if show_errors and (predicted != gold or result.intent != row["intent"]):
            _print_error(row, result, predicted, gold)
    _print_table(counts, intent_ok / len(rows), calm_quiet, calm_total, timings, understander)


def _print_error(row: dict, result: Understanding, predicted: set[str], gold: set[str]) -> None:
    extra, missing = sorted(predicted - gold), sorted(gold - predicted)
    intent = "" if result.intent == row["intent"] else f" intent {result.intent}≠{row['intent']}"
    print(f"{row['id']}: +{extra} -{missing}{intent} | {row['text']}")


def _print_table(
    counts: dict[str, Counts],
    intent_accuracy: float,
    calm_quiet: int,
    calm_total: int,
    timings: list[float],
    understander: Understander,
) -> None:
    mode = "rules + seed examples" if understander.uses_embeddings else "rules only"
    print(f"\n{understander.rules.version} ({mode})")
    print(f"{'signal':<18} {'prec':>6} {'recall':>6} {'F1':>6} {'n':>5} {'FP':>4} {'FN':>4}")
    for name, count in counts.items():
        print(count.row(name))
    print(f"intent accuracy    {intent_accuracy:.3f}")
    print(f"calm_alarming quiet {calm_quiet}/{calm_total} = {calm_quiet / max(calm_total, 1):.3f}")
    p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else timings[0]
    print(
        f"ms per call        mean {statistics.mean(timings):.2f}  p95 {p95:.2f} (embedding excluded)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=DATASET)
    parser.add_argument("--rules-only", action="store_true", help="no seed-example embeddings")
    parser.add_argument("--errors", action="store_true", help="print every disagreement")
    args = parser.parse_args()
    rows = [
        json.loads(line)
        for line in args.dataset.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    embedder = None
    if not args.rules_only:
        from assistant.index.embeddings import load_embedder

        embedder = load_embedder("e5-small")
    run(rows, Understander(RULES_DIR, embedder), show_errors=args.errors)


if __name__ == "__main__":
    main()
