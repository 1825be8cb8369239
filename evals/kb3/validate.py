"""Check the third company's question sets against its documents, read through the project's own
loader (a fact only a human sees in the PDF, and the loader does not extract, fails here).

The checks are kb2's (`evals.kb2.validate`, called with this folder's paths), plus three of this
set's own: every fund code a question names is one of 砚湖's thirteen share-class codes, no
unanswerable question names one of them when it is about another company's fund, and ids are
unique across both files.

    python -m evals.kb3.validate      # every question set; exit 1 and the problems when any is off
"""

from __future__ import annotations

import sys
from pathlib import Path

from evals.kb2.validate import Validation, company_files, report_every_set, validate_set

DOCS = company_files(__file__)[0]  # the question sets: `validate(question_set=...)`
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


def validate(docs: Path = DOCS, question_set: str = "main") -> Validation:
    """Read the documents through the loader and one question set's two files, and check them."""
    return validate_set(__file__, question_set, docs, FUND_CODES, ("other_company_fund",))


if __name__ == "__main__":
    sys.exit(report_every_set(__file__, validate))
