"""Two agents acting on the same handoff at the same instant, through the real HTTP app, on
SQLite and on the real PostgreSQL server: exactly one claim is granted and exactly one reply
reaches the client's session. Threads are released together by a barrier."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from api.app import create_app
from api.deps import StaffIdentity, parse_api_keys
from assistant.review.verdicts import ReviewStore
from assistant.state.conversations import ConversationStore
from assistant.state.handoff_queue import HandoffQueue
from assistant.state.models import AuditRecord, ChatMessage, Handoff
from tests.state.conftest import race, seed_handoffs

RACES = 24
KEYS = "agent:alice:alice-token-0001,agent:bob:bob-token-000001,agent:shared-tail-0001"
ALICE = {"Authorization": "Bearer alice-token-0001"}
BOB = {"Authorization": "Bearer bob-token-000001"}


@pytest.fixture
def client(components, engine: Engine, sessions: sessionmaker[Session]) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    """The real app over the shared pipeline parts, its state in this test's database."""
    redactor = components.redactor
    settings = components.settings.model_copy(update={"api_keys": KEYS})
    ours = dataclasses.replace(
        components,
        settings=settings,
        engine=engine,
        sessions=sessions,
        conversations=ConversationStore(sessions, redactor),
        handoffs=HandoffQueue(sessions, redactor),
        reviews=ReviewStore(sessions, redactor),
    )
    with TestClient(create_app(components=ours), raise_server_exceptions=False) as test_client:
        yield test_client


def _agent_messages(sessions: sessionmaker[Session], session_id: str) -> list[str]:
    with sessions() as db:
        return list(
            db.scalars(
                select(ChatMessage.text).where(
                    ChatMessage.session_id == session_id, ChatMessage.role == "agent"
                )
            )
        )


def test_two_agents_claiming_at_once_get_one_claim(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    granted = []
    for handoff_id in seed_handoffs(sessions, RACES):
        url = f"/v1/handoffs/{handoff_id}/claim"
        alice, bob = race(
            lambda url=url: client.post(url, headers=ALICE),
            lambda url=url: client.post(url, headers=BOB),
        )
        assert sorted([alice.status_code, bob.status_code]) == [200, 409]
        winner, loser = (alice, bob) if alice.status_code == 200 else (bob, alice)
        holder = winner.json()["claimed_by"]
        assert holder in ("agent:alice", "agent:bob")
        assert f"claimed by {holder}" in loser.json()["error"]["message"]
        with sessions() as db:
            assert db.get(Handoff, handoff_id).claimed_by == holder  # type: ignore[union-attr]
        granted.append(holder)
    with sessions() as db:
        claims = db.scalars(select(AuditRecord).where(AuditRecord.kind == "handoff_claimed")).all()
    assert len(claims) == RACES  # one audit record per granted claim, none for a refused one
    assert sorted(c.actor for c in claims) == sorted(granted)


def test_two_agents_resolving_an_open_handoff_at_once_send_one_reply(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    outcomes = []
    for handoff_id in seed_handoffs(sessions, RACES):
        url = f"/v1/handoffs/{handoff_id}/resolve"
        alice, bob = race(
            lambda url=url: client.post(url, json={"action": "accept"}, headers=ALICE),
            lambda url=url: client.post(
                url, json={"action": "edit", "text": "您好，这是人工回复。"}, headers=BOB
            ),
        )
        assert sorted([alice.status_code, bob.status_code]) == [200, 409]
        winner = alice if alice.status_code == 200 else bob
        sent = _agent_messages(sessions, winner.json()["session_id"])
        assert sent == [winner.json()["sent_text"]]  # exactly one agent message in the session
        outcomes.append(winner.json()["resolved_by"])
    assert len(outcomes) == RACES


def test_a_claimed_handoff_is_resolved_only_by_its_holder(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    handoff_id = seed_handoffs(sessions, 1)[0]
    assert client.post(f"/v1/handoffs/{handoff_id}/claim", headers=ALICE).status_code == 200

    refused = client.post(
        f"/v1/handoffs/{handoff_id}/resolve", json={"action": "accept"}, headers=BOB
    )
    done = client.post(
        f"/v1/handoffs/{handoff_id}/resolve", json={"action": "accept"}, headers=ALICE
    )

    assert refused.status_code == 409
    assert refused.json()["error"]["message"] == (
        f"handoff {handoff_id} is claimed by agent:alice; only that agent can resolve it"
    )
    assert done.status_code == 200 and done.json()["resolved_by"] == "agent:alice"
    assert datetime.fromisoformat(done.json()["created_at"]).utcoffset() == timedelta(0)


def test_every_open_handoff_is_reachable_through_pages_over_http(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    ids = seed_handoffs(sessions, 230, priorities=(2, 1, 3))
    seen: list[dict[str, Any]] = []
    for offset in range(0, 250, 50):
        page = client.get(f"/v1/handoffs?status=open&limit=50&offset={offset}", headers=ALICE)
        assert page.status_code == 200 and page.headers["X-Total-Count"] == "230"
        seen += page.json()

    assert sorted(h["id"] for h in seen) == sorted(ids)
    priorities = [h["priority"] for h in seen]
    assert priorities == sorted(priorities, reverse=True)
    counts = client.get("/v1/handoffs/counts", headers=ALICE).json()
    assert counts == {"open": 230, "by_priority": {"3": 76, "2": 77, "1": 77}}
    assert client.get("/v1/handoffs?limit=0", headers=ALICE).status_code == 422
    assert client.get("/v1/handoffs?offset=-1", headers=ALICE).status_code == 422


def test_staff_names_come_with_their_keys_and_unnamed_keys_are_a_digest_of_the_whole_token() -> (
    None
):
    keys = parse_api_keys("agent:alice:token-aaaa-1234,agent:token-bbbb-1234,admin:xtoken-1234")

    assert keys["token-aaaa-1234"] == StaffIdentity("agent", "alice")
    unnamed = keys["token-bbbb-1234"]
    assert unnamed.name == "key-" + hashlib.sha256(b"token-bbbb-1234").hexdigest()[:12]
    assert keys["xtoken-1234"].name != unnamed.name  # same last characters, different people
    with pytest.raises(ValueError, match="bad entry"):
        parse_api_keys("agent:alice:short")
    with pytest.raises(ValueError, match="bad entry"):
        parse_api_keys("janitor:some-long-token")
