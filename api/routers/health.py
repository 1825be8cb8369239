"""Liveness (cheap: the process answers), readiness (each dependency, bounded in time) and the
Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from api.deps import ComponentsDep
from assistant.service import metrics
from assistant.service.readiness import OpenHandoffs, readiness
from assistant.service.turns import TurnRunner

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz(components: ComponentsDep) -> dict[str, object]:
    """Liveness and what is being served; touches no dependency."""
    return {
        "status": "ok",
        "chunks": components.retriever.chunk_count,
        "embedding": components.index.embedding_id,
        "writer": components.writer.name,
    }


@router.get("/readyz", responses={503: {"description": "a dependency is down"}})
async def readyz(request: Request, components: ComponentsDep) -> JSONResponse:
    """Each dependency: the state database, the vector store, the LLM (its circuit) and the
    messages kept in the spool. 503 while the database or the vector store does not answer."""
    runner: TurnRunner = request.app.state.turns
    ready, report = await run_in_threadpool(readiness, components, runner.spool.depth())
    return JSONResponse(
        {"status": "ready" if ready else "unready", **report}, status_code=200 if ready else 503
    )


@router.get("/metrics", response_class=Response)
async def prometheus(components: ComponentsDep) -> Response:
    """Prometheus text format: turns by route and reason, turn latency, LLM calls, fallbacks and
    circuit, open hand-offs by priority, dependency errors, spooled messages, responses."""
    body, media_type = await run_in_threadpool(metrics.exposition, OpenHandoffs(components))
    return Response(body, media_type=media_type)
