"""Short questions that name no fund: `python -m evals.which_fund --kb kb4`.

Each company's `which_fund.jsonl` (written blind, see `evals/which_fund.README.md`) holds 20
questions whose answer differs by fund (管理费多少, 基金经理是谁) and 20 whose answer is the same
for every fund (客服几点上班, 怎么改银行卡). A quote from one fund's passage is a guess at the
client's fund; the general ones should be answered. Prints how each kind was met: answered with
a quote (and of those, quotes all about one and the same fund: a guess at the client's fund),
asked back, handed off, declined. kb5's set is held out: its summary only.
"""

from __future__ import annotations

import argparse
from collections import Counter

from assistant.models import TurnRequest
from evals.kb2.suite import company, company_pipeline
from evals.kb2.validate import load_rows


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--kb", choices=("kb2", "kb4", "kb5"), default="kb4")
    args = parser.parse_args()
    kb = company(args.kb)
    rows = load_rows(kb.questions.parent / "which_fund.jsonl")
    counts: dict[bool, Counter[str]] = {True: Counter(), False: Counter()}
    with company_pipeline(kb.docs) as (pipeline, _):
        catalog = pipeline.c.retriever.catalog
        for row in rows:
            reply = pipeline.handle(TurnRequest(message=row["question"]))
            mode = reply.explanation.mode if reply.explanation else reply.route
            if mode == "answer" and reply.route == "answered":
                mode = "answered with a quote" if reply.citations else "answered, no quote"
                funds = {
                    m.fund.name
                    for c in reply.citations
                    for m in catalog.spot(f"{c.title} {c.section or ''} {c.snippet}")
                }
                if len(funds) == 1:  # every quote about one and the same fund: a guess
                    counts[bool(row["fund_specific"])]["of them about one fund"] += 1
            counts[bool(row["fund_specific"])][mode] += 1
    print(f"{args.kb}: {len(rows)} short questions naming no fund")
    for specific, label in ((True, "differs by fund"), (False, "same for every fund")):
        total = sum(counts[specific].values())
        quoted = counts[specific]["answered with a quote"]
        guessed = counts[specific]["of them about one fund"]
        total -= guessed
        print(
            f"  {label:<20} answered with a quote {quoted}/{total}, {guessed} about one fund; "
            f"{dict(sorted(counts[specific].items()))}"
        )


if __name__ == "__main__":
    main()
