"""The 转人工 endpoint and the compliance check on an agent's edit (library and HTTP)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.agent_reply_check import check_agent_reply
from tests.conftest import AGENT


@pytest.fixture
def client(components) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(create_app(components=components), raise_server_exceptions=False) as c:
        yield c


def test_asking_for_a_person_hands_off_the_last_question_with_a_draft(client: TestClient) -> None:
    reply = client.post("/v1/chat", json={"message": "同利纯债基金的赎回费率是多少？"}).json()
    session = reply["session_id"]
    assert client.get(f"/v1/sessions/{session}/handoff").json()["status"] is None

    response = client.post(f"/v1/sessions/{session}/handoff", json={"note": None})
    assert response.status_code == 200
    handoff = response.json()
    assert handoff["reasons"] == ["human_requested"] and handoff["status"] == "open"
    assert "draft" not in handoff and "claimed_by" not in handoff  # the client sees no draft

    staff_view = client.get(f"/v1/handoffs/{handoff['id']}", headers=AGENT).json()
    assert staff_view["draft"].strip() and staff_view["session_id"] == session
    assert staff_view["citations"], "the draft quotes the passages an answer would"
    messages = client.get(f"/v1/sessions/{session}/messages").json()
    assert messages[-1]["role"] == "assistant" and messages[-1]["route"] == "handoff"
    assert client.get(f"/v1/sessions/{session}/handoff").json()["status"] == "open"


def test_pressing_twice_returns_the_pending_handoff(client: TestClient) -> None:
    session = client.post("/v1/chat", json={"message": "怎么修改绑定的银行卡？"}).json()[
        "session_id"
    ]
    first = client.post(f"/v1/sessions/{session}/handoff", json={}).json()
    second = client.post(f"/v1/sessions/{session}/handoff", json={"note": "请快点"}).json()
    assert first["id"] == second["id"]
    assert [h["id"] for h in client.get("/v1/handoffs", headers=AGENT).json()].count(
        first["id"]
    ) == 1


def test_a_note_is_masked_and_kept_as_a_client_message(client: TestClient) -> None:
    session = client.post("/v1/chat", json={"message": "如何开户？"}).json()["session_id"]
    client.post(f"/v1/sessions/{session}/handoff", json={"note": "我的手机号是13812345678"})
    texts = [m["text"] for m in client.get(f"/v1/sessions/{session}/messages").json()]
    assert not any("13812345678" in t for t in texts)
    assert any("我的手机号是" in t for t in texts)


def test_a_crisis_in_the_note_puts_the_client_at_the_head_of_the_queue(client: TestClient) -> None:
    session = client.post("/v1/chat", json={"message": "赎回多久到账？"}).json()["session_id"]
    response = client.post(f"/v1/sessions/{session}/handoff", json={"note": "钱没了我不想活了"})
    handoff = response.json()
    assert handoff["reasons"] == ["crisis", "human_requested"]
    staff_view = client.get(f"/v1/handoffs/{handoff['id']}", headers=AGENT).json()
    assert staff_view["priority"] == 4 and not staff_view["citations"]
    assert "安全" in staff_view["draft"] and "基金有风险" not in staff_view["draft"]
    holding = client.get(f"/v1/sessions/{session}/messages").json()[-1]["text"]
    assert "12356" in holding  # the sample company's crisis lines


def test_unknown_session_is_404_and_bad_note_is_422(client: TestClient) -> None:
    assert client.post("/v1/sessions/nope/handoff", json={}).status_code == 404
    assert client.get("/v1/sessions/nope/handoff").status_code == 404
    session = client.post("/v1/chat", json={"message": "如何开户？"}).json()["session_id"]
    long_note = {"note": "长" * 2001}
    assert client.post(f"/v1/sessions/{session}/handoff", json=long_note).status_code == 422


def test_agent_edit_check_flags_a_banned_claim_and_a_missing_disclosure(components) -> None:  # type: ignore[no-untyped-def]
    rules = components.compliance
    banned = check_agent_reply(rules, "这只基金保证收益，放心买。", language="zh", intent="product")
    assert banned.banned and not banned.ok
    missing = check_agent_reply(rules, "申购费率为0.8%。", language="zh", intent="product")
    assert missing.missing_disclosure and "基金有风险" in missing.missing_disclosure
    fine = check_agent_reply(
        rules, "申购费率为0.8%。基金有风险，投资需谨慎。", language="zh", intent="product"
    )
    assert fine.ok
    service = check_agent_reply(rules, "您好，已为您重置密码。", language="zh", intent="account")
    assert service.ok, "a service reply needs no disclosure"
