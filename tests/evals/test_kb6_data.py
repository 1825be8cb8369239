"""The sixth company's set (evals/kb6, training data for the answer models, written blind) is
consistent: every fact is in the text the real loader extracts from its real source file, and the
set is as large as its README says."""

from __future__ import annotations

from collections import Counter

import pytest

from evals.kb2.validate import UNANSWERABLE_KINDS, check_answerable
from evals.kb6.validate import FUND_CODES, Validation, validate


@pytest.fixture(scope="module")
def kb6() -> Validation:
    return validate()


def test_every_fact_is_in_the_text_the_loader_extracts(kb6: Validation) -> None:
    assert kb6.problems == []


def test_the_set_has_its_promised_size(kb6: Validation) -> None:
    english = [r for r in kb6.answerable if r["language"] == "en"]
    assert len(kb6.answerable) >= 220
    assert len(kb6.unanswerable) >= 70
    assert len(kb6.texts) >= 9
    assert 0.08 <= len(english) / len(kb6.answerable) <= 0.20
    assert sum(source.endswith(".pdf") for source in kb6.texts) >= 1
    assert sum(source.endswith(".docx") for source in kb6.texts) >= 1
    assert {source.rsplit(".", 1)[-1] for source in kb6.texts} >= {"md", "txt", "html"}


def test_every_document_is_asked_about(kb6: Validation) -> None:
    sources = Counter(r["source"] for r in kb6.answerable)
    assert set(sources) == set(kb6.texts)
    assert min(sources.values()) >= 5


def test_every_kind_of_unanswerable_question_is_there(kb6: Validation) -> None:
    kinds = Counter(r["kind"] for r in kb6.unanswerable)
    assert set(kinds) == set(UNANSWERABLE_KINDS)
    assert min(kinds.values()) >= 8
    assert any(r["language"] == "en" for r in kb6.unanswerable)


def test_every_share_class_code_is_in_the_documents(kb6: Validation) -> None:
    for code in FUND_CODES:
        assert any(code in text for text in kb6.texts.values()), code


def test_facts_in_the_pdf_and_docx_tables_are_checked(kb6: Validation) -> None:
    """Questions rest on the binary documents too, so the loader's table extraction is exercised."""
    sources = Counter(r["source"].rsplit(".", 1)[-1] for r in kb6.answerable)
    also = Counter(s.rsplit(".", 1)[-1] for r in kb6.answerable for s in r.get("also", []))
    assert sources["pdf"] + also["pdf"] >= 40
    assert sources["docx"] >= 15


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
