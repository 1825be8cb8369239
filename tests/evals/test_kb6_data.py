"""The sixth company's set (evals/kb6, training data for the answer models, written blind): its own
traps, the facts a careless label would take from the wrong document. The shape every company's
sets share (facts in the loader's text, sizes, documents and kinds asked about) is checked in
`test_company_sets.py`."""

from __future__ import annotations

import pytest

from evals.kb2.validate import check_answerable
from evals.kb6.validate import Validation, validate


@pytest.fixture(scope="module")
def kb6() -> Validation:
    return validate()


def test_the_fee_cut_by_a_notice_is_asked_of_the_notice_not_the_older_documents(
    kb6: Validation,
) -> None:
    """中证A500指数's management fee is 0.15 % from 2026-12-01 (the notice); the fee schedule PDF
    and the 产品资料概要 DOCX still print 0.50 %, so a question on today's fee names only the
    notice, and no question takes 0.50 % from the older documents as that fund's management fee."""
    pdf = next(s for s in kb6.texts if s.endswith(".pdf"))
    docx = next(s for s in kb6.texts if s.endswith(".docx"))
    assert "|中证a500指数|0.50%|0.10%|c类0.25%|" in kb6.texts[pdf]
    assert "|管理费|0.50%|基金管理人|" in kb6.texts[docx]
    index = {"026321", "026322"}
    current = [r for r in kb6.answerable if r["fund_code"] in index and "0.15%" in r["facts"]]
    assert current
    for row in current:
        assert row["source"].startswith("N02_")
        assert pdf not in row.get("also", []) and docx not in row.get("also", [])
    old = [
        r
        for r in kb6.answerable
        if r["fund_code"] in index and "管理费" in r["question"] and "0.15%" not in r["facts"]
    ]
    assert old == []
    probe = {**current[0], "id": "probe", "source": docx, "also": []}
    assert check_answerable([probe], kb6.texts) != []  # the DOCX does not say 0.15 %
