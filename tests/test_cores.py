"""A turn borrows a second thread for its e5 readers only while a core is idle, and the two
threads give the numbers one gives."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

import numpy as np
import pytest

from assistant.cores import CoreBudget
from assistant.encoder.sentence import sentence_encoder


@pytest.mark.parametrize(
    ("cores", "occupied", "lent"),
    [
        (2, 0, True),  # nothing running: a reader outside any turn (an eval, a test)
        (2, 1, True),  # one turn on two cores: the other core is idle
        (2, 2, False),  # two turns, or a turn and its second reading
        (2, 5, False),  # a loaded server
        (1, 1, False),  # one core (or `serve --workers N` sharing them out)
        (4, 3, True),
    ],
)
def test_a_core_is_lent_only_while_fewer_are_occupied_than_there_are(
    cores: int, occupied: int, lent: bool
) -> None:
    budget = CoreBudget(cores)
    with ExitStack() as stack:
        for _ in range(occupied):
            stack.enter_context(budget.occupied())
        with budget.borrowed() as taken:
            assert taken is lent
            assert budget.in_use == occupied + lent
        assert budget.in_use == occupied
    assert budget.in_use == 0


def test_a_lent_core_is_not_lent_twice_and_comes_back() -> None:
    budget = CoreBudget(2)
    with budget.occupied():
        with budget.borrowed() as first, budget.borrowed() as second:
            assert (first, second) == (True, False)
        with budget.borrowed() as again:
            assert again


class _Recorded:
    """An onnxruntime session whose runs are noted by name."""

    def __init__(self, session: Any, name: str, ran: list[str]) -> None:
        self.session, self.name, self.ran = session, name, ran

    def run(self, outputs: Any, feeds: Any) -> Any:
        self.ran.append(self.name)
        return self.session.run(outputs, feeds)


def test_an_e5_run_takes_two_threads_while_a_core_is_idle_with_the_same_numbers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loaded = sentence_encoder().load()
    tokenizer, table, session = loaded.tokenizer, loaded.table, loaded.passages
    assert session.two is not None  # the machines this runs on have two cores
    budget = CoreBudget(2)
    ran: list[str] = []
    monkeypatch.setattr(session, "budget", budget)
    monkeypatch.setattr(session, "one", _Recorded(session.one, "one", ran))
    monkeypatch.setattr(session, "two", _Recorded(session.two, "two", ran))
    vectors = table[tokenizer.encode("赎回的钱几天到账，养老2045持有满三年了吗", "query: ").ids][
        None
    ]

    with budget.occupied():  # a turn alone on the machine
        alone = session.run(None, {"vectors": vectors})[0]
    with budget.occupied(), budget.occupied():  # two turns at once
        busy = session.run(None, {"vectors": vectors})[0]

    assert ran == ["two", "one"]
    assert np.array_equal(alone, busy)
    assert budget.in_use == 0
