"""Check the sixth company's question sets against its documents, read through the project's own
loader (a fact only a human sees in the PDF or the DOCX tables, and the loader does not extract,
fails here).

The checks are kb2's (`evals.kb2.validate`, called with this folder's paths: every fact occurs,
spaces and case ignored, in the extracted text of its `source` and of every `also` file; fields and
languages valid; no unanswerable question copies an answerable one; ids unique across both files),
plus this set's own: every `fund_code` is one of 泓岳's sixteen share-class codes, and no
`other_company_fund` or `fund_not_offered` question names one of them.

    python -m evals.kb6.validate      # exit 1 and a list of problems when anything is off
"""

from __future__ import annotations

import sys
from pathlib import Path

from evals.kb2.validate import Validation, company_files, report, validate_company

DOCS, QUESTIONS, UNANSWERABLE = company_files(__file__)
FUND_CODES = frozenset(
    {
        "026301", "026302", "026303",  # 泓岳日日盈货币 A/B/E
        "026311", "026312",  # 泓岳稳泰纯债 A/C
        "026321", "026322",  # 泓岳中证A500指数 A/C
        "026331", "026332",  # 泓岳先进制造 A/C
        "026341", "026342",  # 泓岳均衡优选 A/C
        "026351", "026352",  # 泓岳养老2045 A/Y
        "026361", "026362", "026363", "026364",  # 泓岳美国科技QDII 人民币A/C, 美元A/C
    }
)  # fmt: skip
_NOT_OURS = ("other_company_fund", "fund_not_offered")


def validate(docs: Path = DOCS) -> Validation:
    """Read the documents through the loader and both question files, and check them."""
    return validate_company(docs, QUESTIONS, UNANSWERABLE, FUND_CODES, _NOT_OURS)


if __name__ == "__main__":
    sys.exit(report(validate()))
