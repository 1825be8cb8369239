"""The ninth company's set (evals/kb9, a blind test set never run by its writer): its own traps,
the facts a careless label would take from the wrong document. The shape every company's sets
share (facts in the loader's text, sizes, documents and kinds asked about) is checked in
`test_company_sets.py`."""

from __future__ import annotations

import pytest

from evals.kb2.validate import check_answerable
from evals.kb9.validate import Validation, validate

NOTICE = "费率与公告/2026-11-18_驼铃中证1000增强调低管理费及C类销售服务费的公告.txt"
HOURS = "费率与公告/2026-11-27_关于延长客户服务时间的公告.md"


@pytest.fixture(scope="module")
def kb9() -> Validation:
    return validate()


def test_the_fee_cut_by_a_notice_is_asked_of_the_notice_not_the_older_documents(
    kb9: Validation,
) -> None:
    """中证1000增强's management fee is 0.60 % and its C-class service fee 0.25 % from 2026-12-01
    (the notice); the fee handbook PDF and the 招募说明书摘要 DOCX still print 1.00 % and 0.40 %,
    so a question on today's fee names only the notice."""
    pdf = next(s for s in kb9.texts if s.endswith(".pdf"))
    docx = next(s for s in kb9.texts if s.endswith(".docx"))
    assert "|管理费（年）|1.00%|1.00%|" in kb9.texts[pdf]
    assert "|管理费|1.00%|基金管理人|" in kb9.texts[docx]
    index = {"659231", "659232"}
    current = [
        r
        for r in kb9.answerable
        if r["fund_code"] in index and ("0.60%" in r["facts"] or "管理费" in r["question"])
    ]
    assert current
    for row in current:
        assert row["source"] == NOTICE
        assert pdf not in row.get("also", []) and docx not in row.get("also", [])
    probe = {**current[0], "id": "probe", "source": docx, "also": []}
    assert check_answerable([probe], kb9.texts) != []  # the DOCX does not say 0.60 %


def test_service_hours_are_asked_of_the_later_notice(kb9: Validation) -> None:
    """From 2026-12-01 the hotline is staffed to 22:00 on working days; the company page and the
    call-centre script still say 20:00, so hours questions name only the notice."""
    hours = [r for r in kb9.answerable if "8:30—22:00" in r["facts"]]
    assert hours
    assert all(r["source"] == HOURS and not r.get("also") for r in hours)
    assert not any("8:30—20:00" in r["facts"] for r in kb9.answerable)
