"""The service's Prometheus metrics, defined once per process.

With `PROMETHEUS_MULTIPROC_DIR` set (several workers) prometheus-client keeps each worker's
values in files there and `/metrics` adds them up; gauges say how (`multiprocess_mode`).
Values that live in the database (open hand-offs) are read at scrape time instead.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.registry import REGISTRY, Collector

TURNS = Counter(
    "fa_turns_total",
    "Chat turns by route and reason (an answered turn has reason `none`).",
    ["route", "reason"],
)
TURN_SECONDS = Histogram(
    "fa_turn_seconds",
    "Time to compute one chat turn.",
    ["route"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 12, 20, 40),
)
LLM_CALLS = Counter(
    "fa_llm_calls_total",
    "LLM calls by purpose and outcome (ok, error, timeout, skipped: the circuit was open).",
    ["purpose", "outcome"],
)
LLM_FALLBACKS = Counter(
    "fa_llm_fallbacks_total", "Turns the extractive writer answered because the LLM failed."
)
LLM_CIRCUIT_OPEN = Gauge(
    "fa_llm_circuit_open",
    "1 while the LLM circuit is open (the LLM is skipped) in any worker.",
    multiprocess_mode="livemax",
)
DEPENDENCY_ERRORS = Counter(
    "fa_dependency_errors_total",
    "Failures of a dependency seen while serving (database, vector_store, llm).",
    ["dependency"],
)
SPOOLED = Counter(
    "fa_spooled_messages_total",
    "Client messages kept in the local spool because the state database was down.",
    ["outcome"],
)
RATE_LIMITED = Counter(
    "fa_rate_limited_total", "Requests refused by the rate limit (429).", ["scope"]
)
QUERY_EMBEDDING_CACHE = Counter(
    "fa_query_embedding_cache",
    "e5 query embeddings served from the per-process cache (hit) or computed (miss).",
    ["outcome"],
)
HTTP_RESPONSES = Counter(
    "fa_http_responses_total", "HTTP responses by method and status.", ["method", "status"]
)


def exposition(*extra: Collector) -> tuple[bytes, str]:
    """The text format of every metric of this process (all workers' in multiprocess mode),
    plus collectors that read their values at scrape time."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = CollectorRegistry()
        registry.register(_Forward())
    for collector in extra:
        registry.register(collector)
    return generate_latest(registry), CONTENT_TYPE_LATEST


class _Forward(Collector):
    """The process's default registry, seen through a per-scrape registry."""

    def collect(self):  # type: ignore[no-untyped-def]
        yield from REGISTRY.collect()
