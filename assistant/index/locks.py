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
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Literal

from assistant.settings import Settings

StoreUser = Literal["service", "ingest", "ask"]
# What the one who comes second is told, by what it was trying to do.
BUSY_MESSAGES: dict[StoreUser, str] = {
    "service": "another process is using the embedded store in {data_dir}",
    "ingest": "a fund-assistant service is using the embedded store in {data_dir}; re-ingest "
    "through it (POST /v1/ingest with a content token), stop it first, or run both against a "
    "Chroma server (FA_CHROMA_URL)",
    "ask": "a fund-assistant service is using the embedded store in {data_dir}; ask it over "
    "HTTP (POST /v1/chat)",
}


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


def embedded_store_lock(settings: Settings, user: StoreUser) -> AbstractContextManager[None]:
    """Hold the embedded store for `user`; nothing to hold with a Chroma server."""
    if settings.chroma_url:
        return nullcontext()
    message = BUSY_MESSAGES[user].format(data_dir=settings.data_dir)
    return exclusive_lock(store_lock_path(settings.data_dir), message)


def ingest_lock(settings: Settings) -> AbstractContextManager[None]:
    """One ingest at a time, from the CLI or through the service, whatever the store."""
    return exclusive_lock(ingest_lock_path(settings.data_dir), "another ingest is running")
