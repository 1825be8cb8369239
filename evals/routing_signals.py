"""Score the understand step on the routing dev set: does each signal fire when it should?

    python -m evals.routing_signals [--rules-only] [--errors] [--dataset PATH]

Per signal: precision, recall and F1 against the dataset's `reasons` (`angry` / `anxious`
count as fired when the emotion label matches with a score of at least 0.5; the
`beyond_documents` signal counts as the `low_confidence` it becomes at the gate, since every
`low_confidence` message of the dev set asks for records or live data no document holds). Also intent accuracy, the share of calm
messages with an alarming word (`calm_alarming` tag) that fire nothing that would escalate,
and milliseconds per `understand` call with the embedding excluded: messages are embedded
first, as the pipeline does, and the vector is passed in.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.prompts import PROMPTS_DIR
from assistant.understanding import Understander, Understanding
from assistant.vocabulary import HANDOFF_EMOTIONS, MODELLED_SIGNALS
from evals.metrics import counts_to_scores

DATASET = Path(__file__).resolve().parent / "datasets" / "routing.jsonl"
RULES_DIR = PROMPTS_DIR / "understanding"
SIGNALS = (*MODELLED_SIGNALS, "low_confidence")
EMOTIONS = HANDOFF_EMOTIONS
EMOTION_THRESHOLD = 0.5


def fired(result: Understanding) -> set[str]:
    """Every reason our verdict would give the gate: signals plus strong angry/anxious."""
    reasons = {"low_confidence" if s == "beyond_documents" else s for s in result.signal_names}
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
        s = counts_to_scores(self.tp, self.fp, self.fn)
        n = self.tp + self.fn
        return (
            f"{name:<18} {s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f}"
            f" {n:>5} {self.fp:>4} {self.fn:>4}"
        )


@dataclass
class Tally:
    counts: dict[str, Counts] = field(
        default_factory=lambda: {name: Counts() for name in (*SIGNALS, *EMOTIONS)}
    )
    timings: list[float] = field(default_factory=list)  # one per message
    intent_ok: int = 0
    calm_total: int = 0
    calm_quiet: int = 0

    def add(self, row: dict[str, Any], result: Understanding, ms: float) -> bool:
        """Count one message; True when it disagrees with its label."""
        predicted, gold = fired(result), set(row["reasons"])
        for name, count in self.counts.items():
            count.add(name in gold, name in predicted)
        self.timings.append(ms)
        self.intent_ok += result.intent == row["intent"]
        if "calm_alarming" in row.get("tags", []):
            self.calm_total += 1
            self.calm_quiet += not predicted
        return predicted != gold or result.intent != row["intent"]

    @property
    def rows(self) -> int:
        return len(self.timings)


def embed_all(rows: list[dict[str, Any]], understander: Understander) -> list[list[float] | None]:
    """The query vectors the pipeline would pass in (none when rules run alone)."""
    embedder = understander.embedder
    if embedder is None or not understander.uses_embeddings:
        return [None] * len(rows)
    return [embedder.get_query_embedding(row["text"]) for row in rows]


def run(rows: list[dict[str, Any]], understander: Understander, *, show_errors: bool) -> Tally:
    """Embed every message, then time and score `understand` on each."""
    tally = Tally()
    for row, vector in zip(rows, embed_all(rows, understander), strict=True):
        start = time.perf_counter()
        result = understander.understand(row["text"], query_vector=vector)
        ms = (time.perf_counter() - start) * 1000
        if tally.add(row, result, ms) and show_errors:
            print(_disagreement(row, result))
    return tally


def _disagreement(row: dict[str, Any], result: Understanding) -> str:
    predicted, gold = fired(result), set(row["reasons"])
    extra, missing = sorted(predicted - gold), sorted(gold - predicted)
    intent = "" if result.intent == row["intent"] else f" intent {result.intent}≠{row['intent']}"
    return f"{row['id']}: +{extra} -{missing}{intent} | {row['text']}"


def table(tally: Tally, understander: Understander) -> str:
    """The compact report printed at the end."""
    mode = "rules + seed examples" if understander.uses_embeddings else "rules only"
    lines = [
        f"{understander.rules.version} ({mode}), {tally.rows} messages",
        f"{'signal':<18} {'prec':>6} {'recall':>6} {'F1':>6} {'n':>5} {'FP':>4} {'FN':>4}",
        *(count.row(name) for name, count in tally.counts.items()),
        f"intent accuracy    {tally.intent_ok / max(tally.rows, 1):.3f}",
        f"calm_alarming quiet {tally.calm_quiet}/{tally.calm_total}"
        f" = {tally.calm_quiet / max(tally.calm_total, 1):.3f}",
    ]
    ms = sorted(tally.timings)
    if ms:
        p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
        lines.append(
            f"ms per call        mean {statistics.mean(ms):.2f}  p50 {statistics.median(ms):.2f}"
            f"  p95 {p95:.2f} (embedding excluded)"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=DATASET)
    parser.add_argument("--rules-only", action="store_true", help="no seed-example embeddings")
    parser.add_argument("--errors", action="store_true", help="print every disagreement")
    args = parser.parse_args()
    lines = args.dataset.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    embedder = None
    if not args.rules_only:
        from assistant.index.embeddings import E5_SMALL, load_embedder

        embedder = load_embedder(E5_SMALL)
    understander = Understander(RULES_DIR, embedder)
    print(table(run(rows, understander, show_errors=args.errors), understander))


if __name__ == "__main__":
    main()
