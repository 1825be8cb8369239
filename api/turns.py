"""How the chat routers run a turn: the rate limit first (429 with Retry-After), then the turn
on threads of its own (at most `FA_CHAT__TURN_THREADS` at once), so that turns waiting on an LLM
never take the threads that serve reads."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import anyio
from fastapi import FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool

from assistant.models import Reply, TurnRequest
from assistant.pipeline import AssistantPipeline
from assistant.service import metrics
from assistant.service.rate_limit import RateLimiter, client_address
from assistant.service.spool import TurnSpool
from assistant.service.turns import TurnRunner


@contextmanager
def serving(app: FastAPI, pipeline: AssistantPipeline) -> Iterator[None]:
    """For the app's life: the turn runner (its spool drained in the background) and the rate
    limiter, on `app.state`."""
    settings = pipeline.c.settings
    spool = TurnSpool(settings.data_dir / "spool", settings.spool_max_messages)
    app.state.rate_limiter = RateLimiter(
        settings.data_dir / "ratelimit.db", settings.chat.rate_per_minute
    )
    with TurnRunner(pipeline, spool).draining() as runner:
        app.state.turns = runner
        yield


async def run_turn(request: Request, turn: TurnRequest) -> Reply:
    await admit(request, turn)
    return await compute(request, turn)


async def admit(request: Request, turn: TurnRequest) -> None:
    """The rate limit: 429 with Retry-After past it (before a stream opens, so it is a status)."""
    state = request.app.state
    runner: TurnRunner = state.turns
    settings = runner.c.settings
    limiter: RateLimiter = state.rate_limiter
    address = client_address(
        request.client.host if request.client else None,
        request.headers.get("x-forwarded-for"),
        settings.trusted_proxies,
    )
    wait = await run_in_threadpool(limiter.retry_after, turn.session_id, address)
    if wait is not None:
        metrics.RATE_LIMITED.labels("turn").inc()
        raise HTTPException(
            429, "too many messages; please wait a moment", headers={"Retry-After": str(wait)}
        )


async def compute(request: Request, turn: TurnRequest) -> Reply:
    """The turn itself, on the turn threads."""
    state = request.app.state
    runner: TurnRunner = state.turns
    if getattr(state, "turn_threads", None) is None:
        state.turn_threads = anyio.CapacityLimiter(runner.c.settings.chat.turn_threads)
    return await anyio.to_thread.run_sync(runner.handle, turn, limiter=state.turn_threads)
