"""The FastAPI app. Heavy objects are built once in the lifespan; in embedded-store mode the
service holds the store lock for its whole life, so no other process writes under it."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, closing

from fastapi import FastAPI

from api import errors, middleware, turns
from api.deps import parse_api_keys
from api.routers import (
    analytics,
    chat,
    completions,
    console,
    feedback,
    handoffs,
    health,
    ingest,
    pages,
    review,
    sessions,
)
from api.web import install as install_web
from assistant.components import Components, build_components
from assistant.index.locks import embedded_store_lock
from assistant.pipeline import AssistantPipeline
from assistant.service.supervision import end_with_supervisor
from assistant.settings import Settings

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, components: Components | None = None) -> FastAPI:
    """`components` lets a test or benchmark share already-built parts with the app."""
    settings = settings or (components.settings if components else Settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        assert settings is not None
        if settings.supervisor_pid is not None:
            end_with_supervisor(settings.supervisor_pid)
        with embedded_store_lock(settings, "service"):
            built = components or build_components(settings)
            app.state.components = built
            app.state.pipeline = AssistantPipeline(built)
            app.state.api_keys = parse_api_keys(settings.api_keys)
            log.info(
                "serving %d chunks with %s", built.retriever.chunk_count, built.index.embedding_id
            )
            with closing(app.state.pipeline), turns.serving(app, app.state.pipeline):
                yield

    app = FastAPI(
        title="fund-assistant",
        version="0.1.0",
        description="Grounded, cited answers for fund clients, with handoff to human agents.",
        lifespan=lifespan,
    )
    errors.install(app)
    middleware.install(app, settings)
    for module in (
        chat,
        completions,
        sessions,
        feedback,
        handoffs,
        ingest,
        review,
        analytics,
        health,
    ):
        app.include_router(module.router)
    install_web(app, settings.web, [pages.router, console.router])
    return app
