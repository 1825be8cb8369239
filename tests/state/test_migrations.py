"""The schema comes from Alembic: the migrations build exactly the tables the models declare,
on SQLite and PostgreSQL, and a database made before migrations existed is adopted."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect, text

import assistant.state.review_models  # noqa: F401  (its table registers on the Base)
from assistant.settings import Settings
from assistant.state.base import Base
from assistant.state.database import database_url, make_engine
from assistant.state.migrations import upgrade_schema


def test_migrations_build_exactly_the_tables_the_models_declare(engine: Engine) -> None:
    """Fails when a model changes without a new revision in assistant/state/migrations."""
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert differences == []
    assert version == "0002"


def test_opening_again_is_idempotent(engine: Engine, state_settings: Settings) -> None:
    make_engine(state_settings).dispose()
    upgrade_schema(engine)
    assert "ix_handoffs_queue" in {i["name"] for i in inspect(engine).get_indexes("handoffs")}


def test_a_database_from_before_migrations_is_stamped_and_upgraded(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    legacy = create_engine(database_url(settings))
    with legacy.begin() as connection:  # what create_all made: the tables, no queue index
        Base.metadata.create_all(connection)
        connection.execute(text("DROP INDEX ix_handoffs_queue"))
        connection.execute(
            text(
                "INSERT INTO chat_sessions (id, channel, created_at) VALUES ('s1', 'chat', '2025-01-01')"
            )
        )
    legacy.dispose()

    engine = make_engine(settings)

    with engine.connect() as connection:
        assert (
            connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0002"
        )
        assert connection.execute(text("SELECT id FROM chat_sessions")).scalar() == "s1"
    assert "ix_handoffs_queue" in {i["name"] for i in inspect(engine).get_indexes("handoffs")}


def test_a_plain_postgresql_url_gets_the_installed_driver() -> None:
    settings = Settings(_env_file=None, database_url="postgresql://u:p@db:5432/fa")  # type: ignore[call-arg]
    assert database_url(settings) == "postgresql+psycopg://u:p@db:5432/fa"
    legacy_scheme = settings.model_copy(update={"database_url": "postgres://u@db/fa"})
    assert database_url(legacy_scheme) == "postgresql+psycopg://u@db/fa"


@pytest.mark.postgres
def test_concurrent_first_openings_on_postgresql_agree(postgres_server: str) -> None:
    """Several workers starting at once against an empty database: one migrates, the others
    wait on the advisory lock and find it done."""
    from concurrent.futures import ThreadPoolExecutor

    from tests.postgres import create_database

    settings = Settings(_env_file=None, database_url=create_database(postgres_server))  # type: ignore[call-arg]
    with ThreadPoolExecutor(4) as pool:
        engines = list(pool.map(lambda _: make_engine(settings), range(4)))
    with engines[0].connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    for engine in engines:
        engine.dispose()
