"""Check the seventh company's question sets against its documents, read through the project's own
loader (a fact only a human sees in the PDF or the DOCX tables, and the loader does not extract,
fails here).

The checks are kb2's (`evals.kb2.validate`, called with this folder's paths: every fact occurs,
spaces and case ignored, in the extracted text of its `source` and of every `also` file; fields and
languages valid; no unanswerable question copies an answerable one; ids unique across both files),
plus this set's own: every `fund_code` is one of 榕湾's seventeen share-class codes, and no
`other_company_fund` or `fund_not_offered` question names one of them.

    python -m evals.kb7.validate      # exit 1 and a list of problems when anything is off
"""

from __future__ import annotations

import sys
from pathlib import Path

from evals.kb2.validate import Validation, company_files, report, validate_company

DOCS, QUESTIONS, UNANSWERABLE = company_files(__file__)
FUND_CODES = frozenset(
    {
        "027701", "027702", "027703",  # 榕湾添利货币 A/B/E
        "027711", "027712",  # 榕湾恒裕纯债 A/C
        "027721", "027722",  # 榕湾创业板指数 A/C
        "027731", "027732",  # 榕湾湾区精选 A/C
        "027741", "027742",  # 榕湾稳盈一年持有 A/C
        "027751", "027752",  # 榕湾颐年2040 A/Y
        "027761", "027762", "027763", "027764",  # 榕湾亚太精选QDII 人民币A/C, 美元A/C
    }
)  # fmt: skip
_NOT_OURS = ("other_company_fund", "fund_not_offered")


def validate(docs: Path = DOCS) -> Validation:
    """Read the documents through the loader and both question files, and check them."""
    return validate_company(docs, QUESTIONS, UNANSWERABLE, FUND_CODES, _NOT_OURS)


if __name__ == "__main__":
    sys.exit(report(validate()))
