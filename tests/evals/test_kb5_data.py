"""The fifth company's set (evals/kb5, held out and blind): its own traps, the facts a careless
label would take from the wrong document. The shape every company's sets share (facts in the
loader's text, sizes, documents and kinds asked about) is checked in `test_company_sets.py`."""

from __future__ import annotations

import pytest

from evals.kb2.validate import check_answerable
from evals.kb5.validate import Validation, validate


@pytest.fixture(scope="module")
def kb5() -> Validation:
    return validate()


def test_the_fee_cut_by_a_notice_is_asked_of_the_notice_not_the_fee_disclosure(
    kb5: Validation,
) -> None:
    """价值精选's management fee was cut by a notice; the PDF and the product card still print the old
    1.20 %, so a question on today's fee names the notice and never the PDF or the card."""
    pdf = next(s for s in kb5.texts if s.endswith(".pdf"))
    card = next(s for s in kb5.texts if s.startswith("20_funds/025961_"))
    assert "|管理费|年费率|1.20%|1.20%|" in kb5.texts[pdf]
    current_fee = [
        r for r in kb5.answerable if r["fund_code"] == "025961" and "0.80%" in r["facts"]
    ]
    assert current_fee
    for row in current_fee:
        assert row["source"].startswith("50_notices/")
        assert pdf not in row.get("also", []) and card not in row.get("also", [])
    probe = {**current_fee[0], "id": "probe", "source": pdf, "also": []}
    assert check_answerable([probe], kb5.texts) == []  # 0.80% is in the PDF, as other funds' rates


def test_the_manager_change_is_asked_of_the_notice(kb5: Validation) -> None:
    """新兴动力's prospectus excerpt still names 梁溯; the current manager is the notice's 程朗."""
    rows = [r for r in kb5.answerable if r["fund_code"] == "025951" and "程朗" in r["facts"]]
    assert rows
    assert all(r["source"].startswith("50_notices/") for r in rows)
