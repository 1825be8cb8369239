"""The eighth company's set (evals/kb8, a blind test set never run by its writer): its own traps,
the facts a careless label would take from the wrong document. The shape every company's sets
share (facts in the loader's text, sizes, documents and kinds asked about) is checked in
`test_company_sets.py`."""

from __future__ import annotations

import pytest

from evals.kb2.validate import check_answerable
from evals.kb8.validate import Validation, validate

FEE_PDF = "交易规则/澄衡基金直销费率表_2026年10月版.pdf"
PRODUCT_PAGE = "产品/031851_成渝优势产业/成渝优势产业股票_产品页.html"
FEE_CUT = "公告/2026-11-24_澄衡成渝优势产业股票调低费率公告.md"
LETTER = "产品/031841_红利优选混合/红利优选混合_致持有人的一封信.md"
MANAGER_CHANGE = "公告/2026-11-18_澄衡红利优选混合基金经理变更公告.txt"


@pytest.fixture(scope="module")
def kb8() -> Validation:
    return validate()


def test_the_fee_cut_by_a_notice_is_asked_of_the_notice_not_the_older_documents(
    kb8: Validation,
) -> None:
    """成渝优势产业's management fee is 1.20 % from 2026-12-01 (the notice); the fee schedule PDF
    and the product page still print 1.50 %, so a question on today's fee names only the notice."""
    assert "|管理费（年）|1.50%|1.50%|" in kb8.texts[FEE_PDF]
    assert "|管理费|1.50%/年|1.50%/年|" in kb8.texts[PRODUCT_PAGE]
    fund = {"031851", "031852"}
    current = [
        r
        for r in kb8.answerable
        if r["fund_code"] in fund
        and any(word in r["question"] for word in ("管理费", "托管费", "服务费", "management fee"))
    ]
    assert {"1.20%", "0.20%", "0.40%"} <= {fact for r in current for fact in r["facts"]}
    for row in current:
        assert row["source"] == FEE_CUT
        assert FEE_PDF not in row.get("also", []) and PRODUCT_PAGE not in row.get("also", [])
    probe = {**current[0], "id": "probe", "source": PRODUCT_PAGE, "also": []}
    assert check_answerable([probe], kb8.texts) != []  # the product page does not say 1.20 %


def test_the_new_manager_is_asked_of_the_notice_not_the_letter(kb8: Validation) -> None:
    """红利优选混合's letter (October) is signed by 柏知遥; from 2026-11-18 宁舒扬 manages it."""
    assert "柏知遥" in kb8.texts[LETTER] and "宁舒扬" not in kb8.texts[LETTER]
    current = [r for r in kb8.answerable if "宁舒扬" in r["facts"]]
    assert current
    assert all(r["source"] == MANAGER_CHANGE and not r.get("also") for r in current)
