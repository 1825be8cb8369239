"""Check the fifth company's question sets against its documents, read through the project's own
loader (a fact only a human sees in the PDF or the DOCX tables, and the loader does not extract,
fails here).

The checks are kb2's (`evals.kb2.validate`, called with this folder's paths: every fact occurs,
spaces and case ignored, in the extracted text of its `source` and of every `also` file; fields and
languages valid; no unanswerable question copies an answerable one; ids unique across both files),
plus this set's own: every `fund_code` is one of 澄川's nineteen share-class codes, and no
`other_company_fund` or `fund_not_offered` question names one of them.

    python -m evals.kb5.validate      # every question set; exit 1 and the problems when any is off
"""

from __future__ import annotations

import sys
from pathlib import Path

from evals.kb2.validate import Validation, company_files, report_every_set, validate_set

DOCS = company_files(__file__)[0]  # the question sets: `validate(question_set=...)`
FUND_CODES = frozenset(
    {
        "025901", "025902", "025903",  # 澄川鑫益货币 A/B/D
        "025911", "025912",  # 澄川鑫裕短债 A/C
        "025921", "025922",  # 澄川安和纯债 A/C
        "025931", "025932",  # 澄川安和稳健6个月持有 A/C
        "025941", "025942",  # 澄川沪深300增强 A/C
        "025951", "025952",  # 澄川新兴动力 A/C
        "025961", "025962",  # 澄川价值精选 A/C
        "025971", "025972", "025973",  # 澄川全球消费QDII 人民币A/C, 美元A
    }
)  # fmt: skip
_NOT_OURS = ("other_company_fund", "fund_not_offered")


def validate(docs: Path = DOCS, question_set: str = "main") -> Validation:
    """Read the documents through the loader and one question set's two files, and check them."""
    return validate_set(__file__, question_set, docs, FUND_CODES, _NOT_OURS)


if __name__ == "__main__":
    sys.exit(report_every_set(__file__, validate))
