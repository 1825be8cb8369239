"""Turns per session and per address per minute, counted where every worker of the machine
sees them: a small SQLite file in FA_DATA_DIR (fixed one-minute windows).

Why not the state database: the limit protects this machine's CPU from one client, so counting
per machine is what it needs, and a counter write per turn would add load to the one database
every worker and machine shares. Behind a load balancer over M machines a client may therefore
get up to M times the rate; `FA_CHAT__RATE_PER_MINUTE` is per machine.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

WINDOW_S = 60
ADDRESS_FACTOR = 10


class RateLimiter:
    def __init__(self, path: Path, per_minute: int) -> None:
        self.per_minute = per_minute
        self.path = path
        self._local = threading.local()
        self._swept = 0

    def _db(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "db", None)
        if connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=2, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS hits (key TEXT, window INTEGER, n INTEGER, "
                "PRIMARY KEY (key, window))"
            )
            self._local.db = connection
        return connection

    def retry_after(self, session_id: str | None, address: str) -> int | None:
        """Count one turn; the seconds to wait if it is over a limit, None if it may go on."""
        if self.per_minute <= 0:
            return None
        now = time.time()
        window = int(now // WINDOW_S)
        limits = [(f"a:{address}", self.per_minute * ADDRESS_FACTOR)]
        if session_id:
            limits.append((f"s:{session_id}", self.per_minute))
        db = self._db()
        over = False
        for key, limit in limits:
            (count,) = db.execute(
                "INSERT INTO hits VALUES (?, ?, 1) ON CONFLICT (key, window) "
                "DO UPDATE SET n = n + 1 RETURNING n",
                (key, window),
            ).fetchone()
            over = over or count > limit
        if window != self._swept:
            self._swept = window
            db.execute("DELETE FROM hits WHERE window < ?", (window - 1,))
        return int((window + 1) * WINDOW_S - now) + 1 if over else None


def client_address(peer: str | None, forwarded_for: str | None, trusted: list[str]) -> str:
    """The client's address: the peer, unless the peer is a trusted proxy; then the last
    address in X-Forwarded-For that is not one of the trusted proxies."""
    address = peer or "unknown"
    if address not in trusted or not forwarded_for:
        return address
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        if hop not in trusted:
            return hop
    return address
