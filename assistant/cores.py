"""The process's cores, and when a turn may borrow an idle one.

A turn is mostly e5 readers run by onnxruntime (a query's vector, the emotion reader, the pair
reader's three candidates), each on one thread, so on a quiet server a client waits while a
core stands idle. A reader run on two threads gives the same numbers (onnxruntime splits each
matrix product by its outputs: bit-identical here) in a little over half the time. But a second
thread is only worth having on an idle core: on two cores shared with other turns, a spinning
second thread made a query 4x slower at p50 and 30x at p95 (measured under load, session 8).

So work that occupies a core says so (`occupied`: a turn, its second reading run aside, an
ingest thread), and a run takes a second thread only while fewer cores are occupied than the
machine has (`borrowed`), giving it back when the run ends. With two turns at once on two cores
nothing is borrowed and every run is single-threaded, as before.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager


def _machine_cores() -> int:
    """The cores this process may run on (its affinity, which containers narrow)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class CoreBudget:
    """How many of `cores` are occupied, by turns and by what they borrowed."""

    def __init__(self, cores: int) -> None:
        self.cores = cores
        self._occupied = 0
        self._lock = threading.Lock()

    @property
    def in_use(self) -> int:
        """Cores occupied or lent now."""
        return self._occupied

    @contextmanager
    def occupied(self) -> Iterator[None]:
        """Work that runs whether or not a core is free: it counts against what may be
        borrowed while it runs."""
        with self._lock:
            self._occupied += 1
        try:
            yield
        finally:
            with self._lock:
                self._occupied -= 1

    @contextmanager
    def borrowed(self) -> Iterator[bool]:
        """An idle core for the duration, if there is one (True); never waits for one."""
        with self._lock:
            taken = self._occupied < self.cores
            self._occupied += taken
        try:
            yield taken
        finally:
            with self._lock:
                self._occupied -= taken


# One budget a process: every reader and every turn of it share the same cores.
CORES = CoreBudget(_machine_cores())
