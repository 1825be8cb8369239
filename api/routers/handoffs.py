"""The agents' queue (role agent). Claims and resolutions are decided in the library by atomic
compare-and-set, so two agents acting at once get one success and one 409."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from fastapi import APIRouter, HTTPException, Query, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from api.deps import AgentDep, ComponentsDep
from assistant.analytics import UtcDatetime
from assistant.state.models import Handoff

router = APIRouter(prefix="/v1/handoffs", tags=["handoffs"])


class ClientHandoffOut(BaseModel):
    """The hand-off as its client may see it: where it stands; no draft and no staff names."""

    id: str
    session_id: str
    status: str
    priority: int
    reasons: list[str]
    language: str
    resolution: str | None
    created_at: UtcDatetime
    claimed_at: UtcDatetime | None
    resolved_at: UtcDatetime | None

    @classmethod
    def of(cls, row: Handoff) -> Self:
        return cls.model_validate(row, from_attributes=True)


class HandoffOut(ClientHandoffOut):
    """The hand-off as an agent works it: the client's view plus the draft and who acted."""

    intent: str
    draft: str
    citations: list[dict[str, object]]
    sent_text: str | None
    claimed_by: str | None
    resolved_by: str | None


class HandoffCounts(BaseModel):
    open: int
    by_priority: dict[int, int]  # priority → open handoffs, highest priority first


class ResolveRequest(BaseModel):
    action: Literal["accept", "edit", "reject"]
    text: str | None = Field(None, max_length=4000, description="Masked before it is stored.")


@router.get("", response_model=list[HandoffOut])
async def list_handoffs(
    agent: AgentDep,
    components: ComponentsDep,
    response: Response,
    status: Literal["open", "claimed", "resolved", "all"] = Query("open"),
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> list[HandoffOut]:
    """One page of handoffs, highest priority and longest waiting first; the header
    `X-Total-Count` says how many match in all."""
    wanted = None if status == "all" else status
    queue = components.handoffs
    rows = await run_in_threadpool(queue.list, wanted, limit, offset)
    response.headers["X-Total-Count"] = str(await run_in_threadpool(queue.count, wanted))
    return [HandoffOut.of(r) for r in rows]


@router.get("/counts", response_model=HandoffCounts)
async def counts(agent: AgentDep, components: ComponentsDep) -> HandoffCounts:
    """Open handoffs by priority, for the queue's header and the supervisors' view."""
    by_priority = await run_in_threadpool(components.handoffs.open_by_priority)
    return HandoffCounts(open=sum(by_priority.values()), by_priority=by_priority)


@router.get("/{handoff_id}", response_model=HandoffOut)
async def get_handoff(handoff_id: str, agent: AgentDep, components: ComponentsDep) -> HandoffOut:
    return HandoffOut.of(await run_in_threadpool(components.handoffs.get, handoff_id))


@router.post("/{handoff_id}/claim", response_model=HandoffOut)
async def claim(handoff_id: str, agent: AgentDep, components: ComponentsDep) -> HandoffOut:
    """open → claimed by the caller; 409 naming the holder if another agent was first."""
    row = await run_in_threadpool(components.handoffs.claim, handoff_id, agent.actor)
    return HandoffOut.of(row)


@router.post("/{handoff_id}/resolve", response_model=HandoffOut)
async def resolve(
    handoff_id: str, body: ResolveRequest, agent: AgentDep, components: ComponentsDep
) -> HandoffOut:
    """Accept the draft, send an edited reply, or reject it; what is sent lands in the session.
    Needs the caller's claim, or an open handoff (then claimed and resolved in one step)."""
    if body.action == "edit" and not (body.text and body.text.strip()):
        raise HTTPException(422, "action edit needs the text to send")
    row = await run_in_threadpool(
        components.handoffs.resolve, handoff_id, agent.actor, body.action, body.text
    )
    return HandoffOut.of(row)
