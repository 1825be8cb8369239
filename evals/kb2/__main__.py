"""`python -m evals.kb2 [--kb kb3]` (part of `make bench`): another company's figures.

Ingests `evals/kbN/docs/` into a temporary data folder and runs its `questions.jsonl` and
`unanswerable.jsonl` through the whole pipeline (`--set english_blind`: kb3's and kb5's later,
blind set of English questions instead). Record each measurement, with its commit, in
`evals/kbN/README.md`. kb2 and kb4 have been studied (dev sets); kb6 and kb7 were written blind as
training data for the answer models; kb3, kb5, kb8 and kb9 are held out and blind: never tune on
their questions or documents.
"""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

from assistant.settings import Settings
from evals.kb2.suite import COMPANIES, HELD_OUT, run_kb2
from evals.kb2.validate import QUESTION_SETS
from evals.suites import SuiteResult


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print the metrics as JSON")
    parser.add_argument(
        "--kb",
        choices=COMPANIES,
        default="kb2",
        help="kb2 (dev), kb3 (held out), kb4 (dev, blind when written), kb5 (held out, blind), "
        "kb6 or kb7 (training data, blind when written), kb8 or kb9 (held out, blind, written in "
        "session 34)",
    )
    parser.add_argument(
        "--set",
        dest="question_set",
        choices=tuple(QUESTION_SETS),
        default="main",
        help="which of the company's question sets to run (english_blind: kb3 and kb5 only)",
    )
    parser.add_argument(
        "--cases",
        type=Path,
        help="also write every case (question, reply, outcome) to this JSON-lines file, for "
        "`python -m evals.kb2.compare OLD NEW` (dev sets only: a held-out set's cases are not read)",
    )
    args = parser.parse_args()
    if args.cases and args.kb in HELD_OUT:
        parser.error(f"{args.kb} is held out: summaries only")
    result = run_kb2(Settings(), name=args.kb, question_set=args.question_set)
    if args.cases:
        with args.cases.open("w", encoding="utf-8") as out:
            for case in result.cases:
                row = {"id": case.id, "input": case.input, "output": case.output}
                out.write(json.dumps(row | {"groups": case.groups}, ensure_ascii=False) + "\n")
    if args.json:
        print(json.dumps({"commit": _commit(), **result.metrics, **result.extra}, indent=1))
    else:
        _print(result, args.question_set)


def _print(result: SuiteResult, question_set: str = "main") -> None:
    m = result.metrics
    answerable = sum(c.groups.get("set") == "answerable" for c in result.cases)
    unanswerable = len(result.cases) - answerable
    ingest = result.extra.get("ingest", {})
    print(
        f"{result.name}{'' if question_set == 'main' else ' ' + question_set} "
        f"({'held out' if result.name in HELD_OUT else 'dev'}; "
        f"commit {_commit()[:7]}): "
        f"{ingest.get('documents')} documents, "
        f"{ingest.get('chunks')} chunks"
    )
    print(f"  answerable ({answerable} questions)")
    print(
        f"    fact recall {m['fact_recall']:.3f}; answered {m['answered_share']:.3f}; "
        f"wrong of answered {m['wrong_answer_rate']:.3f} ({m['wrong_answers']:.0f})"
    )
    print(
        f"    asked back {m['asked_back_rate']:.3f}; handed off {m['handoff_rate']:.3f}; "
        f"replied without a quote {m['not_quoted_rate']:.3f}; source cited {m['source_cited']:.3f}"
    )
    print(f"  unanswerable ({unanswerable} questions)")
    print(
        f"    answered from the documents {m['unanswerable_answered']:.3f}; asked back "
        f"{m['unanswerable_asked_back']:.3f}; handed off {m['unanswerable_handoff']:.3f}"
    )
    for kind, outcomes in result.extra["unanswerable_by_kind"].items():
        answered = outcomes.get("answered_wrong", 0)
        print(f"      {kind:<20} answered {answered} / {sum(outcomes.values())}")
    print(f"  wrong of everything answered (both sets) {m['wrong_answer_rate_all']:.3f}")
    print(f"  in-process latency p95 {m['latency_p95_ms']:.1f} ms")


def _commit() -> str:
    done = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


if __name__ == "__main__":
    main()
