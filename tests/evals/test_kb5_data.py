"""The fifth company's set (evals/kb5, held out and blind) is consistent: every fact is in the text
the real loader extracts from its real source file, and the set is as large as its README says."""

from __future__ import annotations

from collections import Counter

import pytest

from evals.kb2.validate import UNANSWERABLE_KINDS, check_answerable
from evals.kb5.validate import Validation, validate


@pytest.fixture(scope="module")
def kb5() -> Validation:
    return validate()


def test_every_fact_is_in_the_text_the_loader_extracts(kb5: Validation) -> None:
    assert kb5.problems == []


def test_the_set_has_its_promised_size(kb5: Validation) -> None:
    english = [r for r in kb5.answerable if r["language"] == "en"]
    assert len(kb5.answerable) >= 130
    assert len(kb5.unanswerable) >= 45
    assert len(kb5.texts) >= 12
    assert 0.12 <= len(english) / len(kb5.answerable) <= 0.25
    assert sum(source.endswith(".pdf") for source in kb5.texts) >= 1
    assert sum(source.endswith(".docx") for source in kb5.texts) >= 1


def test_every_kind_of_unanswerable_question_is_there(kb5: Validation) -> None:
    kinds = Counter(r["kind"] for r in kb5.unanswerable)
    assert set(kinds) == set(UNANSWERABLE_KINDS)
    assert min(kinds.values()) >= 4
    assert any(r["language"] == "en" for r in kb5.unanswerable)


def test_facts_in_the_pdf_and_docx_tables_are_checked(kb5: Validation) -> None:
    """Questions rest on the binary documents too, so the loader's table extraction is exercised."""
    sources = Counter(r["source"].rsplit(".", 1)[-1] for r in kb5.answerable)
    also = Counter(s.rsplit(".", 1)[-1] for r in kb5.answerable for s in r.get("also", []))
    assert sources["pdf"] + also["pdf"] >= 20
    assert sources["docx"] >= 15


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
