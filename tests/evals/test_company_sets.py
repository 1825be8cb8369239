"""Every fictional company's question sets keep the shape its README promises: every fact is in
the text the real loader extracts from its source and `also` files, the sets are as large as
promised, the PDF and DOCX tables are asked about, every document is asked about, every kind of unanswerable question is there, and every
share-class code the validator knows is in the documents. One table; each company's own traps
(a fee cut by a notice, a manager change) stay in its `test_kbN_data.py`."""

from __future__ import annotations

import importlib
from collections import Counter
from typing import Any, NamedTuple

import pytest

from evals.kb2.validate import UNANSWERABLE_KINDS


class Promise(NamedTuple):
    answerable: int
    unanswerable: int
    documents: int
    english: tuple[float, float]  # share of the answerable questions asked in English
    per_document: int  # answerable questions whose source each document is, at least
    per_kind: int  # unanswerable questions of each kind, at least
    pdf_facts: int  # questions the PDF answers, as source or `also`
    docx_facts: int  # questions a DOCX is the source of
    docx: int = 1  # DOCX documents


PROMISED = {
    "kb3": Promise(150, 70, 12, (0.10, 0.25), 3, 5, 1, 1),
    "kb4": Promise(150, 70, 12, (0.08, 0.25), 3, 5, 10, 20, docx=2),
    "kb5": Promise(130, 45, 12, (0.12, 0.25), 3, 4, 20, 15),
    "kb6": Promise(220, 70, 9, (0.08, 0.20), 5, 8, 40, 15),
    "kb7": Promise(220, 70, 15, (0.08, 0.15), 5, 8, 30, 15),
    "kb8": Promise(200, 60, 12, (0.10, 0.20), 5, 8, 30, 12),
    "kb9": Promise(200, 60, 12, (0.10, 0.20), 5, 8, 40, 12),
}


@pytest.fixture(scope="module", params=sorted(PROMISED))
def company(request: pytest.FixtureRequest) -> tuple[str, Any, Any]:
    validator = importlib.import_module(f"evals.{request.param}.validate")
    return request.param, validator, validator.validate()


def test_every_fact_is_in_the_text_the_loader_extracts(company: tuple[str, Any, Any]) -> None:
    _, _, checked = company
    assert checked.problems == []


def test_the_set_has_its_promised_size(company: tuple[str, Any, Any]) -> None:
    name, _, checked = company
    promise = PROMISED[name]
    english = sum(r["language"] == "en" for r in checked.answerable) / len(checked.answerable)
    formats = Counter(source.rsplit(".", 1)[-1] for source in checked.texts)
    assert len(checked.answerable) >= promise.answerable
    assert len(checked.unanswerable) >= promise.unanswerable
    assert len(checked.texts) >= promise.documents
    assert promise.english[0] <= english <= promise.english[1]
    assert formats["pdf"] >= 1 and formats["docx"] >= promise.docx
    assert {"md", "txt", "html"} <= set(formats)


def test_facts_in_the_pdf_and_docx_tables_are_checked(company: tuple[str, Any, Any]) -> None:
    """Questions rest on the binary documents too, so the loader's table extraction is exercised."""
    name, _, checked = company
    sources = Counter(r["source"].rsplit(".", 1)[-1] for r in checked.answerable)
    also = Counter(s.rsplit(".", 1)[-1] for r in checked.answerable for s in r.get("also", []))
    assert sources["pdf"] + also["pdf"] >= PROMISED[name].pdf_facts
    assert sources["docx"] >= PROMISED[name].docx_facts


def test_every_document_is_asked_about(company: tuple[str, Any, Any]) -> None:
    name, _, checked = company
    sources = Counter(r["source"] for r in checked.answerable)
    assert set(sources) == set(checked.texts)
    assert min(sources.values()) >= PROMISED[name].per_document


def test_every_kind_of_unanswerable_question_is_there(company: tuple[str, Any, Any]) -> None:
    name, _, checked = company
    kinds = Counter(r["kind"] for r in checked.unanswerable)
    assert set(kinds) == set(UNANSWERABLE_KINDS)
    assert min(kinds.values()) >= PROMISED[name].per_kind
    assert any(r["language"] == "en" for r in checked.unanswerable)


def test_every_share_class_code_is_in_the_documents(company: tuple[str, Any, Any]) -> None:
    _, validator, checked = company
    for code in validator.FUND_CODES:
        assert any(code in text for text in checked.texts.values()), code
