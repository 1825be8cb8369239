"""Schema migrations (Alembic), applied whenever a process opens the state database.

Decision: at start-up, not by a separate command. Every process that opens the database (the
service's workers, `ingest`, `ask`, `eval`) runs `upgrade head` first, serialised across
processes (a PostgreSQL advisory lock; a file lock beside a SQLite file), so a fresh database
and a new release both need no extra step. A database created before migrations existed (tables
but no `alembic_version`) is stamped with the initial revision, which matches it, and upgraded.

A change to the tables is a new revision in `versions/`: `alembic revision --autogenerate -m …`
from the repository root (`alembic.ini`), reviewed by hand. During a rolling restart old workers
run against the new schema, so a revision only adds (columns nullable or with defaults); a
column is dropped one release after the code stopped using it.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, inspect, text

MIGRATIONS_DIR = Path(__file__).resolve().parent
INITIAL_REVISION = "0001"
ADVISORY_LOCK_KEY = 7_401_913_013  # any constant: the key all fund-assistant processes share


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade_schema(engine: Engine) -> None:
    """Bring the schema to the latest revision; concurrent callers wait for each other."""
    with _file_lock(engine), engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # a migration (or waiting for another process's) may take longer than a request may
            connection.execute(text("SET LOCAL statement_timeout = 0"))
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY}
            )
        config = alembic_config(connection)
        tables = set(inspect(connection).get_table_names())
        if "alembic_version" not in tables and "chat_sessions" in tables:
            command.stamp(config, INITIAL_REVISION)
        command.upgrade(config, "head")


@contextmanager
def _file_lock(engine: Engine) -> Iterator[None]:
    """SQLite has no advisory locks: a lock file beside the database file instead."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    fd = os.open(f"{database}.migrate.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
