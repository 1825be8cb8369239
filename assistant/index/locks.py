"""File locks that keep the embedded Chroma store to one writing process.

Chroma's embedded store is not safe across processes (a second process's writes can leave the
first one's queries stale). So the service holds `data/store.lock` for its whole life, and the
CLI's `ingest` takes it for the run: whoever comes second is refused with a message saying what
to do instead. With FA_CHROMA_URL (a Chroma server) only ingests are serialised.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class StoreBusyError(RuntimeError):
    """Another process holds the lock."""


@contextmanager
def exclusive_lock(path: Path, busy_message: str) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise StoreBusyError(busy_message) from exc
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)  # closing releases the lock


def store_lock_path(data_dir: Path) -> Path:
    return Path(data_dir) / "store.lock"


def ingest_lock_path(data_dir: Path) -> Path:
    return Path(data_dir) / "ingest.lock"
