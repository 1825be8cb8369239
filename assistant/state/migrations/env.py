"""Alembic environment. In the service the connection comes from `upgrade_schema`; from the
`alembic` command line (revisions, autogenerate) the engine is built from the settings."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import assistant.state.models
import assistant.state.review_models  # noqa: F401  (tables register on the Base)
from assistant.state.base import Base


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters by copying a table
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


given = context.config.attributes.get("connection")
if given is not None:
    run(given)
else:
    from sqlalchemy import create_engine

    from assistant.settings import Settings
    from assistant.state.database import database_url

    with create_engine(database_url(Settings())).begin() as connection:
        run(connection)
