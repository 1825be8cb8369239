"""Client chat: one turn, as JSON or as server-sent events."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from fastapi import APIRouter, HTTPException
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field, field_validator
from sse_starlette.sse import EventSourceResponse

from api.deps import ComponentsDep, PipelineDep
from assistant.models import Reply, RiskLevel, TurnRequest

router = APIRouter(prefix="/v1", tags=["chat"])
STREAM_PIECE = 12


class ClientInfo(BaseModel):
    risk_level: RiskLevel | None = None


class ChatRequest(BaseModel):
    message: str = Field(description="What the client typed.")
    session_id: str | None = Field(None, max_length=64)
    client: ClientInfo | None = None

    @field_validator("message")
    @classmethod
    def not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("message is empty")
        return value


def check_length(message: str, max_chars: int) -> None:
    """The configured limit on one client message (413 past it), for every chat endpoint."""
    if len(message) > max_chars:
        raise HTTPException(413, f"message is longer than {max_chars} characters")


def to_turn(body: ChatRequest, max_chars: int, channel: str = "chat") -> TurnRequest:
    check_length(body.message, max_chars)
    return TurnRequest(
        message=body.message,
        session_id=body.session_id,
        risk_level=body.client.risk_level if body.client else None,
        channel=channel,
    )


@router.post("/chat", response_model=Reply, response_model_exclude={"explanation"})
async def chat(body: ChatRequest, pipeline: PipelineDep, components: ComponentsDep) -> Reply:
    """One chat turn: an answer with citations and disclosure, or a handoff with a holding message."""
    turn = to_turn(body, components.settings.chat.max_message_chars)
    return await run_in_threadpool(pipeline.handle, turn)


@router.post("/chat/stream")
async def chat_stream(
    body: ChatRequest, pipeline: PipelineDep, components: ComponentsDep
) -> EventSourceResponse:
    """The same turn as server-sent events: `delta` pieces of the answer, then `reply` (the full
    Reply object). Validation errors come back as JSON before the stream opens."""
    turn = to_turn(body, components.settings.chat.max_message_chars)
    reply = await run_in_threadpool(pipeline.handle, turn)

    async def events() -> AsyncIterator[dict[str, str]]:
        for i in range(0, len(reply.answer), STREAM_PIECE):
            yield {
                "event": "delta",
                "data": json.dumps(
                    {"text": reply.answer[i : i + STREAM_PIECE]}, ensure_ascii=False
                ),
            }
        yield {"event": "reply", "data": reply.model_dump_json(exclude={"explanation"})}

    return EventSourceResponse(events())
