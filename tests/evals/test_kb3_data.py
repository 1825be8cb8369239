"""The third company's held-out set (evals/kb3): its own traps, the facts a careless label would
take from the wrong document. The shape every company's sets share (facts in the loader's text,
sizes, documents and kinds asked about) is checked in `test_company_sets.py`."""

from __future__ import annotations

import pytest

from evals.kb2.validate import check_answerable
from evals.kb3.validate import Validation, validate


@pytest.fixture(scope="module")
def kb3() -> Validation:
    return validate()


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
