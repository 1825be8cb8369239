"""Limits and hostile input through the real HTTP app: every one a clear 4xx, never a 500;
security headers and a request id on every response."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from api.app import create_app

HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy", "x-request-id")


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/healthz"), ("GET", "/nowhere"), ("POST", "/v1/chat"), ("GET", "/metrics")],
)
def test_every_response_carries_the_security_headers(
    client: TestClient, method: str, path: str
) -> None:
    response = client.request(method, path, json={})
    assert all(h in response.headers for h in HEADERS)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in response.headers["content-security-policy"]


def test_a_lone_surrogate_is_a_422(client: TestClient) -> None:
    body = b'{"message": "\\ud800 \xe8\xb5\x8e\xe5\x9b\x9e"}'
    response = client.post("/v1/chat", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422 and "surrogate" in response.json()["error"]["message"]
    completion = b'{"messages": [{"role": "user", "content": "\\udfff"}]}'
    response = client.post(
        "/v1/chat/completions", content=completion, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422


def test_a_nul_character_is_a_422_not_a_database_error(client: TestClient) -> None:
    response = client.post("/v1/chat", json={"message": "赎回费\u0000怎么收"})
    assert response.status_code == 422 and "NUL" in response.json()["error"]["message"]


def test_a_non_ascii_bearer_token_is_a_401(client: TestClient) -> None:
    response = client.get(
        "/v1/handoffs", headers={"Authorization": "Bearer tökén-ünicode".encode()}
    )
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"


def test_a_body_over_the_limit_is_refused_while_read(client: TestClient) -> None:
    limit = client.app.state.components.settings.chat.max_body_bytes  # type: ignore[attr-defined]
    declared = client.post("/v1/chat", content=b"x" * (limit + 1))
    assert declared.status_code == 413 and declared.headers["connection"] == "close"

    def chunks() -> Iterator[bytes]:  # no content-length: counted as it arrives
        yield b'{"message": "'
        for _ in range(limit // 1000 + 2):
            yield "问".encode() * 334

    streamed = client.post(
        "/v1/chat", content=chunks(), headers={"content-type": "application/json"}
    )
    assert streamed.status_code == 413 and streamed.json()["error"]["code"] == "too_large"


def test_earlier_completion_messages_count_towards_the_limit(client: TestClient) -> None:
    earlier = [{"role": "user", "content": "字" * 1900} for _ in range(6)]
    body = {"messages": [*earlier, {"role": "user", "content": "纯债赎回几天到账"}]}
    response = client.post("/v1/chat/completions", json=body)
    assert response.status_code == 413 and "in all" in response.json()["error"]["message"]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_extreme_dates_on_staff_endpoints_are_4xx(client: TestClient, day: str) -> None:
    auth = {"Authorization": "Bearer compliance-token-01"}
    for path in (
        f"/v1/analytics/daily?from={day}",
        f"/v1/analytics/daily?to={day}",
        f"/v1/analytics/surges?date={day}",
        f"/v1/review/samples?date={day}",
    ):
        response = client.get(path, headers=auth)
        assert 400 <= response.status_code < 500, (path, response.status_code)


def test_rate_limit_per_session_is_a_429_with_retry_after(components) -> None:  # type: ignore[no-untyped-def]
    chat = components.settings.chat.model_copy(update={"rate_per_minute": 2})
    settings = components.settings.model_copy(update={"chat": chat})
    app = create_app(components=replace(components, settings=settings))
    with TestClient(app) as client:
        first = client.post("/v1/chat", json={"message": "你好"}).json()
        session = {"session_id": first["session_id"]}
        statuses = [
            client.post("/v1/chat", json={"message": "定投怎么开通", **session}).status_code
            for _ in range(2)
        ]
        assert statuses == [200, 200]
        refused = client.post("/v1/chat", json={"message": "定投怎么开通", **session})
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
        assert json.loads(refused.text)["error"]["code"] == "rate_limited"


def test_cors_allows_only_the_listed_origin(components) -> None:  # type: ignore[no-untyped-def]
    settings = components.settings.model_copy(update={"cors_origins": ["https://fund.example"]})
    with TestClient(create_app(components=replace(components, settings=settings))) as client:
        preflight = {"Access-Control-Request-Method": "POST"}
        allowed = client.options(
            "/v1/chat", headers={"Origin": "https://fund.example", **preflight}
        )
        other = client.options("/v1/chat", headers={"Origin": "https://evil.example", **preflight})
    assert allowed.headers["access-control-allow-origin"] == "https://fund.example"
    assert "access-control-allow-origin" not in other.headers
    assert "content-security-policy" in allowed.headers


def test_timestamps_carry_their_time_zone(client: TestClient) -> None:
    reply = client.post("/v1/chat", json={"message": "定投最少投多少钱"}).json()
    messages = client.get(f"/v1/sessions/{reply['session_id']}/messages").json()
    assert messages and all(m["created_at"].endswith(("Z", "+00:00")) for m in messages)
