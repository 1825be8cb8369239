"""OpenAI-compatible chat completions over the same pipeline, so existing chat clients and SDKs
can talk to fund-assistant. The last user message is the turn; earlier ones (if the client sends
no session id) seed follow-up resolution; the full Reply rides along as `fund_assistant`."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Literal

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field, field_validator
from sse_starlette.sse import EventSourceResponse

from api.deps import ComponentsDep
from api.routers.chat import SESSION_ID, STREAM_PIECE, check_length, well_formed
from api.turns import run_turn
from assistant.models import Reply, RiskLevel, TurnRequest
from assistant.settings import ChatSettings

router = APIRouter(prefix="/v1", tags=["openai-compatible"])


class ChatMessageIn(BaseModel):
    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str | None = None

    @field_validator("content")
    @classmethod
    def valid_text(cls, value: str | None) -> str | None:
        return value if value is None else well_formed(value)


class CompletionRequest(BaseModel):
    model: str = "fund-assistant"
    messages: list[ChatMessageIn] = Field(min_length=1, max_length=200)
    stream: bool = False
    user: str | None = Field(None, max_length=64, description="Used as the session id if known.")
    session_id: str | None = Field(None, pattern=SESSION_ID)
    risk_level: RiskLevel | None = None


def _turn(body: CompletionRequest, limits: ChatSettings) -> TurnRequest:
    total = sum(len(m.content or "") for m in body.messages)
    if total > limits.max_total_chars:
        raise HTTPException(
            413, f"the messages are longer than {limits.max_total_chars} characters in all"
        )
    users = [
        m.content for m in body.messages if m.role == "user" and m.content and m.content.strip()
    ]
    if not users:
        raise HTTPException(422, "messages must contain a non-empty user message")
    check_length(users[-1], limits.max_message_chars)
    return TurnRequest(
        message=users[-1],
        session_id=body.session_id,
        risk_level=body.risk_level,
        channel="openai",
        history=users[-4:-1],
    )


def _completion(body: CompletionRequest, reply: Reply) -> dict[str, object]:
    return {
        "id": f"chatcmpl-{reply.message_id}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": reply.answer},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        "fund_assistant": reply.model_dump(mode="json", exclude={"explanation"}),
    }


@router.post("/chat/completions", response_model=None)
async def chat_completions(
    body: CompletionRequest, request: Request, components: ComponentsDep
) -> dict[str, object] | EventSourceResponse:
    """One turn, answered in the OpenAI shape. All messages together are bounded
    (`FA_CHAT__MAX_TOTAL_CHARS`, 413), the last user message as in /v1/chat."""
    reply = await run_turn(request, _turn(body, components.settings.chat))
    if not body.stream:
        return _completion(body, reply)
    chunk_id = f"chatcmpl-{uuid.uuid4().hex}"

    def chunk(delta: dict[str, str], finish: str | None = None) -> str:
        return json.dumps(
            {
                "id": chunk_id,
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": body.model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            },
            ensure_ascii=False,
        )

    async def events() -> AsyncIterator[dict[str, str]]:
        yield {"data": chunk({"role": "assistant", "content": ""})}
        for i in range(0, len(reply.answer), STREAM_PIECE):
            yield {"data": chunk({"content": reply.answer[i : i + STREAM_PIECE]})}
        yield {"data": chunk({}, "stop")}
        yield {"data": "[DONE]"}

    return EventSourceResponse(events())
