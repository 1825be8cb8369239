"""The ninth company's set (evals/kb9, a blind test set never run by its writer) is consistent:
every fact is in the text the real loader extracts from its real source file, and the set is as
large as its README says."""

from __future__ import annotations

from collections import Counter

import pytest

from evals.kb2.validate import UNANSWERABLE_KINDS, check_answerable
from evals.kb9.validate import FUND_CODES, Validation, validate

NOTICE = "费率与公告/2026-11-18_驼铃中证1000增强调低管理费及C类销售服务费的公告.txt"
HOURS = "费率与公告/2026-11-27_关于延长客户服务时间的公告.md"


@pytest.fixture(scope="module")
def kb9() -> Validation:
    return validate()


def test_every_fact_is_in_the_text_the_loader_extracts(kb9: Validation) -> None:
    assert kb9.problems == []


def test_the_set_has_its_promised_size(kb9: Validation) -> None:
    english = [r for r in kb9.answerable if r["language"] == "en"]
    assert len(kb9.answerable) >= 200
    assert len(kb9.unanswerable) >= 60
    assert len(kb9.texts) >= 12
    assert 0.10 <= len(english) / len(kb9.answerable) <= 0.20
    assert sum(source.endswith(".pdf") for source in kb9.texts) >= 1
    assert sum(source.endswith(".docx") for source in kb9.texts) >= 1
    assert {source.rsplit(".", 1)[-1] for source in kb9.texts} >= {"md", "txt", "html"}


def test_every_document_is_asked_about(kb9: Validation) -> None:
    sources = Counter(r["source"] for r in kb9.answerable)
    assert set(sources) == set(kb9.texts)
    assert min(sources.values()) >= 5


def test_every_kind_of_unanswerable_question_is_there(kb9: Validation) -> None:
    kinds = Counter(r["kind"] for r in kb9.unanswerable)
    assert set(kinds) == set(UNANSWERABLE_KINDS)
    assert min(kinds.values()) >= 8
    assert any(r["language"] == "en" for r in kb9.unanswerable)


def test_every_share_class_code_is_in_the_documents(kb9: Validation) -> None:
    for code in FUND_CODES:
        assert any(code in text for text in kb9.texts.values()), code


def test_facts_in_the_pdf_and_docx_tables_are_checked(kb9: Validation) -> None:
    """Questions rest on the binary documents too, so the loader's table extraction is exercised."""
    sources = Counter(r["source"].rsplit(".", 1)[-1] for r in kb9.answerable)
    also = Counter(s.rsplit(".", 1)[-1] for r in kb9.answerable for s in r.get("also", []))
    assert sources["pdf"] + also["pdf"] >= 40
    assert sources["docx"] >= 12


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
