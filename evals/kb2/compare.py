"""`python -m evals.kb2.compare OLD NEW`: which questions changed outcome between two runs.

Each file is what `python -m evals.kb2 --kb K --cases FILE` wrote. Prints the outcome counts of
both runs and, for every question whose outcome changed (answered right, answered wrong, handed
off, asked back, not quoted), the question and what each run cited: the quickest way to see
what a change did to a dev set. Do not point it at a held-out set's cases.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any


def load(path: Path) -> dict[str, dict[str, Any]]:
    rows = (json.loads(line) for line in path.open(encoding="utf-8") if line.strip())
    return {row["id"]: row for row in rows}


def changed(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> list[str]:
    """Ids present in both runs whose outcome differs, in the new run's order."""
    return [
        key
        for key, row in new.items()
        if key in old and old[key]["output"]["outcome"] != row["output"]["outcome"]
    ]


def _cited(row: dict[str, Any]) -> str:
    citations = row["output"].get("citations") or []
    return "; ".join(f"{c['source']} > {c.get('section') or ''}" for c in citations) or "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    args = parser.parse_args()
    old, new = load(args.old), load(args.new)
    for name, run in (("old", old), ("new", new)):
        counts = Counter(r["output"]["outcome"] for r in run.values())
        print(f"{name}: {dict(sorted(counts.items()))}")
    for key in changed(old, new):
        before, after = old[key], new[key]
        question = after["input"].get("question", "")
        print(f"{key} {question}: {before['output']['outcome']} -> {after['output']['outcome']}")
        print(f"    old cited {_cited(before)}")
        print(f"    new cited {_cited(after)}")


if __name__ == "__main__":
    main()
