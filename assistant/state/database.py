"""Engine and session factory of the state database, its schema brought to the latest Alembic
revision on opening.

SQLite gets WAL and a busy timeout so the service and the CLI can share it. WAL maps its
`-shm` index into memory: a folder or `-shm` file it cannot write is refused here, at opening,
with a message naming it (`StateDatabaseUnusableError`), because past that point SQLite would
fail inside a memory access (SIGBUS, no Python error to catch).

A plain `postgresql://` URL is given the psycopg (3) driver the project installs; SQLAlchemy
would otherwise look for psycopg2. Its pool is bounded in size and in waiting
(`FA_DATABASE_POOL_SIZE`, `FA_DATABASE_POOL_TIMEOUT_S`, which also bounds connecting): an
exhausted pool or a server that does not answer raises `sqlalchemy.exc.TimeoutError` or
`OperationalError`, which the service answers with 503 and Retry-After, never a hang; so does
a statement the server does not finish within `FA_DATABASE_STATEMENT_TIMEOUT_S` (PostgreSQL
cancels it: `QueryCanceled`, an `OperationalError`).
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from assistant.settings import Settings
from assistant.state.migrations import upgrade_schema

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def database_url(settings: Settings) -> str:
    """FA_DATABASE_URL with its driver made explicit, or SQLite in FA_DATA_DIR."""
    if not settings.database_url:
        return f"sqlite:///{Path(settings.data_dir).resolve() / 'state.db'}"
    url = settings.database_url
    for scheme in POSTGRES_SCHEMES:
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url.removeprefix(scheme)
    return url


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql", "postgres:"))


class StateDatabaseUnusableError(RuntimeError):
    """The state database cannot be used at all (not a passing outage): the process must not
    start on it."""


def make_engine(settings: Settings) -> Engine:
    """The engine, with the schema created or migrated to the latest revision (idempotent)."""
    url = database_url(settings)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        check_sqlite_writable(path)
        engine = create_engine(
            url,
            pool_size=settings.database_pool_size,
            max_overflow=settings.database_pool_size,
            pool_timeout=settings.database_pool_timeout_s,
            connect_args={
                "check_same_thread": False,
                "timeout": settings.database_busy_timeout_s,  # also SQLite's busy timeout
            },
        )
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(
            url,
            pool_pre_ping=True,
            pool_size=settings.database_pool_size,
            max_overflow=settings.database_pool_size,
            pool_timeout=settings.database_pool_timeout_s,
            connect_args={
                # libpq's own connect timeout, in whole seconds (it treats 1 as 2)
                "connect_timeout": max(2, round(settings.database_pool_timeout_s)),
                # a statement the server does not finish is cancelled: 503, not a hung worker
                "options": f"-c statement_timeout={round(settings.database_statement_timeout_s * 1000)}",
            },
        )
    upgrade_schema(engine)
    return engine


def check_sqlite_writable(path: Path) -> None:
    """Raises `StateDatabaseUnusableError` unless the folder, the database and its WAL files
    (those that exist) can be opened for writing."""
    folder = path.parent
    problems = []
    if not os.access(folder, os.W_OK | os.X_OK):
        problems.append(f"the folder {folder} is not writable")
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if not file.exists() and not file.is_symlink():
            continue
        try:
            os.close(os.open(file, os.O_RDWR))
        except OSError as exc:
            problems.append(f"{file} cannot be opened for writing ({exc.strerror})")
    if problems:
        raise StateDatabaseUnusableError(
            "the SQLite state database cannot be used: "
            + "; ".join(problems)
            + ". Make them writable by this user, or set FA_DATA_DIR / FA_DATABASE_URL."
        )


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
