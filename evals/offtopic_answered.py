"""How much real text that no fund document answers is answered from the documents anyway:
`python -m evals.offtopic_answered [--n 300]`.

Real questions and posts nobody on the project wrote, trained on by neither model that judges
them: LCQMC questions held out by the scope model's split (`evals.realtext_data`) and on lines
the answerability trainer does not read (it reads the first question of every fourth line), the
loan / credit-card / bank questions counted apart; SMP2020-EWECT Weibo posts held out by the
scope and emotion split (the answerability trainer reads `virus_train.txt` only). Each goes
through the whole pipeline over the sample knowledge base; a reply that cites a document counts
as answered from the documents.

`--after QUESTION` sends each text as the second turn of a conversation that opened with a fund
question (passed as the turn's history): off-topic text mid-conversation must not be read as a
follow-up of the fund question and answered from its documents.

Until session 7 the LCQMC and Weibo samples were unseen by the answerability model only; the
scope model had trained on most of them, so those figures were not held out.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

from assistant.components import build_components
from assistant.models import TurnRequest
from assistant.pipeline import AssistantPipeline
from evals import realtext_data
from evals.common import fresh_settings, ingest_fresh

SHARED = realtext_data.DATA
LOAN = re.compile(r"贷|信用卡|借呗|花呗|还款|额度|利息|银行")


def samples(shared: Path, n: int) -> dict[str, list[str]]:
    lines = (shared / "lcqmc" / "dev.txt").read_text(encoding="utf-8").splitlines()
    answerability_read = {line.split("\t")[0] for i, line in enumerate(lines) if i % 4 == 0}
    scope_held = set(realtext_data.lcqmc_split()[1])
    unseen = sorted(scope_held - answerability_read)
    loans = [q for q in unseen if LOAN.search(q)]
    other = [q for q in unseen if not LOAN.search(q)]
    weibo = sorted({r.text for r in realtext_data.weibo_held_out()})
    rng = random.Random(5)
    for group in (loans, other, weibo):
        rng.shuffle(group)
    return {"loan/credit questions": loans[:n], "other questions": other[:n], "weibo": weibo[:n]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--after", help="a fund question each text follows in its conversation")
    args = parser.parse_args()
    groups = samples(args.shared, args.n)
    with fresh_settings() as settings:
        ingest_fresh(settings)
        pipeline = AssistantPipeline(build_components(settings))
        history = [args.after] if args.after else []
        where = f", each after {args.after!r}" if args.after else ""
        print(f"real text no fund document answers, through the whole pipeline{where}")
        for name, texts in groups.items():
            modes: dict[str, int] = {}
            cited = 0
            for text in texts:
                reply = pipeline.handle(TurnRequest(message=text, history=history))
                cited += bool(reply.citations)
                mode = reply.explanation.mode if reply.explanation else "?"
                modes[mode] = modes.get(mode, 0) + 1
            print(
                f"  {name:<22} answered from the documents {cited / len(texts):.3f} "
                f"({cited}/{len(texts)}); by mode {dict(sorted(modes.items()))}"
            )


if __name__ == "__main__":
    main()
