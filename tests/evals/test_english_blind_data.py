"""The held-out companies' blind English sets (evals/kb3 and evals/kb5, `english_blind*.jsonl`) are
consistent with their documents, English only, and new: no id or question of the main sets."""

from __future__ import annotations

import importlib

import pytest

from evals.kb2.suite import company
from evals.kb2.validate import Validation, load_rows


@pytest.fixture(scope="module", params=["kb3", "kb5"])
def blind(request: pytest.FixtureRequest) -> tuple[str, Validation]:
    validator = importlib.import_module(f"evals.{request.param}.validate")
    return request.param, validator.validate(question_set="english_blind")


def test_every_fact_is_in_the_text_the_loader_extracts(blind: tuple[str, Validation]) -> None:
    assert blind[1].problems == []


def test_the_set_is_english_and_has_its_promised_size(blind: tuple[str, Validation]) -> None:
    rows = blind[1].answerable + blind[1].unanswerable
    assert len(blind[1].answerable) >= 60
    assert len(blind[1].unanswerable) >= 15
    assert {r["language"] for r in rows} == {"en"}


def test_no_question_or_id_of_the_main_set_is_repeated(blind: tuple[str, Validation]) -> None:
    name, validation = blind
    main = company(name)
    seen = load_rows(main.questions) + load_rows(main.unanswerable)
    rows = validation.answerable + validation.unanswerable
    assert not {r["id"] for r in rows} & {r["id"] for r in seen}
    assert not {r["question"].casefold() for r in rows} & {r["question"].casefold() for r in seen}


def test_the_suite_reads_the_blind_files(blind: tuple[str, Validation]) -> None:
    kb = company(blind[0], "english_blind")
    assert kb.questions.name == "english_blind.jsonl"
    assert len(load_rows(kb.questions)) == len(blind[1].answerable)
