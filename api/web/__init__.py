"""The web pages: the client chat page, staff sign-in and the agent console.

Server-rendered Jinja2 templates; htmx (vendored, see static/vendor/README.md) where a staff page
loads fragments; plain JavaScript only where the chat page must stream. No CDN, no web fonts, no
build step.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from assistant.settings import WebSettings


def install(app: FastAPI, web: WebSettings, routers: list[APIRouter]) -> None:
    """The pages' routers, their static files and the signed staff session cookie."""
    from api.web.auth import install_sessions
    from api.web.render import STATIC_DIR

    for router in routers:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_sessions(app, web)
