"""The client chat page and the staff sign-in (HTML). The chat page itself talks to the JSON API
(`/v1/chat/stream`, `/v1/sessions/…`, `/v1/feedback`), like any other client would."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.deps import ComponentsDep, identify
from api.web import auth
from api.web.render import page_language, render, wording

router = APIRouter(include_in_schema=False)


def _local(path: str | None) -> str:
    """Only a path on this site may be the target after sign-in (no open redirect)."""
    if path and path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return "/agent"


@router.get("/")
async def root(request: Request) -> RedirectResponse:
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"/chat{query}", status_code=307)


@router.get("/chat", response_class=HTMLResponse)
async def chat_page(request: Request, components: ComponentsDep) -> HTMLResponse:
    """The client chat page; the company's site may embed it (FA_WEB__FRAME_ANCESTORS)."""
    language = page_language(request)
    web = components.settings.web
    return render(
        request,
        "chat.html",
        {
            "lang": language,
            "t": wording(components.prompts, language),
            "poll_ms": web.poll_interval_ms,
            "max_chars": components.settings.chat.max_message_chars,
        },
        frame_ancestors=web.frame_ancestors,
    )


@router.get("/login", response_class=HTMLResponse)
async def login_page(
    request: Request, components: ComponentsDep, next: str | None = None, notice: str | None = None
) -> HTMLResponse:
    language = page_language(request)
    return _login(request, components, language, _local(next), notice)


def _login(
    request: Request,
    components: ComponentsDep,
    language: str,
    target: str,
    notice: str | None,
    status_code: int = 200,
) -> HTMLResponse:
    t = wording(components.prompts, language)
    message = (
        t["login"].get(notice or "") if notice in ("failed", "signed_out", "expired") else None
    )
    return render(
        request,
        "login.html",
        {
            "lang": language,
            "t": t,
            "next": target,
            "notice": message,
            "failed": notice == "failed",
            "csrf": auth.csrf_token(request),
        },
        status_code=status_code,
    )


@router.post("/login", response_class=HTMLResponse, response_model=None)
async def login(
    request: Request,
    components: ComponentsDep,
    token: Annotated[str, Form(max_length=512)],
    csrf_token: Annotated[str, Form(max_length=128)] = "",
    next: Annotated[str, Form(max_length=512)] = "/agent",
    lang: Annotated[str, Form(max_length=4)] = "zh",
) -> HTMLResponse | RedirectResponse:
    """A token from FA_API_KEYS becomes a signed session cookie; a wrong one is refused (401)."""
    auth.check_csrf(request, csrf_token)
    language = "en" if lang == "en" else "zh"
    identity = identify(request.app.state.api_keys, token.strip())
    if identity is None:
        return _login(request, components, language, _local(next), "failed", status_code=401)
    auth.sign_in(request, identity.role, identity.name, token.strip())
    target = _local(next)
    if language == "en":
        target += ("&" if "?" in target else "?") + "lang=en"
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
async def logout(
    request: Request,
    csrf_token: Annotated[str, Form(max_length=128)] = "",
    lang: Annotated[str, Form(max_length=4)] = "zh",
) -> RedirectResponse:
    auth.check_csrf(request, csrf_token)
    auth.sign_out(request)
    suffix = "&lang=en" if lang == "en" else ""
    return RedirectResponse(f"/login?notice=signed_out{suffix}", status_code=303)
