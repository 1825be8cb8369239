"""Check the eighth company's question sets against its documents, read through the project's own
loader (a fact only a human sees in the PDF or the DOCX tables, and the loader does not extract,
fails here).

The checks are kb2's (`evals.kb2.validate`, called with this folder's paths: every fact occurs,
spaces and case ignored, in the extracted text of its `source` and of every `also` file; fields and
languages valid; no unanswerable question copies an answerable one; ids unique across both files),
plus this set's own: every `fund_code` is one of 澄衡's fifteen share-class codes, and no
`other_company_fund` or `fund_not_offered` question names one of them.

    python -m evals.kb8.validate      # exit 1 and a list of problems when anything is off
"""

from __future__ import annotations

import sys
from pathlib import Path

from evals.kb2.validate import Validation, company_files, report, validate_company

DOCS, QUESTIONS, UNANSWERABLE = company_files(__file__)
FUND_CODES = frozenset(
    {
        "031801", "031802",  # 澄衡添益货币 A/B
        "031811", "031812",  # 澄衡安和短债 A/C
        "031821", "031822",  # 澄衡恒信90天滚动 A/C
        "031831", "031832",  # 澄衡中证红利低波100指数 A/C
        "031841", "031842",  # 澄衡红利优选混合 A/C
        "031851", "031852",  # 澄衡成渝优势产业股票 A/C
        "031861", "031862", "031863",  # 澄衡全球医疗QDII 人民币A/C, 美元A
    }
)  # fmt: skip
_NOT_OURS = ("other_company_fund", "fund_not_offered")


def validate(docs: Path = DOCS) -> Validation:
    """Read the documents through the loader and both question files, and check them."""
    return validate_company(docs, QUESTIONS, UNANSWERABLE, FUND_CODES, _NOT_OURS)


if __name__ == "__main__":
    sys.exit(report(validate()))
