"""`/v1/chat/stream` over a real uvicorn server (the TestClient would buffer the whole stream):
`ack` comes before the turn is done, then the checked answer, then the Reply; with the LLM
writer, nothing the LLM wrote reaches the client before, or instead of, what the gate let
through. The LLM is an OpenAI-compatible stub server (evals/llm_stub.py)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import httpx
import pytest

from evals.llm_stub import Behaviour, MisbehavingLlm
from evals.web_harness import live_server

pytestmark = pytest.mark.slow
QUESTION = "纯债C类赎回费怎么收"
BANNED_BY_THE_LLM = "本基金保证收益，稳赚不赔，年化收益10%。[1]"
HELD_S = 8.0  # how long the hanging stub holds a turn: its LLM deadline


def stored_messages(components: Any) -> int:
    from sqlalchemy import func, select

    from assistant.state.models import ChatMessage

    with components.sessions() as db:
        return int(db.scalar(select(func.count()).select_from(ChatMessage)) or 0)


def events(lines: Iterator[str]) -> Iterator[tuple[str, Any]]:
    """(event, data) pairs of a server-sent-event stream, as they arrive."""
    name, data = "message", ""
    for line in lines:
        if line.startswith("event:"):
            name = line.split(":", 1)[1].strip()
        elif line.startswith("data:"):
            data = line.split(":", 1)[1].strip()
        elif not line and data:
            yield name, json.loads(data)
            name, data = "message", ""


def stream(base: str, body: dict[str, Any]) -> Any:
    return httpx.stream("POST", f"{base}/v1/chat/stream", json=body, timeout=60)


@pytest.fixture
def llm_server(kb_settings, components) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """A live server whose answers an LLM stub writes; yields a function of the behaviour."""
    from assistant.writers.llm import LlmWriter

    opened: list[Any] = []

    def start(
        behaviour: Behaviour, content: str = "好的。", timeout_s: float = 60.0
    ) -> tuple[str, MisbehavingLlm]:
        stub = MisbehavingLlm(behaviour, content).__enter__()
        settings = kb_settings.model_copy(
            update={"llm_base_url": stub.url, "llm_model": "stub", "llm_timeout_s": timeout_s}
        )
        parts = replace(
            components, settings=settings, writer=LlmWriter(settings, components.prompts)
        )
        server = live_server(settings, parts)
        opened.extend([server, stub])
        return server.__enter__(), stub

    yield start
    for thing in reversed(opened):
        thing.__exit__(None, None, None)


def test_extractive_stream_is_ack_then_the_checked_answer_then_the_reply(
    kb_settings, components
) -> None:  # type: ignore[no-untyped-def]
    with live_server(kb_settings, components) as base, stream(base, {"message": QUESTION}) as r:
        assert r.status_code == 200
        seen = list(events(r.iter_lines()))
    names = [name for name, _ in seen]
    assert names[0] == "ack" and names[-1] == "reply"
    assert set(names[1:-1]) == {"delta"} and len(names) > 3
    reply = seen[-1][1]
    assert "".join(data["text"] for name, data in seen if name == "delta") == reply["answer"]
    assert reply["route"] == "answered" and reply["citations"]


def test_ack_arrives_while_the_llm_is_still_writing(llm_server, components) -> None:  # type: ignore[no-untyped-def]
    """The stub holds the LLM call until the turn's LLM deadline; the ack is read, and the
    turn seen unrecorded, while it holds."""
    base, stub = llm_server("hang", timeout_s=HELD_S)
    stored = stored_messages(components)
    with stream(base, {"message": QUESTION}) as r:
        arriving = events(r.iter_lines())
        assert next(arriving)[0] == "ack"
        for _ in range(200):  # the turn is under way: its LLM call is being held
            if stub.requests:
                break
            time.sleep(0.05)
        assert stub.requests, "the turn never asked the LLM"
        assert stored_messages(components) == stored, "the turn was over before the ack"
        rest = list(arriving)  # past the deadline the extractive writer answers
    assert [name for name, _ in rest][-1] == "reply"
    reply = rest[-1][1]
    assert "".join(d["text"] for n, d in rest if n == "delta") == reply["answer"]
    assert stored_messages(components) == stored + 2


def test_a_banned_claim_the_llm_writes_never_reaches_the_client(llm_server) -> None:  # type: ignore[no-untyped-def]
    base, stub = llm_server("ok", BANNED_BY_THE_LLM)
    with stream(base, {"message": QUESTION}) as r:
        seen = list(events(r.iter_lines()))
    assert stub.requests, "the LLM writer was not used"
    reply = seen[-1][1]
    shown = "".join(d["text"] for n, d in seen if n == "delta") + reply["answer"]
    assert reply["answer"]
    for claim in ("保证收益", "稳赚不赔", "年化收益10%"):
        assert claim not in shown


def test_a_failure_after_the_stream_opened_is_an_error_event_with_its_status(
    kb_settings, components
) -> None:  # type: ignore[no-untyped-def]
    body = {"message": QUESTION, "session_id": "no-such-session"}
    with live_server(kb_settings, components) as base, stream(base, body) as r:
        seen = list(events(r.iter_lines()))
    assert [name for name, _ in seen] == ["ack", "error"]
    assert seen[1][1]["status"] == 404 and seen[1][1]["error"]["code"] == "not_found"


def test_bad_input_is_refused_before_the_stream_opens(kb_settings, components) -> None:  # type: ignore[no-untyped-def]
    with live_server(kb_settings, components) as base:
        response = httpx.post(f"{base}/v1/chat/stream", json={"message": "  "})
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_request"
