"""The real HTTP app over the real pipeline."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from tests.conftest import AGENT, COMPLIANCE


def test_chat_returns_the_contract_reply(client: TestClient) -> None:
    response = client.post("/v1/chat", json={"message": "纯债C类赎回费怎么收"})
    assert response.status_code == 200
    reply = response.json()
    assert set(reply) == {
        "session_id",
        "message_id",
        "route",
        "answer",
        "draft",
        "handoff_id",
        "intent",
        "emotion",
        "confidence",
        "reasons",
        "citations",
        "disclaimer",
        "redactions",
        "language",
        "suggestions",
        "suitability_notice",
    }
    assert reply["route"] == "answered" and reply["citations"]
    history = client.get(f"/v1/sessions/{reply['session_id']}/messages").json()
    assert [m["role"] for m in history] == ["client", "assistant"]


def test_redactions_list_types_and_offsets_never_values(client: TestClient) -> None:
    message = "我的卡号6222020200112233445 邮箱zhang.san@qq.com 怎么换绑银行卡"
    reply = client.post("/v1/chat", json={"message": message}).json()
    assert "zhang.san@qq.com" not in json.dumps(reply, ensure_ascii=False)
    email = next(r for r in reply["redactions"] if r["entity_type"] == "EMAIL_ADDRESS")
    assert message[email["start"] : email["end"]] == "zhang.san@qq.com"
    assert set(email) == {"entity_type", "start", "end"}


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"message": ""}, 422),
        ({"message": "   "}, 422),
        ({"message": 123}, 422),
        ({}, 422),
        ({"message": "x" * 5000}, 413),
        ({"message": "你好", "client": {"risk_level": "C9"}}, 422),
        ({"message": "你好", "session_id": "no-such-session"}, 404),
    ],
)
def test_bad_chat_input_is_a_clear_4xx(client: TestClient, body: object, status: int) -> None:
    response = client.post("/v1/chat", json=body)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] and error["message"]


def test_malformed_json_is_a_4xx(client: TestClient) -> None:
    response = client.post(
        "/v1/chat", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422 and "error" in response.json()


def test_unknown_session_history_is_404(client: TestClient) -> None:
    assert client.get("/v1/sessions/nope/messages").status_code == 404


def test_stream_sends_deltas_then_the_reply(client: TestClient) -> None:
    with client.stream("POST", "/v1/chat/stream", json={"message": "定投最少投多少钱"}) as response:
        body = "".join(response.iter_text())
    assert response.status_code == 200
    assert "event: delta" in body and "event: reply" in body
    reply = json.loads(body.split("event: reply")[1].split("data: ", 1)[1].split("\r\n")[0])
    assert reply["route"] in ("answered", "handoff") and reply["answer"]


def test_feedback_is_stored_and_validated(client: TestClient) -> None:
    reply = client.post("/v1/chat", json={"message": "定投扣款失败会怎样"}).json()
    ok = client.post(
        "/v1/feedback",
        json={"message_id": reply["message_id"], "rating": 5, "comment": "很好 我电话13900001111"},
    )
    assert ok.status_code == 201
    assert (
        client.post(
            "/v1/feedback", json={"message_id": reply["message_id"], "rating": 9}
        ).status_code
        == 422
    )
    assert client.post("/v1/feedback", json={"message_id": "nope", "rating": 3}).status_code == 404


def test_whole_handoff_walk(client: TestClient) -> None:
    """Angry complaint → handoff with draft → the agent claims and accepts → the session holds it."""
    reply = client.post(
        "/v1/chat", json={"message": "你们太过分了！！赎回的钱到现在都没到账，我要投诉你们！"}
    ).json()
    assert reply["route"] == "handoff" and reply["handoff_id"] and reply["draft"]

    assert client.get("/v1/handoffs").status_code == 401
    assert (
        client.get("/v1/handoffs", headers={"Authorization": "Bearer wrong-token"}).status_code
        == 401
    )
    assert client.get("/v1/handoffs", headers=COMPLIANCE).status_code == 403

    queue = client.get("/v1/handoffs?status=open", headers=AGENT).json()
    ours = next(h for h in queue if h["id"] == reply["handoff_id"])
    assert ours["priority"] == 3 and "complaint" in ours["reasons"]
    assert queue[0]["priority"] >= queue[-1]["priority"]

    claimed = client.post(f"/v1/handoffs/{reply['handoff_id']}/claim", headers=AGENT)
    assert claimed.status_code == 200 and claimed.json()["status"] == "claimed"
    resolved = client.post(
        f"/v1/handoffs/{reply['handoff_id']}/resolve", headers=AGENT, json={"action": "accept"}
    )
    assert resolved.status_code == 200 and resolved.json()["resolution"] == "accepted"
    again = client.post(
        f"/v1/handoffs/{reply['handoff_id']}/resolve", headers=AGENT, json={"action": "accept"}
    )
    assert again.status_code == 409

    history = client.get(f"/v1/sessions/{reply['session_id']}/messages").json()
    assert history[-1]["role"] == "agent" and history[-1]["text"] == reply["draft"]


def test_edit_needs_text_and_unknown_handoff_is_404(client: TestClient) -> None:
    reply = client.post("/v1/chat", json={"message": "转人工"}).json()
    assert reply["route"] == "handoff"
    url = f"/v1/handoffs/{reply['handoff_id']}/resolve"
    assert client.post(url, headers=AGENT, json={"action": "edit"}).status_code == 422
    assert client.post(url, headers=AGENT, json={"action": "maybe"}).status_code == 422
    edited = client.post(
        url,
        headers=AGENT,
        json={"action": "edit", "text": "您好，我是客服小李，请问有什么可以帮您？"},
    )
    assert edited.status_code == 200 and edited.json()["resolution"] == "edited"
    assert client.post("/v1/handoffs/nope/claim", headers=AGENT).status_code == 404


def test_openai_compatible_completions_with_the_openai_sdk(client: TestClient) -> None:
    import openai

    sdk = openai.OpenAI(base_url="http://testserver/v1", api_key="unused", http_client=client)
    completion = sdk.chat.completions.create(
        model="fund-assistant",
        messages=[{"role": "user", "content": "纯债A类赎回费怎么算"}],
    )
    assert completion.choices[0].message.content
    assert completion.model_extra and completion.model_extra["fund_assistant"]["route"] in (
        "answered",
        "handoff",
    )

    stream = sdk.chat.completions.create(
        model="fund-assistant",
        messages=[{"role": "user", "content": "定投最低多少钱"}],
        stream=True,
    )
    text = "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)
    assert text


def test_healthz(client: TestClient) -> None:
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["chunks"] > 0 and health["writer"] == "extractive"


def test_unknown_path_and_method_use_the_error_shape(client: TestClient) -> None:
    missing = client.get("/v1/nope")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    wrong = client.get("/v1/chat")
    assert wrong.status_code == 405 and wrong.json()["error"]["code"] == "method_not_allowed"
