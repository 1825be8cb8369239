"""A fresh state database per test, on SQLite and (marked `postgres`) on the real PostgreSQL
server of the test run; handoffs seeded straight into it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from assistant.settings import Settings
from assistant.state.database import make_engine, make_sessionmaker
from assistant.state.models import ChatMessage, ChatSession, Handoff, utcnow
from tests.postgres import create_database

ENGINES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=ENGINES)
def state_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    url = None
    if request.param == "postgres":
        url = create_database(request.getfixturevalue("postgres_server"))
    return Settings(  # type: ignore[call-arg]
        _env_file=None, data_dir=tmp_path / "data", database_url=url
    )


@pytest.fixture
def engine(state_settings: Settings) -> Iterator[Engine]:
    built = make_engine(state_settings)
    yield built
    built.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_sessionmaker(engine)


def seed_handoffs(
    sessions: sessionmaker[Session], count: int, *, priorities: tuple[int, ...] = (1,)
) -> list[str]:
    """`count` open handoffs, each in its own session, created one second apart (oldest
    first) with priorities taken in turn from `priorities`; their ids."""
    start = utcnow() - timedelta(hours=1)
    ids = []
    with sessions.begin() as db:
        for i in range(count):
            at = start + timedelta(seconds=i)
            chat = ChatSession(created_at=at)
            db.add(chat)
            db.flush()
            reply = ChatMessage(
                session_id=chat.id, role="assistant", text="请稍候", route="handoff", created_at=at
            )
            db.add(reply)
            db.flush()
            handoff = Handoff(
                session_id=chat.id,
                message_id=reply.id,
                priority=priorities[i % len(priorities)],
                reasons=["complaint"],
                intent="complaint",
                language="zh",
                draft=f"草稿 {i}",
                citations=[],
                created_at=at,
            )
            db.add(handoff)
            db.flush()
            ids.append(handoff.id)
    return ids


@pytest.fixture(scope="session")
def redactor():  # type: ignore[no-untyped-def]
    """The real redactor, built once: the stores mask with it."""
    from assistant.redaction import Redactor
    from assistant.settings import RedactionSettings

    return Redactor(RedactionSettings())


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released at the same instant; their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        results[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
