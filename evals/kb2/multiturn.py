"""A company's conversations: `python -m evals.kb2.multiturn --kb kb5` (or kb4).

The company's conversations (written blind to the rules: short follow-ups with and without a
word that points back, and new questions asked mid-chat) run turn by turn in one session each,
on a fresh index of the company's documents, and scored as the company suites score a question.
kb5's, kb8's and kb9's `multiturn_blind.jsonl` are held out (kb8's and kb9's written blind in
session 34): their summaries are measured, their turns never read. kb4's,
kb6's and kb7's `multiturn.jsonl` are dev (kb6's and kb7's were written blind in session 23 and
run once before they were read): `--cases FILE` writes every scored turn for study.
Each kind of turn's in-process latency is printed beside its outcomes: a later turn read both
ways runs two readings, the slowest turns of all.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from evals.common import percentile
from evals.kb2.suite import HELD_OUT, company, company_pipeline
from evals.kb2.validate import load_rows
from evals.metrics import outcome_line
from evals.suites import run_multiturn

FILES = {
    "kb4": "multiturn.jsonl",
    "kb5": "multiturn_blind.jsonl",
    "kb6": "multiturn.jsonl",
    "kb7": "multiturn.jsonl",
    "kb8": "multiturn_blind.jsonl",
    "kb9": "multiturn_blind.jsonl",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--kb", choices=tuple(FILES), default="kb5")
    parser.add_argument("--cases", type=Path, help="write each scored turn here (dev sets only)")
    args = parser.parse_args()
    if args.cases and args.kb in HELD_OUT:
        parser.error(f"{args.kb} is held out: summaries only")
    kb = company(args.kb)
    conversations = load_rows(kb.questions.parent / FILES[args.kb])
    with company_pipeline(kb.docs) as (pipeline, _):
        result = run_multiturn(pipeline, conversations)
    if args.cases:
        with args.cases.open("w", encoding="utf-8") as out:
            for case in result.cases:
                row = {"id": case.id, "input": case.input, "output": case.output}
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    by_turn: dict[str, Counter[str]] = {"first turns": Counter(), "later turns": Counter()}
    latencies: dict[str, list[float]] = {where: [] for where in by_turn}
    for case in result.cases:
        where = "first turns" if case.id.endswith("#0") else "later turns"
        by_turn[where][case.output["outcome"]] += 1
        latencies[where].append(case.output["explanation"]["latency_ms"])
    m = result.metrics
    print(
        f"{args.kb} conversations: {len(conversations)}, scored turns {len(result.cases)}\n"
        f"  fact recall {m['fact_recall']:.3f}; answered {m['answered_share']:.3f}; "
        f"wrong of answered {m['wrong_answer_rate']:.3f} ({m['wrong_answers']:.0f}); "
        f"asked back {m['asked_back_rate']:.3f}; handed off {m['handoff_rate']:.3f}"
    )
    for where, counts in by_turn.items():
        print(outcome_line(where, counts))
    for where, ms in latencies.items():
        print(
            f"  {where} in-process latency p50 {percentile(ms, 50):.1f} ms, "
            f"p95 {percentile(ms, 95):.1f} ms"
        )


if __name__ == "__main__":
    main()
