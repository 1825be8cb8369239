"""Re-ingest through the running service (role content).

The embedded Chroma store belongs to the service's process, so the content team re-ingests
through here rather than with the CLI (which refuses while the service runs). The service's own
retriever is refreshed as soon as the run ends; each document switched atomically during it.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from api.deps import ComponentsDep, ContentDep
from assistant.index.locks import ingest_lock
from ingestion.pipeline import Ingestor, IngestReport

router = APIRouter(prefix="/v1", tags=["ingest"])


@router.post("/ingest", response_model=IngestReport, response_model_exclude={"embed_seconds"})
async def ingest(actor: ContentDep, components: ComponentsDep) -> IngestReport:
    """Make the index match FA_DOCS_DIR; returns the same summary as `fund-assistant ingest --json`."""

    def run() -> IngestReport:
        settings = components.settings
        with ingest_lock(settings):
            report = Ingestor(settings, components.index, components.embedder).run(
                settings.docs_dir
            )
        components.retriever.refresh()
        return report

    return await run_in_threadpool(run)
