"""A circuit breaker in a few lines: after `failures` failures in a row the call is skipped for
`reset_s` seconds, then one trial call decides whether it closes again."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Literal

State = Literal["closed", "open", "half_open"]


class CircuitBreaker:
    def __init__(
        self,
        failures: int,
        reset_s: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        on_change: Callable[[State], None] | None = None,
    ) -> None:
        self.failures = failures
        self.reset_s = reset_s
        self._clock = clock
        self._on_change = on_change
        self._lock = threading.Lock()
        self._count = 0
        self._opened_at: float | None = None
        self._trial = False

    @property
    def state(self) -> State:
        with self._lock:
            return self._state()

    def _state(self) -> State:
        if self._opened_at is None:
            return "closed"
        if self._clock() - self._opened_at < self.reset_s:
            return "open"
        return "half_open"

    def allow(self) -> bool:
        """Whether to call now; while half-open only one caller gets the trial."""
        with self._lock:
            state = self._state()
            if state == "closed":
                return True
            if state == "half_open" and not self._trial:
                self._trial = True
                return True
            return False

    def succeeded(self) -> None:
        with self._lock:
            changed = self._opened_at is not None
            self._count, self._opened_at, self._trial = 0, None, False
        if changed and self._on_change:
            self._on_change("closed")

    def failed(self) -> None:
        with self._lock:
            self._count += 1
            opened = self._trial or (self._opened_at is None and self._count >= self.failures)
            if opened:
                self._opened_at, self._trial = self._clock(), False
        if opened and self._on_change:
            self._on_change("open")
