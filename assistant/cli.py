"""The `fund-assistant` command line: ingest, ask, serve, eval.

Exit codes: 0 done; 1 refused or failed (the message says why); 2 usage error.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from assistant.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    settings = Settings()
    try:
        return int(args.handler(args, settings) or 0)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        from assistant.index.knowledge_index import EmbeddingMismatchError
        from assistant.index.locks import StoreBusyError
        from assistant.state.conversations import NotFoundError

        if isinstance(
            exc, StoreBusyError | EmbeddingMismatchError | FileNotFoundError | NotFoundError
        ):
            print(f"fund-assistant: {exc}", file=sys.stderr)
            return 1
        raise


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fund-assistant", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="make the index match the docs folder")
    ingest.add_argument("--docs", type=Path, help="docs folder (default FA_DOCS_DIR)")
    ingest.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    ingest.add_argument(
        "--rebuild", action="store_true", help="re-embed everything (after changing FA_EMBEDDING)"
    )
    ingest.set_defaults(handler=_ingest)

    ask = commands.add_parser("ask", help="one chat turn")
    ask.add_argument("question")
    ask.add_argument("--session", help="continue this session")
    ask.add_argument("--risk-level", choices=["C1", "C2", "C3", "C4", "C5"])
    ask.add_argument("--json", action="store_true", help="print the Reply object")
    ask.set_defaults(handler=_ask)

    evaluate = commands.add_parser("eval", help="score the assistant on the dev sets")
    evaluate.add_argument("--check", action="store_true", help="exit 1 when a threshold fails")
    evaluate.add_argument("--out", type=Path, help="where to write the run (default FA_EVAL_DIR)")
    evaluate.add_argument("--fast", action="store_true", help="the CI subset")
    evaluate.set_defaults(handler=_eval)

    serve = commands.add_parser("serve", help="serve the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes; more than 1 needs FA_DATABASE_URL (PostgreSQL) and FA_CHROMA_URL",
    )
    serve.set_defaults(handler=_serve)
    return parser


def _ingest(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.index.embeddings import load_embedder
    from assistant.index.knowledge_index import KnowledgeIndex
    from assistant.index.locks import embedded_store_lock, ingest_lock
    from assistant.state.database import make_engine
    from ingestion.pipeline import Ingestor

    docs = Path(args.docs or settings.docs_dir)
    with embedded_store_lock(settings, "ingest"), ingest_lock(settings):
        index = KnowledgeIndex(settings, make_engine(settings), rebuild=args.rebuild)
        ingestor = Ingestor(
            settings, index, load_embedder(settings.embedding, settings.ingest.embedding_threads)
        )
        report = ingestor.run(docs, progress=sys.stderr.isatty() and not args.json)
    if args.json:
        print(report.model_dump_json(exclude={"embedded", "embed_seconds"}))
    else:
        print(
            f"added {len(report.added)}, updated {len(report.updated)}, "
            f"removed {len(report.removed)}, unchanged {len(report.unchanged)}, "
            f"failed {len(report.failed)}; {report.chunks} chunks live; {report.seconds:.1f} s"
        )
        for failure in report.failed:
            print(f"  failed: {failure.source}: {failure.error}")
    return 0


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.components import build_components
    from assistant.index.locks import embedded_store_lock
    from assistant.models import TurnRequest
    from assistant.pipeline import AssistantPipeline

    if not args.question.strip():
        print("fund-assistant: the question is empty", file=sys.stderr)
        return 2
    with embedded_store_lock(settings, "ask"):
        pipeline = AssistantPipeline(build_components(settings))
        reply = pipeline.handle(
            TurnRequest(message=args.question, session_id=args.session, risk_level=args.risk_level)
        )
    if args.json:
        print(reply.model_dump_json(indent=2, exclude={"explanation"}))
        return 0
    print(reply.answer)
    if reply.route == "handoff":
        print(f"\n[handed off: {', '.join(reply.reasons)}; draft for the agent:]\n{reply.draft}")
    for citation in reply.citations:
        print(f"  [source] {citation.source} — {citation.section or citation.title}")
    print(f"  (session {reply.session_id}, confidence {reply.confidence:.2f})")
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    """One process, or `--workers` processes under uvicorn's supervisor. Every process gets one
    OpenMP/BLAS thread unless the environment says otherwise (several workers each spinning a
    thread per core for e5 made every turn many times slower on two cores), and a fatal signal
    (SIGBUS, SIGSEGV) leaves a traceback in the log instead of a silent death."""
    import faulthandler

    if args.workers < 1:
        print("fund-assistant: --workers must be at least 1", file=sys.stderr)
        return 2
    refusal = _shared_state_missing(settings) if args.workers > 1 else None
    if refusal:
        print(f"fund-assistant: --workers {args.workers} refused: {refusal}", file=sys.stderr)
        return 1
    if not faulthandler.is_enabled() and sys.__stderr__ is not None:
        faulthandler.enable(sys.__stderr__)
    metrics_dir = _one_thread_per_worker(args.workers)

    import uvicorn

    from api.app import create_app
    from api.logs import LOG_CONFIG
    from assistant.cores import CORES
    from assistant.state.database import StateDatabaseUnusableError, make_engine

    try:  # migrate once here, before the workers race to do it; refuse an unusable database
        make_engine(settings).dispose()
    except StateDatabaseUnusableError as exc:
        print(f"fund-assistant: {exc}", file=sys.stderr)
        return 1
    if args.workers == 1:
        uvicorn.run(create_app(settings), host=args.host, port=args.port, log_config=LOG_CONFIG)
        return 0
    # Each worker builds its own app (and reads the same settings from the environment).
    os.environ["FA_SUPERVISOR_PID"] = str(os.getpid())  # a worker ends with this process
    # The workers share the machine's cores: none may count on borrowing another's idle one.
    os.environ.setdefault("FA_CORES", str(max(1, CORES.cores // args.workers)))
    try:
        uvicorn.run(
            "api.app:create_app",
            factory=True,
            workers=args.workers,
            timeout_worker_healthcheck=settings.worker_ping_timeout_s,
            host=args.host,
            port=args.port,
            log_config=LOG_CONFIG,
        )
    finally:
        if metrics_dir:  # ours: the next start begins with fresh counters
            shutil.rmtree(metrics_dir, ignore_errors=True)
    return 0


THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


def _one_thread_per_worker(workers: int) -> str | None:
    """Set before any numeric library loads, and inherited by the worker processes; with
    several workers, their Prometheus values are kept in a shared folder so that `/metrics`
    adds them up. The folder, if this made it (then the caller removes it at the end)."""
    import tempfile

    for name in THREAD_VARIABLES:
        os.environ.setdefault(name, "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="fa-metrics-")
        return os.environ["PROMETHEUS_MULTIPROC_DIR"]
    return None


def _shared_state_missing(settings: Settings) -> str | None:
    """Why several workers cannot share this configuration, or None if they can: every worker
    must see the same state database and the same vector store (the embedded ones are
    single-process)."""
    from assistant.state.database import database_url, is_postgres

    missing = []
    if not is_postgres(database_url(settings)):
        missing.append("FA_DATABASE_URL must name a PostgreSQL database (postgresql://…)")
    if not settings.chroma_url:
        missing.append("FA_CHROMA_URL must name a Chroma server (`chroma run`)")
    if not missing:
        return None
    return "every worker must share the state and the index; " + "; ".join(missing)


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    from evals.runner import failed_thresholds, load_thresholds, run_eval, write_run

    run = run_eval(settings, fast=args.fast, progress=sys.stderr.isatty())
    thresholds = load_thresholds(args.fast)
    run["failed_thresholds"] = failed_thresholds(run["metrics"], thresholds)
    json_path, html_path = write_run(run, Path(args.out or settings.eval_dir))
    for suite, metrics in run["metrics"].items():
        shown = ", ".join(f"{k} {v:.3f}" for k, v in list(metrics.items())[:8])
        print(f"{suite:<12} {shown}")
    print(f"run {run['id']} in {run['seconds']} s -> {json_path} and {html_path}")
    for failure in run["failed_thresholds"]:
        print(f"  below threshold: {failure}")
    failed = len(run["failed_thresholds"])
    print(f"thresholds: {len(thresholds) - failed} passed, {failed} failed")
    return 1 if args.check and failed else 0
