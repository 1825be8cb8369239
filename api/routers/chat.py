"""Client chat: one turn, as JSON or as server-sent events."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field, field_validator
from sse_starlette.sse import EventSourceResponse

from api.deps import ComponentsDep
from api.turns import run_turn
from assistant.models import Reply, RiskLevel, TurnRequest

router = APIRouter(prefix="/v1", tags=["chat"])
STREAM_PIECE = 12
SESSION_ID = r"^[A-Za-z0-9_-]{1,64}$"


def well_formed(value: str) -> str:
    """Text a client sent: a lone surrogate (valid JSON escape, invalid Unicode) is refused
    here rather than failing deep inside redaction or the database."""
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        raise ValueError("text contains an unpaired surrogate (invalid Unicode)")
    return value


class ClientInfo(BaseModel):
    risk_level: RiskLevel | None = None


class ChatRequest(BaseModel):
    message: str = Field(description="What the client typed.")
    session_id: str | None = Field(None, pattern=SESSION_ID)
    client: ClientInfo | None = None

    @field_validator("message")
    @classmethod
    def not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("message is empty")
        return well_formed(value)


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
async def chat(body: ChatRequest, request: Request, components: ComponentsDep) -> Reply:
    """One chat turn: an answer with citations and disclosure, or a handoff with a holding message.
    429 with Retry-After past the rate limit; 503 with Retry-After while the database is down
    (the message kept, masked, when the spool has room: `error.kept`)."""
    turn = to_turn(body, components.settings.chat.max_message_chars)
    return await run_turn(request, turn)


@router.post("/chat/stream")
async def chat_stream(
    body: ChatRequest, request: Request, components: ComponentsDep
) -> EventSourceResponse:
    """The same turn as server-sent events: `delta` pieces of the answer, then `reply` (the full
    Reply object). Validation errors come back as JSON before the stream opens."""
    turn = to_turn(body, components.settings.chat.max_message_chars)
    reply = await run_turn(request, turn)

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
