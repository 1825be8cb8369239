"""The fourth company's set (evals/kb4): its own traps, the facts a careless label would take from
the wrong document. The shape every company's sets share (facts in the loader's text, sizes,
documents and kinds asked about) is checked in `test_company_sets.py`."""

from __future__ import annotations

import pytest

from evals.kb2.validate import check_answerable
from evals.kb4.validate import Validation, validate


@pytest.fixture(scope="module")
def kb4() -> Validation:
    return validate()


def test_the_fee_cut_by_a_notice_is_asked_of_the_notice_not_the_fee_schedule(
    kb4: Validation,
) -> None:
    """先锋成长's management fee was cut by a notice; the PDF still prints the old 1.50 %, so a
    question on today's fee names the notice and never the PDF as an accepted source."""
    pdf = next(s for s in kb4.texts if s.endswith(".pdf"))
    assert "|鹤汀先锋成长|1.50%|0.25%|" in kb4.texts[pdf]
    current_fee = [
        r for r in kb4.answerable if r["fund_code"] == "024670" and "1.00%" in r["facts"]
    ]
    assert current_fee
    for row in current_fee:
        assert "gonggao/" in row["source"]
        assert pdf not in row.get("also", [])
    probe = {**current_fee[0], "id": "probe", "source": pdf, "also": []}
    assert check_answerable([probe], kb4.texts) == []  # 1.00% is in the PDF, as another fund's rate
