"""The turn's deadline for the LLM: one budget for all the LLM calls of a turn, set by whoever
runs the turn and read by the LLM client, so that a follow-up (condense, then write) waits no
longer than a single question."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_DEADLINE: ContextVar[float | None] = ContextVar("llm_deadline", default=None)


@contextmanager
def llm_deadline(seconds: float) -> Iterator[float]:
    """Until the block ends, LLM calls share a budget of `seconds` from now (monotonic clock)."""
    deadline = time.monotonic() + seconds
    token = _DEADLINE.set(deadline)
    try:
        yield deadline
    finally:
        _DEADLINE.reset(token)


def current_deadline(default_s: float) -> float:
    """The turn's deadline, or `default_s` from now for a call made outside a turn."""
    return _DEADLINE.get() or time.monotonic() + default_s
