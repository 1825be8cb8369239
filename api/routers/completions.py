"""OpenAI-compatible chat completions over the same pipeline, so existing chat clients and SDKs
can talk to fund-assistant. The last user message is the turn; earlier ones (if the client sends
no session id) seed follow-up resolution; the full Reply rides along as `fund_assistant`."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Literal

from fastapi import APIRouter, HTTPException
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from sse_starlette.sse import EventSourceResponse

from api.deps import ComponentsDep, PipelineDep
from api.routers.chat import STREAM_PIECE, check_length
from assistant.models import Reply, RiskLevel, TurnRequest

router = APIRouter(prefix="/v1", tags=["openai-compatible"])


class ChatMessageIn(BaseModel):
    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str | None = None


class CompletionRequest(BaseModel):
    model: str = "fund-assistant"
    messages: list[ChatMessageIn] = Field(min_length=1)
    stream: bool = False
    user: str | None = Field(None, max_length=64, description="Used as the session id if known.")
    session_id: str | None = Field(None, max_length=64)
    risk_level: RiskLevel | None = None


def _turn(body: CompletionRequest, max_chars: int) -> TurnRequest:
    users = [
        m.content for m in body.messages if m.role == "user" and m.content and m.content.strip()
    ]
    if not users:
        raise HTTPException(422, "messages must contain a non-empty user message")
    check_length(users[-1], max_chars)
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
    body: CompletionRequest, pipeline: PipelineDep, components: ComponentsDep
) -> dict[str, object] | EventSourceResponse:
    reply = await run_in_threadpool(
        pipeline.handle, _turn(body, components.settings.chat.max_message_chars)
    )
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
