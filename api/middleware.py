"""Everything every request goes through, installed by `install(app, settings)`: a request id
in the logs and the response, security headers, a body-size limit enforced while the body is
read, bearer tokens checked for being ASCII before any router sees them, CORS for the listed
origins, and the one place an unexpected error is logged (once) and turned into a 500 that
keeps the connection usable."""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error
from assistant.service import metrics
from assistant.settings import Settings

log = logging.getLogger("api.access")
REQUEST_ID: ContextVar[str] = ContextVar("request_id", default="-")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _with_request_id(factory):  # type: ignore[no-untyped-def]
    """A log-record factory that puts the request id on every record (`%(request_id)s`)."""

    def make(*args, **kwargs):  # type: ignore[no-untyped-def]
        record = factory(*args, **kwargs)
        record.request_id = REQUEST_ID.get()
        return record

    make.adds_request_id = True  # type: ignore[attr-defined]
    return make


class BodyTooLargeError(HTTPException):
    """Raised while the body is read; an HTTPException so FastAPI's body reader passes it on
    (it turns other errors into a 400) and the app's handler answers 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            413, f"the request body is over {limit} bytes", headers={"Connection": "close"}
        )


class ServiceMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.max_body = settings.chat.max_body_bytes
        self.headers = [
            (b"content-security-policy", settings.content_security_policy.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        given = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _SAFE_ID.match(given) else uuid.uuid4().hex
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = {"code": 500, "started": False}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"], status["started"] = message["status"], True
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *(h for h in self.headers if h[0] not in present),  # a page's own CSP wins
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        try:
            refusal = self._refusal(headers)
            if refusal is not None:
                await refusal(scope, receive, send_with_headers)
            else:
                await self.app(scope, self._counted(receive), send_with_headers)
        except BodyTooLargeError:
            if not status["started"]:
                await self._too_large()(scope, receive, send_with_headers)
        except Exception:
            log.exception("unhandled error on %s %s", scope["method"], scope["path"])
            if not status["started"]:
                await error(500, "internal_error", "internal error; it has been logged")(
                    scope, receive, send_with_headers
                )
        finally:
            metrics.HTTP_RESPONSES.labels(scope["method"], str(status["code"])).inc()
            log.info(
                "%s %s %s %.1fms",
                scope["method"],
                getattr(scope.get("route"), "path", scope["path"]),
                status["code"],
                (time.perf_counter() - started) * 1000,
            )
            REQUEST_ID.reset(token)

    def _refusal(self, headers: dict[bytes, bytes]) -> ASGIApp | None:
        """A request refused before the app: too large by its own account, or a token that
        cannot be a token (a non-ASCII header would fail deep inside the comparison)."""
        length = headers.get(b"content-length", b"0")
        if not length.isdigit() or int(length) > self.max_body:
            return self._too_large()
        authorization = headers.get(b"authorization", b"")
        if authorization and not authorization.isascii():
            return error(401, "unauthorized", "the Authorization header must be ASCII")
        return None

    def _too_large(self) -> ASGIApp:
        response = error(413, "too_large", f"the request body is over {self.max_body} bytes")
        response.headers["connection"] = "close"  # the rest of the body is left unread
        return response

    def _counted(self, receive: Receive) -> Receive:
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise BodyTooLargeError(self.max_body)
            return message

        return counted


def install(app: FastAPI, settings: Settings) -> None:
    """The service's middleware. Starlette wraps the last added outermost: ours goes around
    CORS (if any origin is listed), so preflight answers carry the security headers too."""
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "Authorization", "X-Request-ID"],
            expose_headers=["X-Request-ID", "X-Total-Count", "Retry-After"],
            max_age=600,
        )
    app.add_middleware(ServiceMiddleware, settings=settings)
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "adds_request_id", False):
        logging.setLogRecordFactory(_with_request_id(factory))
