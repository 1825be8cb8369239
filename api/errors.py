"""Every error is `{"error": {"code", "message"}}` with a 4xx status; never a traceback."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from assistant.index.knowledge_index import EmbeddingMismatchError
from assistant.index.locks import StoreBusyError
from assistant.state.conversations import ConflictError, NotFoundError

log = logging.getLogger(__name__)


def error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": {"code": code, "message": message}})


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
        code = {
            401: "unauthorized",
            403: "forbidden",
            404: "not_found",
            405: "method_not_allowed",
            409: "conflict",
            413: "too_large",
            422: "invalid_request",
        }
        detail = exc.detail if isinstance(exc.detail, str) else "error"
        return error(exc.status_code, code.get(exc.status_code, "http_error"), detail)

    @app.exception_handler(NotFoundError)
    async def not_found(_: Request, exc: NotFoundError) -> JSONResponse:
        return error(404, "not_found", str(exc))

    @app.exception_handler(ConflictError)
    async def conflict(_: Request, exc: ConflictError) -> JSONResponse:
        return error(409, "conflict", str(exc))

    @app.exception_handler(StoreBusyError)
    async def busy(_: Request, exc: StoreBusyError) -> JSONResponse:
        return error(409, "busy", str(exc))

    @app.exception_handler(EmbeddingMismatchError)
    async def mismatch(_: Request, exc: EmbeddingMismatchError) -> JSONResponse:
        return error(503, "index_mismatch", str(exc))

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error: %s", type(exc).__name__)
        return error(500, "internal_error", "internal error; it has been logged")
