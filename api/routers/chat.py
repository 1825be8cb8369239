"""Client chat: one turn, as JSON or as server-sent events."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel, Field, field_validator
from sse_starlette.sse import EventSourceResponse

from api.deps import ComponentsDep
from api.turns import admit, compute, run_turn
from assistant.models import Reply, RiskLevel, TurnRequest

router = APIRouter(prefix="/v1", tags=["chat"])
STREAM_PIECE = 12
SESSION_ID = r"^[A-Za-z0-9_-]{1,64}$"


def well_formed(value: str) -> str:
    """Text a client sent: a lone surrogate (valid JSON escape, invalid Unicode) or a NUL
    character (PostgreSQL cannot store it in text) is refused here rather than failing deep
    inside redaction or the database."""
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        raise ValueError("text contains an unpaired surrogate (invalid Unicode)")
    if "\x00" in value:
        raise ValueError("text contains a NUL character")
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
    """The same turn as server-sent events: `ack` at once (the message is in, a reply is being
    written), then `delta` pieces of the checked answer, then `reply` (the full Reply object).
    Bad input and the rate limit come back as JSON with their status before the stream opens;
    a failure once it is open (the session unknown, the database down) is an `error` event
    holding the status and the same error object.

    Nothing of the answer is sent before the gate has judged all of it: whether a turn is
    answered or handed off depends on the whole text (its support by the passages, its
    citations, the compliance rules), so an unchecked sentence could be one the gate withholds.
    The turn starts before the stream opens and finishes even if the client goes away, so the
    message is stored either way."""
    turn = to_turn(body, components.settings.chat.max_message_chars)
    await admit(request, turn)
    pending = asyncio.create_task(compute(request, turn))
    RUNNING.add(pending)
    pending.add_done_callback(_forget)
    return EventSourceResponse(_events(request, pending))


RUNNING: set[asyncio.Task[Reply]] = set()  # held so a turn whose client left is not collected


def _forget(task: asyncio.Task[Reply]) -> None:
    RUNNING.discard(task)
    if not task.cancelled():
        task.exception()  # retrieved: a turn whose client left does not warn at shutdown


async def _events(request: Request, pending: asyncio.Task[Reply]) -> AsyncIterator[dict[str, str]]:
    yield {"event": "ack", "data": "{}"}
    try:
        reply = await asyncio.shield(pending)
    except Exception as exc:
        handler = _handler_for(request, exc)
        if handler is None:
            raise
        response = await handler(request, exc)
        failure = {"status": response.status_code, **json.loads(bytes(response.body))}
        if "retry-after" in response.headers:
            failure["retry_after"] = response.headers["retry-after"]
        yield {"event": "error", "data": json.dumps(failure, ensure_ascii=False)}
        return
    for i in range(0, len(reply.answer), STREAM_PIECE):
        piece = {"text": reply.answer[i : i + STREAM_PIECE]}
        yield {"event": "delta", "data": json.dumps(piece, ensure_ascii=False)}
    yield {"event": "reply", "data": reply.model_dump_json(exclude={"explanation"})}


def _handler_for(request: Request, exc: Exception) -> Callable[..., Awaitable[Response]] | None:
    """The app's own exception handler for `exc` (api.errors): one mapping of errors to
    statuses and bodies, whether the error ends a request or an open stream."""
    handlers = request.app.exception_handlers
    for kind in type(exc).__mro__:
        if kind in handlers:
            return handlers[kind]  # type: ignore[no-any-return]
    return None
