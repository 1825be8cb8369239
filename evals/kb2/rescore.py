"""Re-score stored replies against a question file: `python -m evals.kb2.rescore CASES [LABELS]`.

A label audit (other forms of a fact, other documents that answer a question) changes what counts
as right without changing a reply. This reads the cases `python -m evals.kb2 --kb kbN --cases
CASES` wrote and scores every answerable question's reply again against LABELS (a company's
`questions.jsonl`; by default the one the cases' ids come from), so a measurement can be reported
with the labels as written and as audited from one run. It prints counts only: a held-out set's
replies are scored here, never read.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
from typing import Any

from evals.common import accepted_sources, required_facts
from evals.kb2.validate import load_rows
from evals.metrics import fact_recall, outcome_line, scored_outcome

EVALS = Path(__file__).resolve().parent.parent


def rescored(cases: list[dict[str, Any]], labels: list[dict[str, Any]]) -> Counter[str]:
    """The outcomes of the answerable questions' replies under `labels`."""
    by_id = {row["id"]: row for row in labels}
    outcomes: Counter[str] = Counter()
    for case in cases:
        label = by_id.get(case["id"])
        if label is None:
            continue
        reply = case["output"]
        recall = fact_recall(reply["answer"] or "", required_facts(label))
        cited = [c["source"] for c in reply["citations"]]
        route, suggestions = reply["route"], reply["suggestions"]
        outcomes[scored_outcome(route, cited, suggestions, recall, accepted_sources(label))] += 1
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("cases", type=Path)
    parser.add_argument("labels", type=Path, nargs="?")
    args = parser.parse_args()
    cases = load_rows(args.cases)
    company = cases[0]["id"].split("-")[0]
    labels = load_rows(args.labels or EVALS / company / "questions.jsonl")
    print(outcome_line(f"{company} answerable", rescored(cases, labels)))


if __name__ == "__main__":
    main()
