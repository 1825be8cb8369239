"""The third company's held-out set (evals/kb3) is consistent: every fact is in the text the real
loader extracts from its real source file, and the set is as large as its README says."""

from __future__ import annotations

import pytest

from evals.kb2.validate import check_answerable
from evals.kb3.validate import Validation, validate


@pytest.fixture(scope="module")
def kb3() -> Validation:
    return validate()


def test_every_fact_is_in_the_text_the_loader_extracts(kb3: Validation) -> None:
    assert kb3.problems == []


def test_the_set_has_its_promised_size(kb3: Validation) -> None:
    english = [r for r in kb3.answerable if r["language"] == "en"]
    assert len(kb3.answerable) >= 150
    assert len(kb3.unanswerable) >= 70
    assert len(kb3.texts) >= 12
    assert 0.10 <= len(english) / len(kb3.answerable) <= 0.25
    assert any(source.endswith(".pdf") for source in kb3.texts)
    assert any(source.endswith(".docx") for source in kb3.texts)


def test_facts_in_the_pdf_and_docx_tables_are_checked(kb3: Validation) -> None:
    """Questions rest on the binary documents too, so the loader's table extraction is exercised."""
    sources = {r["source"] for r in kb3.answerable}
    assert any(s.endswith(".pdf") for s in sources)
    assert any(s.endswith(".docx") for s in sources)


def test_a_fact_from_another_funds_table_is_caught(kb3: Validation) -> None:
    docx = next(s for s in kb3.texts if s.endswith(".docx"))
    row = {
        "id": "probe",
        "question": "安泰短债A申购费",
        "language": "zh",
        "facts": ["0.60%"],  # a rate of the index and equity funds' tables, not the short-bond's
        "source": docx,
        "fund_code": "738211",
    }
    assert any("0.60%" in text for text in kb3.texts.values())
    assert check_answerable([row], kb3.texts) == [f"probe: fact '0.60%' not in {docx}"]
