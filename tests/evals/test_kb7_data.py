"""The seventh company's set (evals/kb7, training data for the answer models, written blind): its
own traps, the facts a careless label would take from the wrong document. The shape every
company's sets share (facts in the loader's text, sizes, documents and kinds asked about) is
checked in `test_company_sets.py`."""

from __future__ import annotations

import pytest

from evals.kb7.validate import Validation, validate


@pytest.fixture(scope="module")
def kb7() -> Validation:
    return validate()


def test_the_purchase_limit_is_asked_of_the_notice_not_the_product_summary(
    kb7: Validation,
) -> None:
    """湾区精选's product summary (September) says no daily purchase limit is set; the notice of
    2026-11-16 limits it to 50万元 a day from 2026-11-20, so a question on the limit names the
    notice and never the summary."""
    summary = next(s for s in kb7.texts if s.startswith("柜台资料/湾区精选"))
    assert "目前未设置单日申购金额上限" in kb7.texts[summary]
    rows = [r for r in kb7.answerable if r["fund_code"] == "027731" and "50万元" in r["facts"]]
    assert rows
    for row in rows:
        assert row["source"].startswith("公告/")
        assert summary not in row.get("also", [])


def test_the_latest_dividend_is_asked_of_the_notice_not_the_product_page(kb7: Validation) -> None:
    """恒裕纯债's product page lists dividends to August; November's is only in the notice."""
    page = next(s for s in kb7.texts if s.startswith("官网/产品中心/027711_"))
    assert "0.280元" not in kb7.texts[page]
    rows = [r for r in kb7.answerable if "0.280元" in r["facts"]]
    assert rows
    assert all(r["source"].startswith("公告/") for r in rows)
