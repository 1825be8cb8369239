"""Engine and session factory of the state database, its schema brought to the latest Alembic
revision on opening.

SQLite gets WAL and a busy timeout so the service and the CLI can share it. A plain
`postgresql://` URL is given the psycopg (3) driver the project installs; SQLAlchemy would
otherwise look for psycopg2.
"""

from __future__ import annotations

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


def make_engine(settings: Settings) -> Engine:
    """The engine, with the schema created or migrated to the latest revision (idempotent)."""
    url = database_url(settings)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={
                "check_same_thread": False,
                "timeout": settings.database_busy_timeout_s,  # also SQLite's busy timeout
            },
        )
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    upgrade_schema(engine)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
