"""Every error is `{"error": {"code", "message"}}` with a 4xx status, or 503 with Retry-After
when a dependency is down; never a traceback. Unexpected errors are logged once, by
`api.middleware`, not here: a handler for `Exception` would run in Starlette's outermost
middleware, which logs the traceback a second time and drops the connection."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from assistant.index.knowledge_index import EmbeddingMismatchError
from assistant.index.locks import StoreBusyError
from assistant.service import metrics
from assistant.service.turns import DATABASE_ERRORS, StateUnavailableError
from assistant.state.conversations import ConflictError, NotFoundError

log = logging.getLogger(__name__)


def error(
    status: int,
    code: str,
    message: str,
    headers: Mapping[str, str] | None = None,
    **extra: object,
) -> JSONResponse:
    body = {"error": {"code": code, "message": message, **extra}}
    return JSONResponse(status_code=status, content=body, headers=headers)


DATABASE_RETRY_AFTER_S = 5


# Our code for each HTTP status raised by FastAPI, Starlette or a router.
HTTP_CODES = {
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid_request",
    429: "rate_limited",
}

# The library's own errors and what they mean over HTTP.
LIBRARY_ERRORS: dict[type[Exception], tuple[int, str]] = {
    NotFoundError: (404, "not_found"),
    ConflictError: (409, "conflict"),
    StoreBusyError: (409, "busy"),
    EmbeddingMismatchError: (503, "index_mismatch"),
}


def _library_handler(
    status: int, code: str
) -> Callable[[Request, Exception], Awaitable[JSONResponse]]:
    async def handle(_: Request, exc: Exception) -> JSONResponse:
        return error(status, code, str(exc))

    return handle


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'] if p != 'body') or 'body'}: {e['msg']}"
            for e in exc.errors()
        )
        return error(422, "invalid_request", problems or "invalid request")

    # Starlette's class, so unknown paths and methods get our shape too (FastAPI's subclasses it).
    @app.exception_handler(HTTPException)
    async def http(_: Request, exc: HTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else "error"
        code = HTTP_CODES.get(exc.status_code, "http_error")
        return error(exc.status_code, code, detail, headers=exc.headers)

    for exc_type, (status, code) in LIBRARY_ERRORS.items():
        app.add_exception_handler(exc_type, _library_handler(status, code))

    @app.exception_handler(StateUnavailableError)
    async def not_stored(_: Request, exc: StateUnavailableError) -> JSONResponse:
        extra = {"kept": exc.kept, "session_id": exc.session_id} if exc.kept else {"kept": False}
        return error(
            503,
            "database_unavailable",
            str(exc),
            headers={"Retry-After": str(exc.retry_after_s)},
            **extra,
        )

    async def database_down(_: Request, exc: Exception) -> JSONResponse:
        metrics.DEPENDENCY_ERRORS.labels("database").inc()
        log.warning("state database unavailable: %s", type(exc).__name__)
        return error(
            503,
            "database_unavailable",
            "the service's database is not answering; try again shortly",
            headers={"Retry-After": str(DATABASE_RETRY_AFTER_S)},
        )

    for exc_type in DATABASE_ERRORS:
        app.add_exception_handler(exc_type, database_down)
