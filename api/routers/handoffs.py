"""The agents' queue (role agent)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from api.deps import AgentDep, ComponentsDep
from assistant.state.models import Handoff

router = APIRouter(prefix="/v1/handoffs", tags=["handoffs"])


class HandoffOut(BaseModel):
    id: str
    session_id: str
    status: str
    priority: int
    reasons: list[str]
    intent: str
    language: str
    draft: str
    citations: list[dict[str, object]]
    resolution: str | None
    sent_text: str | None
    claimed_by: str | None
    created_at: datetime
    claimed_at: datetime | None
    resolved_at: datetime | None

    @classmethod
    def of(cls, row: Handoff) -> HandoffOut:
        return cls.model_validate(row, from_attributes=True)


class ResolveRequest(BaseModel):
    action: Literal["accept", "edit", "reject"]
    text: str | None = Field(None, max_length=4000)


@router.get("", response_model=list[HandoffOut])
async def list_handoffs(
    agent: AgentDep,
    components: ComponentsDep,
    status: Literal["open", "claimed", "resolved", "all"] = Query("open"),
) -> list[HandoffOut]:
    """Handoffs, highest priority and longest waiting first."""
    rows = await run_in_threadpool(components.handoffs.list, None if status == "all" else status)
    return [HandoffOut.of(r) for r in rows]


@router.get("/{handoff_id}", response_model=HandoffOut)
async def get_handoff(handoff_id: str, agent: AgentDep, components: ComponentsDep) -> HandoffOut:
    return HandoffOut.of(await run_in_threadpool(components.handoffs.get, handoff_id))


@router.post("/{handoff_id}/claim", response_model=HandoffOut)
async def claim(handoff_id: str, agent: AgentDep, components: ComponentsDep) -> HandoffOut:
    return HandoffOut.of(await run_in_threadpool(components.handoffs.claim, handoff_id, agent))


@router.post("/{handoff_id}/resolve", response_model=HandoffOut)
async def resolve(
    handoff_id: str, body: ResolveRequest, agent: AgentDep, components: ComponentsDep
) -> HandoffOut:
    """Accept the draft, send an edited reply, or reject it; what is sent lands in the session."""
    if body.action == "edit" and not (body.text and body.text.strip()):
        raise HTTPException(422, "action edit needs the text to send")
    text = components.redactor.masked(body.text)
    row = await run_in_threadpool(components.handoffs.resolve, handoff_id, agent, body.action, text)
    return HandoffOut.of(row)
