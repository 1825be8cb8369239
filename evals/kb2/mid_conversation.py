"""A company's questions asked mid-conversation: `python -m evals.kb2.mid_conversation [--kb kb4]`.

Clients ask several things in one chat. Each answerable question of the company is asked alone
and as the second turn after each of the first `--openers` questions of the set that name one
of its funds (a new session each time), and scored as the company suite scores it: what the
follow-up handling carries from the first turn must not spoil a question that stands on its
own. Prints the outcomes alone and after an opener (summed over the openers). Held-out
companies (kb3, kb5): read the summary only.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from assistant.models import TurnRequest
from evals.common import accepted_sources, required_facts
from evals.kb2.suite import COMPANIES, HELD_OUT, company, company_pipeline
from evals.kb2.validate import load_rows
from evals.metrics import fact_recall, outcome_line
from evals.suites import outcome_of


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--kb", choices=COMPANIES, default="kb2")
    parser.add_argument("--openers", type=int, default=3, help="first turns naming a fund")
    parser.add_argument(
        "--cases",
        type=Path,
        help="also write every case (opener, question, outcome, what was read and cited) to this "
        "JSON-lines file (dev sets only: a held-out set's cases are not read)",
    )
    args = parser.parse_args()
    if args.cases and args.kb in HELD_OUT:
        parser.error(f"{args.kb} is held out: summaries only")
    cases: list[dict[str, object]] = []
    kb = company(args.kb)
    with company_pipeline(kb.docs) as (pipeline, _):
        rows = load_rows(kb.questions)
        catalog = pipeline.c.retriever.catalog
        openers = [r["question"] for r in rows if catalog.spot(r["question"])][: args.openers]
        outcomes: dict[str, Counter[str]] = {"alone": Counter(), "after an opener": Counter()}
        for row in rows:
            for opener in (None, *openers):
                if opener == row["question"]:
                    continue
                session = (
                    pipeline.handle(TurnRequest(message=opener)).session_id if opener else None
                )
                reply = pipeline.handle(TurnRequest(message=row["question"], session_id=session))
                outcome = outcome_of(
                    reply,
                    fact_recall(reply.answer or "", required_facts(row)),
                    accepted_sources(row),
                )
                outcomes["alone" if opener is None else "after an opener"][outcome] += 1
                cases.append(
                    {
                        "id": row["id"],
                        "opener": opener,
                        "question": row["question"],
                        "outcome": outcome,
                        "standalone": reply.explanation.standalone_query
                        if reply.explanation
                        else None,
                        "cited": [f"{c.source} > {c.section or ''}" for c in reply.citations],
                    }
                )
    if args.cases:
        lines = (json.dumps(case, ensure_ascii=False) + "\n" for case in cases)
        args.cases.write_text("".join(lines), encoding="utf-8")
    print(f"{args.kb}: {len(rows)} answerable questions; openers {openers}")
    for where, counts in outcomes.items():
        print(outcome_line(where, counts))


if __name__ == "__main__":
    main()
