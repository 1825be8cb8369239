from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from api.deps import ComponentsDep

router = APIRouter(prefix="/v1/sessions", tags=["sessions"])


class MessageOut(BaseModel):
    id: str
    role: str
    text: str
    route: str | None
    created_at: datetime


@router.get("/{session_id}/messages", response_model=list[MessageOut])
async def session_messages(session_id: str, components: ComponentsDep) -> list[MessageOut]:
    """The session's messages, redacted, oldest first (agent replies included)."""
    rows = await run_in_threadpool(components.conversations.messages, session_id)
    return [MessageOut.model_validate(r, from_attributes=True) for r in rows]
