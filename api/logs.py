"""Structured logs: one JSON object per line with the request id, for `fund-assistant serve`.

No log line carries what a client typed: the pipeline logs ids, routes and reasons; the access
line logs the route's path template, status and time, never a query string or a body.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": JsonFormatter}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["stderr"], "level": "INFO"},
    "loggers": {
        # Our middleware logs each request (with its id); uvicorn's own access line would
        # repeat it without one, and its error logger would repeat our tracebacks.
        "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        # One line per request to the Chroma server or the LLM says nothing our own access
        # line does not, and cost a JSON log line per turn; their failures still show.
        "httpx": {"level": "WARNING"},
    },
}
