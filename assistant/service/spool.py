"""A bounded local spool for client messages that arrive while the state database is down.

Decision (issue 13): the client gets 503 with Retry-After, and its message, already masked, is
appended to `FA_DATA_DIR/spool/turns.jsonl`; when the database answers again the spool is
written to it as the client's message plus a hand-off to an agent (nobody answered it), in the
session the client named or in a new one whose id the 503 gave back. Only masked text is
written. The spool holds at most `spool_max_messages`; past that (or with 0) the message is
refused and the 503 says so. Workers on one machine share the file under an exclusive lock.
"""

from __future__ import annotations

import fcntl
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, Field


class SpooledTurn(BaseModel):
    spool_id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    session_id: str
    new_session: bool
    masked_text: str
    channel: str
    risk_level: str | None = None
    received_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


class TurnSpool:
    def __init__(self, directory: Path, max_messages: int) -> None:
        self.path = directory / "turns.jsonl"
        self.max_messages = max_messages
        self._lock_path = directory / "turns.lock"
        self._directory = directory

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self._directory.mkdir(parents=True, exist_ok=True)
        with open(self._lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _read(self) -> list[SpooledTurn]:
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return [SpooledTurn.model_validate_json(line) for line in lines if line.strip()]

    def _write(self, turns: list[SpooledTurn]) -> None:
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text("".join(t.model_dump_json() + "\n" for t in turns), encoding="utf-8")
        os.replace(temporary, self.path)

    def depth(self) -> int:
        if not self.path.exists():
            return 0
        with open(self.path, encoding="utf-8") as lines:
            return sum(1 for line in lines if line.strip())

    def put(self, turn: SpooledTurn) -> bool:
        """Keep the turn; False when the spool is full (the caller refuses the message)."""
        with self._locked():
            if self.depth() >= self.max_messages:
                return False
            with open(self.path, "a", encoding="utf-8") as out:
                out.write(turn.model_dump_json() + "\n")
                out.flush()
                os.fsync(out.fileno())
            return True

    def drain(self, deliver: Callable[[SpooledTurn], None]) -> int:
        """Hand each kept turn to `deliver`, oldest first; stop at the first failure and keep
        the rest. How many were delivered."""
        with self._locked():
            pending = self._read()
            delivered = 0
            try:
                for turn in pending:
                    deliver(turn)
                    delivered += 1
            finally:
                if delivered:
                    self._write(pending[delivered:])
            return delivered


def spooled_reply_payload(turn: SpooledTurn) -> dict[str, str]:
    return {"spool_id": turn.spool_id, "session_id": turn.session_id}


__all__ = ["SpooledTurn", "TurnSpool"]
