"""Dependencies: the objects built in the lifespan, and role checks for staff endpoints."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session, sessionmaker

from api.web import auth as web_auth
from assistant.components import Components
from assistant.pipeline import AssistantPipeline

ROLES = ("agent", "compliance", "content", "admin")
STAFF_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
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


@dataclass(frozen=True)
class StaffIdentity:
    """Who a staff request comes from. `actor` (`role:name`) is what the audit trail records."""

    role: str
    name: str

    @property
    def actor(self) -> str:
        return f"{self.role}:{self.name}"


def parse_api_keys(value: str | None) -> dict[str, StaffIdentity]:
    """`role:token` or `role:name:token`, comma-separated → {token: identity}.

    A named key is that person; an unnamed one is known by a digest of its whole token (two
    tokens that merely end alike stay two people). Bad entries are refused at start-up."""
    keys: dict[str, StaffIdentity] = {}
    for entry in (value or "").split(","):
        if not entry.strip():
            continue
        role, _, rest = entry.strip().partition(":")
        name, _, token = rest.partition(":")
        if not token or not STAFF_NAME.fullmatch(name):
            name, token = "key-" + hashlib.sha256(rest.encode()).hexdigest()[:12], rest
        if role not in ROLES or len(token) < 8:
            raise ValueError(
                f"FA_API_KEYS: bad entry for role {role!r} (roles {ROLES}, token ≥ 8 chars)"
            )
        keys[token] = StaffIdentity(role, name)
    return keys


def identify(keys: dict[str, StaffIdentity], token: str) -> StaffIdentity | None:
    """The identity a token belongs to, compared in constant time; None if unknown."""
    found = None
    for known, identity in keys.items():
        if secrets.compare_digest(known.encode(), token.encode("utf-8", "replace")):
            found = identity
    return found


def require_role(*allowed: str) -> Callable[[Request], StaffIdentity]:
    """A dependency returning the caller's identity if its role is allowed (admin always is).

    The caller is named by `Authorization: Bearer <token>` or, from the pages, by the signed
    session cookie; a cookie request that changes state must also carry the CSRF token."""

    def check(request: Request) -> StaffIdentity:
        keys: dict[str, StaffIdentity] = request.app.state.api_keys
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if header:
            if scheme.lower() != "bearer" or not token:
                raise HTTPException(401, "a bearer token is required")
            identity = identify(keys, token)
            if identity is None:
                raise HTTPException(401, "unknown token")
        else:
            live = {token: (who.role, who.name) for token, who in keys.items()}
            staff = web_auth.signed_in(request, live)
            if staff is None:
                raise HTTPException(401, "a bearer token or a staff sign-in is required")
            web_auth.check_csrf(request)
            identity = StaffIdentity(staff.role, staff.name)
        if identity.role not in allowed and identity.role != "admin":
            raise HTTPException(
                403, f"role {identity.role} may not do this (needs {' or '.join(allowed)})"
            )
        return identity

    return check


AgentDep = Annotated[StaffIdentity, Depends(require_role("agent"))]
ContentDep = Annotated[StaffIdentity, Depends(require_role("content"))]
ComplianceDep = Annotated[StaffIdentity, Depends(require_role("compliance"))]
AnalyticsDep = Annotated[StaffIdentity, Depends(require_role("compliance", "admin"))]
