"""Check the ninth company's question sets against its documents, read through the project's own
loader (a fact only a human sees in the PDF or the DOCX tables, and the loader does not extract,
fails here).

The checks are kb2's (`evals.kb2.validate`, called with this folder's paths: every fact occurs,
spaces and case ignored, in the extracted text of its `source` and of every `also` file; fields and
languages valid; no unanswerable question copies an answerable one; ids unique across both files),
plus this set's own: every `fund_code` is one of 驼铃's fifteen share-class codes, and no
`other_company_fund` or `fund_not_offered` question names one of them.

    python -m evals.kb9.validate      # exit 1 and a list of problems when anything is off
"""

from __future__ import annotations

import sys
from pathlib import Path

from evals.kb2.validate import Validation, company_files, report, validate_company

DOCS, QUESTIONS, UNANSWERABLE = company_files(__file__)
FUND_CODES = frozenset(
    {
        "659201", "659202",  # 驼铃天天金货币 A/B
        "659211", "659212",  # 驼铃丝路短债 A/C
        "659221", "659222",  # 驼铃陇原定开债 A/C
        "659231", "659232",  # 驼铃中证1000增强 A/C
        "659241", "659242",  # 驼铃西部新能源 A/C
        "659251", "659252",  # 驼铃丝路稳进六个月持有 A/C
        "659261", "659262", "659263",  # 驼铃全球医药QDII 人民币A/C, 美元A
    }
)  # fmt: skip
_NOT_OURS = ("other_company_fund", "fund_not_offered")


def validate(docs: Path = DOCS) -> Validation:
    """Read the documents through the loader and both question files, and check them."""
    return validate_company(docs, QUESTIONS, UNANSWERABLE, FUND_CODES, _NOT_OURS)


if __name__ == "__main__":
    sys.exit(report(validate()))
