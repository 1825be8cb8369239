"""The agent console (role agent): the page, and the htmx fragments it loads. Every route checks
the role on the server through the same `require_role` as the JSON API; every state change goes
through the same queue (`HandoffQueue`) and the same compliance rules."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import AgentDep, ComponentsDep, StaffIdentity, require_role
from api.web import auth
from api.web.render import page_language, render, waited_seconds, wording
from assistant.agent_reply_check import AgentReplyCheck, check_agent_reply
from assistant.components import Components
from assistant.handoff_context import handoff_context, handoff_transcript
from assistant.state.conversations import ConflictError
from assistant.state.models import Handoff

router = APIRouter(prefix="/agent", include_in_schema=False)
agent_only = require_role("agent")
LATE_AFTER_S = 30  # the hand-off target: a client waiting longer is shown in the late colour

TextField = Annotated[str, Form(max_length=4000)]


def _base(request: Request, components: Components, agent: StaffIdentity) -> dict[str, Any]:
    language = page_language(request)
    return {"lang": language, "t": wording(components.prompts, language), "me": agent.actor}


@router.get("", response_class=HTMLResponse, response_model=None)
async def console(request: Request, components: ComponentsDep) -> HTMLResponse | RedirectResponse:
    """The console; without a sign-in it sends the browser to /login, a wrong role gets 403."""
    language = page_language(request)
    try:
        agent = agent_only(request)
    except HTTPException as exc:
        suffix = "&lang=en" if language == "en" else ""
        if exc.status_code == 401:
            return RedirectResponse(f"/login?next=/agent&notice=expired{suffix}", status_code=303)
        t = wording(components.prompts, language)
        refused = {"lang": language, "t": t, "csrf": auth.csrf_token(request)}
        return render(request, "forbidden.html", refused, status_code=exc.status_code)
    context = _base(request, components, agent) | await _queue(components, agent)
    context |= {
        "csrf": auth.csrf_token(request),
        "poll_ms": components.settings.web.poll_interval_ms,
    }
    return render(request, "agent.html", context)


@router.get("/queue", response_class=HTMLResponse)
async def queue(request: Request, agent: AgentDep, components: ComponentsDep) -> HTMLResponse:
    context = _base(request, components, agent) | await _queue(components, agent)
    return render(request, "_queue.html", context)


@router.get("/handoffs/{handoff_id}", response_class=HTMLResponse)
async def handoff(
    request: Request, handoff_id: str, agent: AgentDep, components: ComponentsDep
) -> HTMLResponse:
    return await _detail(request, components, agent, handoff_id)


@router.get("/handoffs/{handoff_id}/transcript", response_class=HTMLResponse, response_model=None)
async def transcript(
    request: Request,
    handoff_id: str,
    agent: AgentDep,
    components: ComponentsDep,
    after: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse | Response:
    """The open hand-off's transcript alone, so what the client writes while an agent reads
    shows without a reload and without touching the draft being edited. 204 while there is
    nothing beyond the `after` messages the page shows: nothing is swapped or re-read aloud."""
    row, messages = await run_in_threadpool(handoff_transcript, components, handoff_id)
    if len(messages) <= after:
        return Response(status_code=204)
    context = _base(request, components, agent) | {
        "h": row,
        "messages": messages,
        "poll_ms": components.settings.web.poll_interval_ms,
    }
    return render(request, "_transcript.html", context)


@router.post("/handoffs/{handoff_id}/claim", response_class=HTMLResponse)
async def claim(
    request: Request, handoff_id: str, agent: AgentDep, components: ComponentsDep
) -> HTMLResponse:
    try:
        await run_in_threadpool(components.handoffs.claim, handoff_id, agent.actor)
    except ConflictError:
        return await _detail(request, components, agent, handoff_id, problem="taken_by_other")
    return await _detail(request, components, agent, handoff_id)


@router.post("/check", response_class=HTMLResponse)
async def check(
    request: Request,
    agent: AgentDep,
    components: ComponentsDep,
    handoff_id: Annotated[str, Form(max_length=64)],
    text: TextField,
) -> HTMLResponse:
    """The compliance rules on the text as it is being edited. One URL for every hand-off (the
    id is a form field) so that the console listens on its stable `#detail` panel: a draft
    re-rendered after a refused send is checked from its first edit, bound or not yet."""
    row = await run_in_threadpool(components.handoffs.get, handoff_id)
    context = _base(request, components, agent) | {"check": _check(components, row, text)}
    return render(request, "_check.html", context)


@router.post("/handoffs/{handoff_id}/resolve", response_class=HTMLResponse)
async def resolve(
    request: Request,
    handoff_id: str,
    agent: AgentDep,
    components: ComponentsDep,
    action: Annotated[str, Form(pattern="^(accept|edit|reject)$")],
    text: TextField = "",
) -> HTMLResponse:
    """Accept the draft, send the edit, or reject: an edit the rules would stop is not sent."""
    row = await run_in_threadpool(components.handoffs.get, handoff_id)
    if action == "edit":
        verdict = _check(components, row, text)
        if not text.strip() or not verdict.ok:
            return await _detail(
                request,
                components,
                agent,
                handoff_id,
                problem="refused",
                draft=text,
                verdict=verdict,
            )
    sent = text if action == "edit" else None  # the queue masks it before storing or sending
    try:
        await run_in_threadpool(components.handoffs.resolve, handoff_id, agent.actor, action, sent)  # type: ignore[arg-type]
    except ConflictError:
        return await _detail(request, components, agent, handoff_id, problem="taken_by_other")
    return await _detail(request, components, agent, handoff_id)


async def _queue(components: Components, agent: StaffIdentity) -> dict[str, Any]:
    def read() -> list[Handoff]:
        rows = components.handoffs.list("open") + components.handoffs.list("claimed")
        return sorted(rows, key=lambda r: (-r.priority, r.created_at))

    rows = await run_in_threadpool(read)
    items = [
        {"row": r, "waited": waited_seconds(r.created_at), "mine": r.claimed_by == agent.actor}
        for r in rows
    ]
    return {
        "items": items,
        "open_count": sum(1 for r in rows if r.status == "open"),
        "late_after": LATE_AFTER_S,
    }


async def _detail(
    request: Request,
    components: Components,
    agent: StaffIdentity,
    handoff_id: str,
    *,
    problem: str | None = None,
    draft: str | None = None,
    verdict: AgentReplyCheck | None = None,
) -> HTMLResponse:
    seen = await run_in_threadpool(handoff_context, components, handoff_id)
    row = seen.handoff
    text = row.draft if draft is None else draft
    context = _base(request, components, agent) | {
        "h": row,
        "ctx": seen,
        "draft": text,
        "mine": row.status == "claimed" and row.claimed_by == agent.actor,
        "problem": problem,
        "check": verdict or _check(components, row, text),
        "waited": waited_seconds(row.created_at),
        "poll_ms": components.settings.web.poll_interval_ms,
    }
    return render(request, "_handoff.html", context)


def _check(components: Components, row: Handoff, text: str) -> AgentReplyCheck:
    return check_agent_reply(
        components.compliance,
        text,
        language=row.language,
        intent=row.intent,
        catalog=components.retriever.catalog,
    )
