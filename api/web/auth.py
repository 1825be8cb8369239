"""Staff sign-in for the pages: a token from FA_API_KEYS becomes a signed session cookie.

The cookie (Starlette's SessionMiddleware: itsdangerous-signed, HttpOnly, SameSite=Strict,
expiring) holds the role, the staff name and a digest of the token — never the token — so
removing a key from FA_API_KEYS ends the sessions made with it. Every request that changes state
with the cookie must carry the session's CSRF token (header `X-CSRF-Token` or form field
`csrf_token`); SameSite=Strict already stops most cross-site posts, the token stops the rest.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from fastapi import FastAPI, HTTPException, Request
from starlette.middleware.sessions import SessionMiddleware

from assistant.settings import WebSettings

COOKIE = "fa_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class SignedIn:
    role: str
    name: str


def install_sessions(app: FastAPI, web: WebSettings) -> None:
    """Signed session cookies. Without a configured secret each process makes its own."""
    app.add_middleware(
        SessionMiddleware,
        secret_key=web.session_secret or secrets.token_urlsafe(32),
        session_cookie=COOKIE,
        max_age=web.session_max_age_s,
        same_site="strict",
        https_only=web.https_only_cookie,
    )


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:32]


def _session(request: Request) -> dict[str, object] | None:
    return request.scope.get("session")  # type: ignore[no-any-return]


def sign_in(request: Request, role: str, name: str, token: str) -> None:
    """A fresh session (and CSRF token) for this staff member."""
    session = request.session
    session.clear()
    session["staff"] = {"role": role, "name": name, "key": token_digest(token)}
    session["csrf"] = secrets.token_urlsafe(24)


def sign_out(request: Request) -> None:
    request.session.clear()


def signed_in(request: Request, keys: dict[str, tuple[str, str]]) -> SignedIn | None:
    """The staff member of the cookie, if its token is still one of `keys`
    ({token: (role, name)}) and still names the same role and person."""
    session = _session(request)
    staff = session.get("staff") if session else None
    if not isinstance(staff, dict):
        return None
    live = {token_digest(token): who for token, who in keys.items()}
    if live.get(str(staff.get("key"))) != (staff.get("role"), staff.get("name")):
        return None
    return SignedIn(role=str(staff["role"]), name=str(staff["name"]))


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use (the sign-in form needs one too)."""
    session = request.session
    if not isinstance(session.get("csrf"), str):
        session["csrf"] = secrets.token_urlsafe(24)
    return str(session["csrf"])


def check_csrf(request: Request, submitted: str | None = None) -> None:
    """403 unless a state-changing request carries the session's token (header or form field)."""
    if request.method in SAFE_METHODS:
        return
    session = _session(request) or {}
    expected = session.get("csrf")
    given = submitted or request.headers.get(CSRF_HEADER, "")
    if not isinstance(expected, str) or not given or not secrets.compare_digest(expected, given):
        raise HTTPException(403, "missing or wrong CSRF token: reload the page")
