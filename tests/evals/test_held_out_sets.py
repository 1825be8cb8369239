"""A held-out company's cases are never written: every suite that can write them (`--cases`)
refuses a held-out company before it runs anything, so a study of misses cannot reach them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from evals.kb2 import __main__ as single_questions
from evals.kb2 import mid_conversation, multiturn
from evals.kb2.suite import COMPANIES, HELD_OUT, TRAINABLE

SUITES: dict[str, Callable[[], None]] = {
    "evals.kb2": single_questions.main,
    "evals.kb2.mid_conversation": mid_conversation.main,
    "evals.kb2.multiturn": multiturn.main,
}


def test_the_held_out_companies_are_companies_no_trainer_reads() -> None:
    assert set(HELD_OUT) <= set(COMPANIES)
    assert not set(HELD_OUT) & set(TRAINABLE)


# every held-out company each suite runs (the conversations: those with a conversation set)
REFUSED = [
    (suite, kb)
    for suite in sorted(SUITES)
    for kb in HELD_OUT
    if suite != "evals.kb2.multiturn" or kb in multiturn.FILES
]


@pytest.mark.parametrize(("suite", "kb"), REFUSED)
def test_cases_of_a_held_out_company_are_refused(
    suite: str,
    kb: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "cases.jsonl"
    monkeypatch.setattr("sys.argv", [suite, "--kb", kb, "--cases", str(out)])
    with pytest.raises(SystemExit) as exit_:
        SUITES[suite]()
    assert exit_.value.code == 2
    assert f"{kb} is held out" in capsys.readouterr().err
    assert not out.exists()
