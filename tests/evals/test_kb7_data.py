"""The seventh company's set (evals/kb7, training data for the answer models, written blind) is
consistent: every fact is in the text the real loader extracts from its real source file, and the
set is as large as its README says."""

from __future__ import annotations

from collections import Counter

import pytest

from evals.kb2.validate import UNANSWERABLE_KINDS
from evals.kb7.validate import Validation, validate


@pytest.fixture(scope="module")
def kb7() -> Validation:
    return validate()


def test_every_fact_is_in_the_text_the_loader_extracts(kb7: Validation) -> None:
    assert kb7.problems == []


def test_the_set_has_its_promised_size(kb7: Validation) -> None:
    english = [r for r in kb7.answerable if r["language"] == "en"]
    assert len(kb7.answerable) >= 220
    assert len(kb7.unanswerable) >= 70
    assert len(kb7.texts) >= 15
    assert 0.08 <= len(english) / len(kb7.answerable) <= 0.15
    assert sum(source.endswith(".pdf") for source in kb7.texts) >= 1
    assert sum(source.endswith(".docx") for source in kb7.texts) >= 1


def test_every_document_is_asked_about(kb7: Validation) -> None:
    asked = Counter(r["source"] for r in kb7.answerable)
    assert set(asked) == set(kb7.texts)
    assert min(asked.values()) >= 5


def test_every_kind_of_unanswerable_question_is_there(kb7: Validation) -> None:
    kinds = Counter(r["kind"] for r in kb7.unanswerable)
    assert set(kinds) == set(UNANSWERABLE_KINDS)
    assert min(kinds.values()) >= 8
    assert any(r["language"] == "en" for r in kb7.unanswerable)


def test_facts_in_the_pdf_and_docx_tables_are_checked(kb7: Validation) -> None:
    """Questions rest on the binary documents too, so the loader's table extraction is exercised."""
    sources = Counter(r["source"].rsplit(".", 1)[-1] for r in kb7.answerable)
    also = Counter(s.rsplit(".", 1)[-1] for r in kb7.answerable for s in r.get("also", []))
    assert sources["pdf"] + also["pdf"] >= 30
    assert sources["docx"] >= 15


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
