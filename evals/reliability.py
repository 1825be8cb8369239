"""The reliability benchmark (issue 13): the real service, a real PostgreSQL server, a real
`chroma run` server and an OpenAI-compatible LLM stub, all on loopback.

    python -m evals.reliability               # everything below (make soak), ~8 minutes
    python -m evals.reliability --throughput  # only the throughput figure (make soak-throughput)

1. Throughput: `serve --workers 3` on PostgreSQL and the Chroma server, `--clients` clients for
   `--seconds` after a warm-up, first with the usual mix of repeated questions and follow-ups,
   then with every question distinct (no cache can help); answers/s, p50, p95, cache hit rate.
2. Faults, on the same service: while the clients chat, the LLM hangs, then fails, the Chroma
   server is killed and restarted, the whole service is killed (SIGKILL) and restarted.
3. Races: two agents claim, then resolve, the same hand-off at the same moment (a barrier),
   `--race-rounds` times, through the HTTP app on PostgreSQL and on SQLite.
4. schemathesis fuzzes the OpenAPI schema with and without a staff token.
5. Every acknowledged turn and every hand-off is looked up in the database.
Not part of `make test`: it is a benchmark.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from assistant.settings import Settings
from evals.llm_stub import MisbehavingLlm
from evals.reliability_load import (
    AGENTS,
    STAFF,
    DistinctQuestions,
    Tally,
    audit,
    by_label,
    fuzz,
    metric,
    race,
    responses,
    run_clients,
    slice_docs,
)
from evals.reliability_procs import Processes, postgres_cluster

# A slice of the knowledge base, so that ingesting it takes seconds (`--docs` for another).
DOCS = (
    "products/tongli_pure_bond.md",
    "products/csi300_enhanced_index.md",
    "faq/trading_faq.md",
    "faq/account_faq.md",
    "service/complaints.md",
    "en/products_trading_faq_en.md",
)
WARM_UP_S = 8.0
# The hanging-LLM turns open the LLM circuit; the load waits for it to close again, or its
# turns would skip the LLM (and be handed off as with an LLM that is down).
BREAKER_RESET_S = 5.0
CACHE = 'fa_query_embedding_cache_total{{outcome="{}"'


def service_env(
    root: Path, llm_url: str, llm_timeout: float, database: str | None, docs: Path
) -> dict:
    env = {
        "FA_DATA_DIR": str(root / "data"),
        # The fuzzer's POST /v1/ingest re-ingests this folder: the benchmark's own slice (by
        # default the service would ingest the repository's whole knowledge folder mid-run).
        "FA_DOCS_DIR": str(docs),
        "FA_LLM_BASE_URL": llm_url,
        "FA_LLM_MODEL": "stub",
        "FA_LLM_TIMEOUT_S": str(llm_timeout),
        "FA_API_KEYS": ",".join([*AGENTS, STAFF]),
        "FA_CHAT__RATE_PER_MINUTE": "0",
        "FA_LLM_BREAKER_RESET_S": str(BREAKER_RESET_S),
        "FA_EVAL_DIR": str(root / "runs"),
        "FA_WEB__SESSION_SECRET": "soak-secret-soak-secret-soak-secret",
    }
    if database:
        env["FA_DATABASE_URL"] = database
    return env


def settings_of(procs: Processes) -> Settings:
    fa = {k[3:].lower(): v for k, v in procs.env.items() if k.startswith("FA_") and "__" not in k}
    return Settings(_env_file=None, **fa)  # type: ignore[arg-type]


def throughput(procs: Processes, clients: int, seconds: float, distinct: bool) -> str:
    """Answers per second and latency over `seconds`, after a warm-up."""
    url = procs.url
    hits, misses = (metric(url, CACHE.format(outcome)) for outcome in ("hit", "miss"))
    calls = by_label(url, "fa_llm_calls_total", "outcome")
    tally = Tally()
    halt = run_clients(url, clients, tally, DistinctQuestions() if distinct else None)
    start = time.monotonic() + WARM_UP_S
    time.sleep(WARM_UP_S + seconds)
    halt()
    answers, p50, p95 = tally.window(start, start + seconds)
    hit = metric(url, CACHE.format("hit")) - hits
    miss = metric(url, CACHE.format("miss")) - misses
    rate = hit / (hit + miss) if hit + miss else 0.0
    llm = by_label(url, "fa_llm_calls_total", "outcome")
    llm.subtract(calls)
    kind = "all-distinct questions" if distinct else "repeated questions + follow-ups"
    return (
        f"{procs.workers} workers, {clients} clients, {kind}: answers/s {answers / seconds:.1f}, "
        f"p50 {p50:.2f}s, p95 {p95:.2f}s over {seconds:g}s; routes {dict(tally.routes)}; "
        f"statuses {dict(tally.statuses)}; LLM calls by outcome {dict(+llm)}; e5 query cache hit rate {rate:.2f} "
        f"({int(hit)} of {int(hit + miss)} lookups; a turn looks its text up at least twice); "
        f"machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--throughput", action="store_true", help="only the throughput figure")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--fault-seconds", type=float, default=60)
    parser.add_argument("--fuzz-examples", type=int, default=20)
    parser.add_argument("--race-rounds", type=int, default=40)
    parser.add_argument("--llm-timeout", type=float, default=3.0)
    parser.add_argument("--port", type=int, default=18731)
    parser.add_argument("--chroma-port", type=int, default=18732)
    parser.add_argument("--postgres-port", type=int, default=18733)
    parser.add_argument("--docs", type=Path, help="a knowledge folder (default: a slice)")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="fa-reliability-"))
    llm = MisbehavingLlm("ok", content="纯债基金C类份额持有满7天赎回不收赎回费【1】。").__enter__()
    try:
        docs = args.docs or slice_docs(root / "docs", DOCS)
        with postgres_cluster(args.postgres_port) as database:
            env = service_env(root / "pg-run", llm.url, args.llm_timeout, database, docs)
            procs = Processes(root / "pg-run", env, args.port, args.chroma_port, args.workers)
            try:
                run_postgres(procs, llm, docs, args)
            finally:
                procs.stop()
        if not args.throughput:
            run_sqlite(root, llm, docs, args)
    finally:
        llm.__exit__()
        shutil.rmtree(root, ignore_errors=True)
    return 0


def run_postgres(
    procs: Processes, llm: MisbehavingLlm, docs: Path, args: argparse.Namespace
) -> None:
    from evals.reliability_faults import faults, hanging_llm_turn

    procs.start_chroma()
    procs.ingest(docs)
    print(f"PostgreSQL, Chroma server, serve --workers {procs.workers}: "
          f"up in {procs.start_service():.1f}s")  # fmt: skip
    if not args.throughput:  # first: the load below may open the LLM circuit for a while
        hang = hanging_llm_turn(procs.url, llm, "hang")
        trickle = hanging_llm_turn(procs.url, llm, "trickle")
        print(f"turn with a hanging LLM: {hang:.2f}s, trickling: {trickle:.2f}s "
              f"(FA_LLM_TIMEOUT_S={args.llm_timeout:g}; a follow-up makes two calls)")  # fmt: skip
        time.sleep(BREAKER_RESET_S + 1)  # half-open: the warm-up's first LLM call closes it
    print("throughput:", throughput(procs, args.clients, args.seconds, distinct=False), flush=True)
    print("throughput:", throughput(procs, args.clients, args.seconds, distinct=True), flush=True)
    if args.throughput:
        return
    tally = faults(procs, llm, args.clients, args.fault_seconds, BREAKER_RESET_S + 2)
    print("race on PostgreSQL:", json.dumps(race(procs.url, args.race_rounds), ensure_ascii=False))
    print("fuzz:", json.dumps(fuzz(procs.url, args.fuzz_examples), ensure_ascii=False), flush=True)
    counted = responses(procs.url)
    print(f"responses since the last restart (all workers): {sum(counted.values())}, "
          f"≥ 500 other than 503: {sum(n for s, n in counted.items() if s >= '500' and s != '503')}, "
          f"503: {counted.get('503', 0)}, by status {dict(sorted(counted.items()))}")  # fmt: skip
    time.sleep(3)  # the spool drains every 2 s
    outcome = audit(settings_of(procs), tally)
    print("acknowledged turns on PostgreSQL, by what was down when they were sent:")
    for phase, counts in outcome.items():
        print(f"  {phase}: {json.dumps(counts, ensure_ascii=False)}")


def run_sqlite(root: Path, llm: MisbehavingLlm, docs: Path, args: argparse.Namespace) -> None:
    """One process on SQLite (and the embedded Chroma store): the hand-off races."""
    env = service_env(root / "sqlite-run", llm.url, args.llm_timeout, None, docs)
    procs = Processes(root / "sqlite-run", env, args.port, args.chroma_port, 1)
    procs.env.pop("FA_CHROMA_URL")
    try:
        procs.ingest(docs)
        print(f"SQLite, embedded Chroma, one process: up in {procs.start_service():.1f}s")
        print("race on SQLite:", json.dumps(race(procs.url, args.race_rounds), ensure_ascii=False))
        statuses = responses(procs.url)
        print(f"responses ≥ 500 on SQLite: {sum(n for s, n in statuses.items() if s >= '500')}")
    finally:
        procs.stop()


if __name__ == "__main__":
    sys.exit(main())
