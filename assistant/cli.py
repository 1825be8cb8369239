"""The `fund-assistant` command line: ingest, ask, serve, eval.

Exit codes: 0 done; 1 refused or failed (the message says why); 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
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

        if isinstance(exc, StoreBusyError | EmbeddingMismatchError | FileNotFoundError):
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
    return parser


def _ingest(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.index.embeddings import load_embedder
    from assistant.index.knowledge_index import KnowledgeIndex
    from assistant.index.locks import exclusive_lock, ingest_lock_path, store_lock_path
    from assistant.state.database import make_engine
    from ingestion.pipeline import Ingestor

    docs = Path(args.docs or settings.docs_dir)
    with ExitStack() as stack:
        if not settings.chroma_url:
            stack.enter_context(
                exclusive_lock(
                    store_lock_path(settings.data_dir),
                    f"a fund-assistant service is using the embedded store in {settings.data_dir}; "
                    "re-ingest through it (POST /v1/ingest with a content token), stop it first, "
                    "or run both against a Chroma server (FA_CHROMA_URL)",
                )
            )
        stack.enter_context(
            exclusive_lock(ingest_lock_path(settings.data_dir), "another ingest is running")
        )
        index = KnowledgeIndex(settings, make_engine(settings), rebuild=args.rebuild)
        ingestor = Ingestor(settings, index, load_embedder(settings.embedding))
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
