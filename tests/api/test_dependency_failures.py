"""Real failures of real dependencies: a SQLite database locked by another connection, a
`chroma run` server killed. The client's message is never lost and no response is a 500."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from assistant.components import build_components
from assistant.settings import Settings
from assistant.state.database import database_url, make_engine
from assistant.state.models import ChatMessage, Handoff
from tests.chroma import chroma_server
from tests.conftest import REPO


def _handoffs_of(components, session_id: str) -> list[Handoff]:  # type: ignore[no-untyped-def]
    with components.sessions() as db:
        return list(db.scalars(select(Handoff).where(Handoff.session_id == session_id)))


def test_a_locked_database_is_a_quick_503_and_the_message_reaches_an_agent_later(
    client: TestClient, components
) -> None:  # type: ignore[no-untyped-def]
    path = database_url(components.settings).removeprefix("sqlite:///")
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        refused = client.post("/v1/chat", json={"message": "我要投诉，我的手机是13812345678"})
        spooled = client.app.state.turns.spool.path.read_text(encoding="utf-8")  # type: ignore[attr-defined]
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert refused.status_code == 503 and int(refused.headers["retry-after"]) >= 1
    error = refused.json()["error"]
    assert error["code"] == "database_unavailable" and error["kept"] is True
    assert "13812345678" not in spooled and "我要投诉" in spooled  # masked text only

    client.app.state.turns.drain_spool()  # type: ignore[attr-defined]  (the thread would, too)
    history = client.get(f"/v1/sessions/{error['session_id']}/messages").json()
    assert [m["role"] for m in history] == ["client", "assistant"]
    assert "我要投诉" in history[0]["text"] and "13812345678" not in history[0]["text"]
    assert [h.status for h in _handoffs_of(components, error["session_id"])] == ["open"]


@pytest.fixture
def chroma_process(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    with chroma_server(tmp_path / "chroma") as (process, url):
        yield process, url


@pytest.mark.slow
def test_with_the_chroma_server_killed_turns_are_answered_from_the_live_snapshot_until_a_new_generation_cannot_be_read(
    chroma_process, tmp_path: Path, e5
) -> None:  # type: ignore[no-untyped-def]
    """Dense search runs on the worker's snapshot of the live generation, so the Chroma server
    being down changes nothing for a turn, until a newer generation is published that the
    worker cannot read: then every turn is stored and handed off, never answered from a
    generation that is no longer live."""
    from assistant.index.knowledge_index import KnowledgeIndex
    from assistant.state.models import IndexMeta
    from ingestion.pipeline import Ingestor

    process, url = chroma_process
    docs = tmp_path / "docs" / "products"
    docs.mkdir(parents=True)
    shutil.copy(REPO / "knowledge_docs/products/tongli_pure_bond.md", docs)
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", chroma_url=url)  # type: ignore[call-arg]
    Ingestor(settings, KnowledgeIndex(settings, make_engine(settings)), e5).run(docs.parent)
    components = build_components(settings, embedder=e5)
    components.retriever.refresh_interval_s = 0.0  # check the generation on every turn
    with TestClient(create_app(components=components)) as client:
        assert client.get("/readyz").status_code == 200
        process.kill()
        process.wait(timeout=30)
        served = client.post("/v1/chat", json={"message": "纯债C类赎回费怎么收"}).json()
        with components.sessions.begin() as db:  # an ingest published a new generation
            row = db.get(IndexMeta, "generation")
            row.value = str(int(row.value) + 1)
        reply = client.post("/v1/chat", json={"message": "纯债C类赎回费怎么收"})
        ready = client.get("/readyz")
        metrics = client.get("/metrics").text
    assert served["route"] == "answered" and served["citations"]
    assert reply.status_code == 200
    body = reply.json()
    assert body["route"] == "handoff" and body["handoff_id"] and body["answer"]
    assert [h.status for h in _handoffs_of(components, body["session_id"])] == ["open"]
    for session in (served["session_id"], body["session_id"]):
        with components.sessions() as db:
            texts = db.scalars(select(ChatMessage.text).where(ChatMessage.session_id == session))
            assert "纯债C类赎回费怎么收" in list(texts)
    assert ready.status_code == 503 and ready.json()["vector_store"]["ok"] is False
    assert 'fa_dependency_errors_total{dependency="vector_store"}' in metrics


def test_readyz_reports_each_dependency_and_metrics_count_turns(client: TestClient) -> None:
    client.post("/v1/chat", json={"message": "纯债C类赎回费怎么收"})
    ready = client.get("/readyz")
    assert ready.status_code == 200
    report = ready.json()
    assert report["database"]["ok"] and report["vector_store"]["ok"]
    assert report["llm"] == {"configured": False, "ok": True}
    metrics = client.get("/metrics")
    assert metrics.headers["content-type"].startswith("text/plain")
    assert "fa_turns_total{" in metrics.text and "fa_turn_seconds_bucket" in metrics.text
    assert "fa_handoffs_open" in metrics.text or 'fa_turns_total{reason="none"' in metrics.text
