"""Dependencies: the objects built in the lifespan, and role checks for staff endpoints."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session, sessionmaker

from assistant.components import Components
from assistant.pipeline import AssistantPipeline

ROLES = ("agent", "compliance", "content", "admin")
T = TypeVar("T")


def components(request: Request) -> Components:
    return request.app.state.components  # type: ignore[no-any-return]


def pipeline(request: Request) -> AssistantPipeline:
    return request.app.state.pipeline  # type: ignore[no-any-return]


def sessions(request: Request) -> sessionmaker[Session]:
    """The state database's one session factory, built with the components."""
    return components(request).sessions


ComponentsDep = Annotated[Components, Depends(components)]
PipelineDep = Annotated[AssistantPipeline, Depends(pipeline)]
SessionsDep = Annotated[sessionmaker[Session], Depends(sessions)]


async def in_session(factory: sessionmaker[Session], compute: Callable[[Session], T]) -> T:
    """Run a read over one database session in the thread pool: the ORM blocks, the loop may not."""

    def run() -> T:
        with factory() as db:
            return compute(db)

    return await run_in_threadpool(run)


def parse_api_keys(value: str | None) -> dict[str, str]:
    """`role:token,role:token` → {token: role}. Unknown roles are refused at start-up."""
    keys: dict[str, str] = {}
    for pair in (value or "").split(","):
        if not pair.strip():
            continue
        role, _, token = pair.strip().partition(":")
        if role not in ROLES or len(token) < 8:
            raise ValueError(
                f"FA_API_KEYS: bad entry for role {role!r} (roles {ROLES}, token ≥ 8 chars)"
            )
        keys[token] = role
    return keys


def require_role(*allowed: str) -> Callable[[Request], str]:
    """A dependency returning the caller's name (`role:…token-tail`) if its role is allowed."""

    def check(request: Request) -> str:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise HTTPException(401, "a bearer token is required")
        keys: dict[str, str] = request.app.state.api_keys
        role = next((r for t, r in keys.items() if secrets.compare_digest(t, token)), None)
        if role is None:
            raise HTTPException(401, "unknown token")
        if role not in allowed and role != "admin":
            raise HTTPException(403, f"role {role} may not do this (needs {' or '.join(allowed)})")
        return f"{role}:{token[-4:]}"

    return check


AgentDep = Annotated[str, Depends(require_role("agent"))]
ContentDep = Annotated[str, Depends(require_role("content"))]
ComplianceDep = Annotated[str, Depends(require_role("compliance"))]
AnalyticsDep = Annotated[str, Depends(require_role("compliance", "admin"))]
