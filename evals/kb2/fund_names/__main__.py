"""`python -m evals.kb2.fund_names`: funds kb2 does not offer, and its own funds named every
way a client names them, through the whole pipeline on kb2's documents.

`not_offered.jsonl` (70): a fund or share class the company does not have, named (a) with the
brand, (b) without it (你们家的医药基金), (c) by another company's fund, (d) by a code that is not
ours, (e) by a class the fund lacks, (f) in English. Any of them answered from our documents is
another fund's answer. `offered.jsonl` (70): kb2's real funds by full name, short name, a fragment,
code, class and English name: the hard negatives, which must not be taken for funds we lack.

Written on 2026-12-05 by a helper who had read kb2's documents but none of the code's rules; the
misses were then studied, so this is a dev set (a regression figure, not an estimate).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from assistant.components import build_components
from assistant.models import Reply, TurnRequest
from assistant.pipeline import AssistantPipeline
from assistant.settings import Settings
from evals.common import fresh_settings, ingest_fresh
from evals.kb2.suite import company, load_rows
from evals.metrics import ANSWERED_RIGHT, answer_outcome

HERE = Path(__file__).parent


def mode(reply: Reply) -> str:
    """What the client got (`evals.metrics.answer_outcome`); an answer is not judged here."""
    cited = [c.source for c in reply.citations]
    outcome = answer_outcome(reply.route, cited, reply.suggestions, right=True)
    return "answered" if outcome == ANSWERED_RIGHT else outcome


def main() -> None:
    kb = company("kb2")
    with fresh_settings(Settings().model_copy(update={"docs_dir": kb.docs})) as settings:
        _, embedder = ingest_fresh(settings)
        pipeline = AssistantPipeline(build_components(settings, embedder=embedder))
        for name, group in (("not_offered", "how"), ("offered", "language")):
            rows = load_rows(HERE / f"{name}.jsonl")
            modes = {
                row["id"]: mode(pipeline.handle(TurnRequest(message=row["question"])))
                for row in rows
            }
            answered = sum(m == "answered" for m in modes.values())
            print(f"{name}: answered {answered}/{len(rows)}; {dict(Counter(modes.values()))}")
            for key in sorted({row[group] for row in rows}):
                kind = Counter(modes[row["id"]] for row in rows if row[group] == key)
                print(f"  {group} {key}: {dict(kind)}")


if __name__ == "__main__":
    main()
