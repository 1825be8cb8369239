"""The open hand-off's transcript refreshes alone: what the client writes after the hand-off
reaches the agent without a reload, and an unchanged transcript is not sent again (204)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.test_staff_auth import AGENT_TOKEN, a_handoff_id, client, sign_in

__all__ = ["client"]  # the fixture, shared with the sign-in tests


def count_of(html: str) -> int:
    match = re.search(r'data-count="(\d+)"', html)
    assert match, "the transcript carries no message count"
    return int(match.group(1))


def test_a_new_client_message_is_sent_and_an_unchanged_transcript_is_not(
    client: TestClient,
) -> None:
    handoff_id = a_handoff_id(client)
    sign_in(client, AGENT_TOKEN)
    url = f"/agent/handoffs/{handoff_id}/transcript"
    shown = client.get(url, params={"after": 0})
    assert shown.status_code == 200
    count = count_of(shown.text)
    assert count >= 2 and f"after={count}" in shown.text  # the next poll asks for what is new
    assert client.get(url, params={"after": count}).status_code == 204
    rows = client.get(
        "/v1/handoffs", params={"status": "all"}, headers={"Authorization": f"Bearer {AGENT_TOKEN}"}
    ).json()
    session = next(h["session_id"] for h in rows if h["id"] == handoff_id)
    client.post("/v1/chat", json={"message": "还有，我上周也赎回过一笔", "session_id": session})
    grown = client.get(url, params={"after": count})
    assert grown.status_code == 200 and count_of(grown.text) > count
    assert "上周也赎回过一笔" in grown.text


def test_the_transcript_needs_an_agent(client: TestClient) -> None:
    handoff_id = a_handoff_id(client)
    response = client.get(f"/agent/handoffs/{handoff_id}/transcript")
    assert response.status_code == 401
