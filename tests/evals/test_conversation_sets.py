"""Every company's conversation set (`evals.kb2.multiturn`) rests on its documents: each labelled
turn's facts are in the text the real loader extracts from its source and `also` files, so a
turn scored wrong is the assistant's miss, not a typo in the set."""

from __future__ import annotations

import importlib

import pytest

from evals.kb2.multiturn import FILES
from evals.kb2.validate import check_conversations, extracted_texts, load_rows


@pytest.mark.parametrize("kb", sorted(FILES))
def test_every_labelled_turn_is_answered_by_its_documents(kb: str) -> None:
    validator = importlib.import_module(f"evals.{kb}.validate")
    rows = load_rows(validator.DOCS.parent / FILES[kb])
    assert len(rows) >= 60
    assert check_conversations(rows, extracted_texts(validator.DOCS)) == []
