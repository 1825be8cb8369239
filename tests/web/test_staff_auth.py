"""Staff sign-in, the CSRF check and the role checks, through the real app (no browser)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.conftest import AGENT

AGENT_TOKEN = "agent-token-0001"
CONTENT_TOKEN = "content-token-001"


@pytest.fixture
def client(components) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(create_app(components=components), raise_server_exceptions=False) as c:
        yield c


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page carries no CSRF field"
    return match.group(1)


def sign_in(client: TestClient, token: str) -> str:
    """Sign in through the form; returns the session's CSRF token (from the console page)."""
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"token": token, "csrf_token": csrf_of(page.text), "next": "/agent"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    return csrf_of(client.get("/agent").text)


def a_handoff_id(client: TestClient) -> str:
    reply = client.post("/v1/chat", json={"message": "你们的APP赎回一直失败，我要投诉！"}).json()
    assert reply["route"] == "handoff"
    return str(reply["handoff_id"])


def test_sign_in_sets_a_signed_httponly_strict_expiring_cookie(client: TestClient) -> None:
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"token": AGENT_TOKEN, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/agent"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "max-age=" in cookie
    assert AGENT_TOKEN not in response.headers["set-cookie"]  # a digest, never the token
    console = client.get("/agent")
    assert console.status_code == 200 and 'data-testid="queue-count"' in console.text


def test_wrong_token_is_refused_and_sets_no_staff_session(client: TestClient) -> None:
    page = client.get("/login")
    response = client.post(
        "/login", data={"token": "not-a-token-at-all", "csrf_token": csrf_of(page.text)}
    )
    assert response.status_code == 401
    assert client.get("/agent/queue").status_code == 401


def test_sign_in_without_the_forms_csrf_token_is_refused(client: TestClient) -> None:
    client.get("/login")
    response = client.post("/login", data={"token": AGENT_TOKEN, "csrf_token": "forged"})
    assert response.status_code == 403


def test_console_without_sign_in_redirects_to_login(client: TestClient) -> None:
    response = client.get("/agent", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=/agent")
    assert client.get("/agent/queue").status_code == 401


def test_wrong_role_is_refused_on_the_page_and_its_fragments(client: TestClient) -> None:
    sign_in_page = client.get("/login")
    client.post("/login", data={"token": CONTENT_TOKEN, "csrf_token": csrf_of(sign_in_page.text)})
    page = client.get("/agent")
    assert page.status_code == 403 and 'data-testid="queue-item"' not in page.text
    assert client.get("/agent/queue").status_code == 403


def test_cookie_post_without_csrf_header_is_refused_with_it_accepted(client: TestClient) -> None:
    handoff_id = a_handoff_id(client)
    csrf = sign_in(client, AGENT_TOKEN)
    refused = client.post(f"/agent/handoffs/{handoff_id}/claim")
    assert refused.status_code == 403
    wrong = client.post(f"/agent/handoffs/{handoff_id}/claim", headers={"X-CSRF-Token": "x" * 32})
    assert wrong.status_code == 403
    claimed = client.post(f"/agent/handoffs/{handoff_id}/claim", headers={"X-CSRF-Token": csrf})
    assert claimed.status_code == 200 and 'data-testid="handoff-send-edit"' in claimed.text
    assert client.get(f"/v1/handoffs/{handoff_id}", headers=AGENT).json()["status"] == "claimed"


def test_json_api_accepts_the_cookie_and_still_the_bearer_token(client: TestClient) -> None:
    assert client.get("/v1/handoffs", headers=AGENT).status_code == 200
    assert client.get("/v1/handoffs").status_code == 401
    sign_in(client, AGENT_TOKEN)
    assert client.get("/v1/handoffs").status_code == 200


def test_sign_out_ends_the_session(client: TestClient) -> None:
    csrf = sign_in(client, AGENT_TOKEN)
    response = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/agent/queue").status_code == 401


def test_a_removed_key_ends_the_sessions_made_with_it(client: TestClient) -> None:
    sign_in(client, AGENT_TOKEN)
    assert client.get("/agent/queue").status_code == 200
    client.app.state.api_keys = {}  # type: ignore[attr-defined]
    assert client.get("/agent/queue").status_code == 401


def test_sign_in_never_redirects_off_the_site(client: TestClient) -> None:
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"token": AGENT_TOKEN, "csrf_token": csrf_of(page.text), "next": "//evil.example"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/agent"


def test_pages_carry_a_strict_csp_and_only_the_chat_may_be_framed(client: TestClient) -> None:
    chat = client.get("/chat")
    csp = chat.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'self'" in csp
    login = client.get("/login")
    assert "frame-ancestors 'none'" in login.headers["content-security-policy"]
    assert client.get("/", follow_redirects=False).headers["location"] == "/chat"
    assert 'lang="en"' in client.get("/chat?lang=en").text
    assert 'lang="zh-CN"' in chat.text
