"""Fixtures for review and analytics: the real app over the session's real components, with
its eval folder pointed at a tmp dir holding one small run, and a fresh empty database for the
analytics computations whose answers must be known exactly."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from api.app import create_app
from assistant.analytics import SERVICE_TZ
from assistant.settings import ReviewSettings, Settings
from assistant.state.database import make_engine, make_sessionmaker
from assistant.state.models import ChatMessage, ChatSession
from tests.conftest import API_KEYS
from tests.postgres import create_database

ADMIN = {"Authorization": "Bearer admin-token-0001"}
RUN_ID = "20250301T080000Z-abc123"
SAMPLES_PER_DAY = 2


def eval_case(suite: str, case_id: str, passed: bool, **groups: str) -> dict[str, Any]:
    return {
        "suite": suite,
        "id": case_id,
        "input": {"question": f"问题 {case_id}"},
        "output": {"route": groups.get("route", "answered"), "answer": "答案", "citations": []},
        "checks": {"route": passed},
        "passed": passed,
        "score": float(passed),
        "groups": groups,
    }


def write_run(directory: Path, run_id: str, started: str, cases: list[dict[str, Any]]) -> None:
    run = {
        "id": run_id,
        "started_at": started,
        "finished_at": started,
        "git_commit": None,
        "metrics": {"answers": {"fact_recall": 0.9}},
        "failed_thresholds": ["answers.fact_recall = 0.900 < 0.95"],
        "cases": cases,
    }
    (directory / f"{run_id}.json").write_text(json.dumps(run, ensure_ascii=False), "utf-8")


@pytest.fixture
def eval_dir(tmp_path: Path) -> Path:
    """Two runs, the newer with a mix of suites, verdicts and groups; plus an HTML report and a
    broken file, which the listing must skip."""
    directory = tmp_path / "runs"
    directory.mkdir()
    write_run(directory, "20250201T080000Z-old000", "2025-02-01T08:00:00+00:00", [])
    write_run(
        directory,
        RUN_ID,
        "2025-03-01T08:00:00+00:00",
        [
            eval_case("answers", "ans-001", True, intent="product", language="zh"),
            eval_case("answers", "ans-002", False, intent="product", language="en"),
            eval_case("routing", "rt-001", False, intent="complaint", route="handoff"),
            eval_case("routing", "rt-002", True, intent="transaction", route="answered"),
        ],
    )
    (directory / f"{RUN_ID}.html").write_text("<html></html>", "utf-8")
    (directory / "broken.json").write_text("{not json", "utf-8")
    return directory


@pytest.fixture
def client(components, eval_dir: Path) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    """The real app over the shared components, with this test's eval folder, a small daily
    sample and an admin token (the shared components are not modified)."""
    settings = components.settings.model_copy(
        update={
            "eval_dir": eval_dir,
            "review": ReviewSettings(samples_per_day=SAMPLES_PER_DAY),
            "api_keys": f"{API_KEYS},admin:admin-token-0001",
        }
    )
    app = create_app(components=dataclasses.replace(components, settings=settings))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Session]:
    """A fresh, empty state database for computations with known answers: real SQLite, and a
    database on the test run's real PostgreSQL server (time zones and ordering differ there)."""
    if request.param == "postgres":
        url = create_database(request.getfixturevalue("postgres_server"))
        settings = settings.model_copy(update={"database_url": url})
    engine = make_engine(settings)
    sessions: sessionmaker[Session] = make_sessionmaker(engine)
    with sessions() as session:
        yield session
    engine.dispose()


def beijing(day: date, hour: int = 12, minute: int = 0) -> datetime:
    """A Beijing wall-clock time as the UTC datetime the service stores."""
    return datetime.combine(day, time(hour, minute), SERVICE_TZ).astimezone(UTC)


def add_turn(
    db: Session,
    at: datetime,
    text: str = "纯债A类赎回费是多少",
    *,
    intent: str = "product",
    route: str = "answered",
    channel: str = "chat",
    standalone: str | None = None,
) -> ChatMessage:
    """A client question and the assistant's reply at `at`; returns the reply."""
    chat = ChatSession(channel=channel, created_at=at)
    db.add(chat)
    db.flush()
    db.add(
        ChatMessage(
            session_id=chat.id,
            role="client",
            text=text,
            standalone_query=standalone or text,
            intent=intent,
            created_at=at,
        )
    )
    reply = ChatMessage(
        session_id=chat.id, role="assistant", text="答复", route=route, intent=intent, created_at=at
    )
    db.add(reply)
    db.flush()
    return reply
