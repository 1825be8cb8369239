"""The fourth company's set (evals/kb4) is consistent: every fact is in the text the real loader
extracts from its real source file, and the set is as large as its README says."""

from __future__ import annotations

from collections import Counter

import pytest

from evals.kb2.validate import UNANSWERABLE_KINDS, check_answerable
from evals.kb4.validate import Validation, validate


@pytest.fixture(scope="module")
def kb4() -> Validation:
    return validate()


def test_every_fact_is_in_the_text_the_loader_extracts(kb4: Validation) -> None:
    assert kb4.problems == []


def test_the_set_has_its_promised_size(kb4: Validation) -> None:
    english = [r for r in kb4.answerable if r["language"] == "en"]
    assert len(kb4.answerable) >= 150
    assert len(kb4.unanswerable) >= 70
    assert len(kb4.texts) >= 12
    assert 0.08 <= len(english) / len(kb4.answerable) <= 0.25
    assert any(source.endswith(".pdf") for source in kb4.texts)
    assert sum(source.endswith(".docx") for source in kb4.texts) >= 2


def test_every_kind_of_unanswerable_question_is_there(kb4: Validation) -> None:
    kinds = Counter(r["kind"] for r in kb4.unanswerable)
    assert set(kinds) == set(UNANSWERABLE_KINDS)
    assert min(kinds.values()) >= 5


def test_facts_in_the_pdf_and_docx_tables_are_checked(kb4: Validation) -> None:
    """Questions rest on the binary documents too, so the loader's table extraction is exercised."""
    sources = Counter(r["source"].rsplit(".", 1)[-1] for r in kb4.answerable)
    assert sources["pdf"] >= 10
    assert sources["docx"] >= 20


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
