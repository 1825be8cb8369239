"""What `/readyz` and `/metrics` read about the dependencies: each check bounded in time, so a
hanging database or vector store makes the service unready instead of hanging the probe."""

from __future__ import annotations

import concurrent.futures
from typing import Any

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select, text

from assistant.components import Components
from assistant.state.models import Handoff

CHECK_TIMEOUT_S = 2.0
_POOL = concurrent.futures.ThreadPoolExecutor(4, thread_name_prefix="readiness")


def _bounded(check: Any) -> dict[str, object]:
    future = _POOL.submit(check)
    try:
        detail = future.result(timeout=CHECK_TIMEOUT_S)
    except concurrent.futures.TimeoutError:
        return {"ok": False, "error": f"no answer within {CHECK_TIMEOUT_S:g} s"}
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, **(detail or {})}


def readiness(components: Components, spool_depth: int) -> tuple[bool, dict[str, object]]:
    """(ready, report): ready when the database and the vector store answer. An LLM that is
    down or skipped leaves the service ready: the extractive writer answers instead."""

    def database() -> dict[str, object]:
        with components.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return {}

    def vector_store() -> dict[str, object]:
        return {"chunks": components.index.store.count()}

    report: dict[str, object] = {
        "database": _bounded(database),
        "vector_store": _bounded(vector_store),
        "llm": llm_status(components),
        "spool": {"waiting": spool_depth},
    }
    ready = all(bool(report[k]["ok"]) for k in ("database", "vector_store"))  # type: ignore[index]
    return ready, report


def llm_status(components: Components) -> dict[str, object]:
    client = getattr(components.writer, "llm", None)
    if client is None:
        return {"configured": False, "ok": True}
    circuit = client.circuit
    return {"configured": True, "ok": circuit == "closed", "circuit": circuit}


class OpenHandoffs(Collector):
    """Open hand-offs by priority, read from the database at scrape time (every worker would
    otherwise report its own idea of the queue)."""

    def __init__(self, components: Components) -> None:
        self.components = components

    def collect(self):  # type: ignore[no-untyped-def]
        gauge = GaugeMetricFamily(
            "fa_handoffs_open", "Hand-offs waiting for an agent, by priority.", labels=["priority"]
        )

        def count() -> list[tuple[int, int]]:
            with self.components.sessions() as db:
                rows = db.execute(
                    select(Handoff.priority, func.count())
                    .where(Handoff.status == "open")
                    .group_by(Handoff.priority)
                ).all()
            return [(int(p), int(n)) for p, n in rows]

        future = _POOL.submit(count)
        try:
            for priority, n in future.result(timeout=CHECK_TIMEOUT_S):
                gauge.add_metric([str(priority)], n)
        except Exception:  # the database is down: the gauge is left out, the scrape still works
            return
        yield gauge
