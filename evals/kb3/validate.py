"""Check the third company's question sets against its documents, read through the project's own
loader (a fact only a human sees in the PDF, and the loader does not extract, fails here).

The checks are kb2's (`evals.kb2.validate`, called with this folder's paths), plus three of this
set's own: every fund code a question names is one of 砚湖's thirteen share-class codes, no
unanswerable question names one of them when it is about another company's fund, and ids are
unique across both files.

    python -m evals.kb3.validate      # exit 1 and a list of problems when anything is off
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any, NamedTuple

from evals.kb2.validate import (
    check_answerable,
    check_unanswerable,
    duplicate_ids,
    extracted_texts,
    load_rows,
)

KB3 = Path(__file__).resolve().parent
DOCS = KB3 / "docs"
QUESTIONS = KB3 / "questions.jsonl"
UNANSWERABLE = KB3 / "unanswerable.jsonl"
FUND_CODES = frozenset(
    {
        "738101", "738102",  # 砚湖日日盈货币 A/B
        "738211", "738212", "738213",  # 砚湖安泰短债 A/C/E
        "738331", "738332",  # 砚湖500ETF联接 A/C
        "738451", "738452",  # 砚湖新锐成长 A/C
        "738561", "738562",  # 砚湖养老2040 A/Y
        "738671", "738672",  # 砚湖恒裕一年定开债 A/C
    }
)  # fmt: skip
_CODE = re.compile(r"(?<![0-9])[0-9]{6}(?![0-9])")


class Validation(NamedTuple):
    texts: dict[str, str]  # source path -> the loader's text, squashed
    answerable: list[dict[str, Any]]
    unanswerable: list[dict[str, Any]]
    problems: list[str]


def validate(docs: Path = DOCS) -> Validation:
    """Read the documents through the loader and both question files, and check them."""
    texts = extracted_texts(docs)
    answerable, unanswerable = load_rows(QUESTIONS), load_rows(UNANSWERABLE)
    problems = [
        *check_answerable(answerable, texts),
        *check_unanswerable(unanswerable, answerable),
        *_unknown_codes(answerable),
        *_own_codes_called_foreign(unanswerable),
        *duplicate_ids(answerable + unanswerable),
    ]
    return Validation(texts, answerable, unanswerable, problems)


def _unknown_codes(rows: list[dict[str, Any]]) -> list[str]:
    return [
        f"{row['id']}: fund code {row['fund_code']} is not one of the company's"
        for row in rows
        if row.get("fund_code") is not None and row["fund_code"] not in FUND_CODES
    ]


def _own_codes_called_foreign(rows: list[dict[str, Any]]) -> list[str]:
    return [
        f"{row['id']}: names the company's own code {code} but is kind other_company_fund"
        for row in rows
        if row.get("kind") == "other_company_fund"
        for code in _CODE.findall(row.get("question", ""))
        if code in FUND_CODES
    ]


def main() -> int:
    result = validate()
    english = sum(r["language"] == "en" for r in result.answerable)
    print(
        f"{len(result.texts)} documents; {len(result.answerable)} answerable questions "
        f"({english} English), {len(result.unanswerable)} unanswerable"
    )
    for problem in result.problems:
        print("  " + problem)
    return 1 if result.problems else 0


if __name__ == "__main__":
    sys.exit(main())
