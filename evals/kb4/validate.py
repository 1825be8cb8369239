"""Check the fourth company's question sets against its documents, read through the project's own
loader (a fact only a human sees in the PDF or a DOCX table, and the loader does not extract,
fails here).

The checks are kb2's (`evals.kb2.validate`, called with this folder's paths: every fact occurs,
spaces and case ignored, in the extracted text of its `source` and of every `also` file; fields and
languages valid; no unanswerable question copies an answerable one), plus this set's own: every
`fund_code` is one of 鹤汀's twenty share-class codes, no `other_company_fund` or
`fund_not_offered` question names one of them, every document named exists, and ids are unique
across both files.

    python -m evals.kb4.validate      # exit 1 and a list of problems when anything is off
"""

from __future__ import annotations

import sys
from pathlib import Path

from evals.kb2.validate import Validation, company_files, report, validate_company

DOCS, QUESTIONS, UNANSWERABLE = company_files(__file__)
FUND_CODES = frozenset(
    {
        "024610", "024611", "024612",  # 鹤汀添益货币 A/B/E
        "024620", "024621",  # 鹤汀安享纯债 A/C
        "024630", "024631",  # 鹤汀安盈短债 A/C
        "024640", "024641",  # 鹤汀恒信6个月定开债 A/C
        "024650", "024651",  # 鹤汀红利低波指数 A/C
        "024660", "024661",  # 鹤汀先进制造 A/C
        "024670", "024671",  # 鹤汀先锋成长 A/C
        "024680", "024681",  # 鹤汀养老2045 A/Y
        "024690", "024691", "024692", "024693",  # 鹤汀全球医疗QDII 人民币A/C, 美元现汇A, 美元现钞A
    }
)  # fmt: skip
_NOT_OURS = ("other_company_fund", "fund_not_offered")


def validate(docs: Path = DOCS) -> Validation:
    """Read the documents through the loader and both question files, and check them."""
    return validate_company(docs, QUESTIONS, UNANSWERABLE, FUND_CODES, _NOT_OURS)


if __name__ == "__main__":
    sys.exit(report(validate()))
