from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from api.deps import ComponentsDep
from api.routers.handoffs import ClientHandoffOut
from assistant.analytics import UtcDatetime
from assistant.human_handoff import latest_status, request_human

router = APIRouter(prefix="/v1/sessions", tags=["sessions"])


class MessageOut(BaseModel):
    id: str
    role: str
    text: str
    route: str | None
    created_at: UtcDatetime


class HumanRequest(BaseModel):
    note: str | None = Field(
        None, max_length=2000, description="What the client adds, if anything."
    )


class HandoffStatusOut(BaseModel):
    handoff_id: str | None
    status: str | None = Field(description="open, claimed or resolved; null: never handed off.")
    resolution: str | None


@router.get("/{session_id}/messages", response_model=list[MessageOut])
async def session_messages(session_id: str, components: ComponentsDep) -> list[MessageOut]:
    """The session's messages, redacted, oldest first (agent replies included)."""
    rows = await run_in_threadpool(components.conversations.messages, session_id)
    return [MessageOut.model_validate(r, from_attributes=True) for r in rows]


@router.post("/{session_id}/handoff", response_model=ClientHandoffOut)
async def ask_for_person(
    session_id: str, components: ComponentsDep, body: HumanRequest | None = None
) -> ClientHandoffOut:
    """The client asks for a person (转人工): a hand-off with reason `human_requested` and a draft
    for the session's last question. While one is pending, pressing again returns it (409 when
    the session holds no question and no note)."""
    note = body.note if body else None
    row = await run_in_threadpool(request_human, components, session_id, note)
    return ClientHandoffOut.of(row)


@router.get("/{session_id}/handoff", response_model=HandoffStatusOut)
async def handoff_status(session_id: str, components: ComponentsDep) -> HandoffStatusOut:
    """Where the session's newest hand-off stands, for the chat page's status line."""
    status = await run_in_threadpool(latest_status, components, session_id)
    if status is None:
        return HandoffStatusOut(handoff_id=None, status=None, resolution=None)
    return HandoffStatusOut(
        handoff_id=status.handoff_id, status=status.status, resolution=status.resolution
    )
