"""`ingest`: make the index match a folder. Unchanged files are skipped by hash before they are
even parsed; each added or changed document is embedded, staged and then published in one
transaction; removed ones are retracted; a file that fails is reported and its live version, if
any, stays served."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import BaseModel, Field
from tqdm import tqdm

from assistant.index.knowledge_index import KnowledgeIndex, LiveDocument, chunk_id
from assistant.index.searchable import searchable_text
from assistant.settings import Settings
from assistant.state.models import utcnow
from ingestion.chunker import chunk_markdown
from ingestion.loaders import (
    SUPPORTED_SUFFIXES,
    LoadedDocument,
    LoadError,
    content_hash,
    load_document,
)

SKIPPED_NAMES = {"readme.md"}  # the folder's own README describes the folder, it is not content


class IngestFailure(BaseModel):
    source: str
    error: str


class IngestReport(BaseModel):
    added: list[str] = Field(default_factory=list)
    updated: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    unchanged: list[str] = Field(default_factory=list)
    failed: list[IngestFailure] = Field(default_factory=list)
    chunks: int = Field(0, description="Chunks served after the run.")
    embedded: int = Field(0, description="Chunks embedded by this run.")
    seconds: float = 0.0
    embed_seconds: float = 0.0


class Ingestor:
    def __init__(
        self,
        settings: Settings,
        index: KnowledgeIndex,
        embedder: BaseEmbedding,
        *,
        on_staged: Callable[[str], None] | None = None,
    ) -> None:
        self.settings = settings
        self.index = index
        self.embedder = embedder
        self._on_staged = on_staged  # test seam: runs between staging and publishing

    def run(self, docs_dir: Path, *, progress: bool = False) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        root = Path(docs_dir)
        if not root.is_dir():
            raise FileNotFoundError(f"docs folder not found: {root}")
        rebuilding = self.index.rebuilding
        live = {} if rebuilding else self.index.live_documents()
        staged: list[LiveDocument] = []
        if not rebuilding:
            self.index.record_embedding()
            self.index.collect_garbage()

        to_load: list[tuple[Path, bytes]] = []
        seen_hashes: dict[str, str] = {}
        present: set[str] = set()
        for path in document_files(root):
            source = path.relative_to(root).as_posix()
            present.add(source)
            try:
                raw = self._read(path)
            except LoadError as exc:
                report.failed.append(IngestFailure(source=source, error=str(exc)))
                continue
            digest = content_hash(raw)
            if digest in seen_hashes:
                error = f"duplicate of {seen_hashes[digest]} (same content)"
                report.failed.append(IngestFailure(source=source, error=error))
                continue
            seen_hashes[digest] = source
            if source in live and live[source].content_hash == digest:
                report.unchanged.append(source)
            else:
                to_load.append((path, raw))

        for path, raw in tqdm(to_load, desc="ingest", unit="doc", disable=not progress):
            source = path.relative_to(root).as_posix()
            try:
                document = load_document(path, root, raw)
                staged.append(self._ingest_one(document, report, publish=not rebuilding))
            except LoadError as exc:
                report.failed.append(IngestFailure(source=source, error=str(exc)))
                continue
            (report.updated if source in live else report.added).append(source)

        for source in sorted(set(live) - present):
            self.index.retract(source)
            report.removed.append(source)
        if rebuilding:
            self.index.switch_to(staged)

        report.chunks = sum(d.chunk_count for d in self.index.live_documents().values())
        report.seconds = round(time.perf_counter() - started, 3)
        return report

    def _read(self, path: Path) -> bytes:
        limit = int(self.settings.ingest.max_file_mb * 1024 * 1024)
        try:
            size = path.stat().st_size
            if size > limit:
                raise LoadError(f"file too large ({size / 1e6:.1f} MB > {limit / 1e6:.1f} MB)")
            return path.read_bytes()
        except OSError as exc:
            raise LoadError(f"cannot read file: {exc.strerror or exc}") from exc

    def _ingest_one(
        self, document: LoadedDocument, report: IngestReport, *, publish: bool
    ) -> LiveDocument:
        meta = document.meta
        chunks = chunk_markdown(document.markdown, meta.title, self.settings.ingest.max_chunk_chars)
        if not chunks:
            raise LoadError("no content sections found")
        metadatas = [
            _chunk_metadata(document, i, c.section, c.kind, c.question)
            for i, c in enumerate(chunks)
        ]
        texts = [c.text for c in chunks]
        embed_started = time.perf_counter()
        embeddings = self.embedder.get_text_embedding_batch(
            [searchable_text(m, t) for m, t in zip(metadatas, texts, strict=True)]
        )
        report.embed_seconds += time.perf_counter() - embed_started
        ids = [chunk_id(document.source, document.content_hash, i) for i in range(len(chunks))]
        self.index.stage_chunks(ids, texts, metadatas, embeddings)
        if self._on_staged is not None:
            self._on_staged(document.source)
        live = LiveDocument(
            source=document.source,
            content_hash=document.content_hash,
            title=meta.title,
            doc_type=meta.doc_type,
            chunk_count=len(chunks),
            updated_at=utcnow(),
        )
        if publish:
            self.index.publish(live)
        report.embedded += len(chunks)
        return live


def document_files(root: Path) -> list[Path]:
    """The files of a knowledge folder that are documents (not its README, the company's
    profile, hidden files or anything the loaders cannot read)."""
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix.lower() in SUPPORTED_SUFFIXES
        and p.name.lower() not in SKIPPED_NAMES
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def _chunk_metadata(
    document: LoadedDocument, index: int, section: str | None, kind: str, question: str | None
) -> dict[str, Any]:
    meta = document.meta
    metadata: dict[str, Any] = {
        "source": document.source,
        "content_hash": document.content_hash,
        "chunk_index": index,
        "title": meta.title,
        "section": section or "",
        "kind": kind,
        "question": question or "",
        "doc_type": meta.doc_type,
        "fund_codes": ",".join(meta.fund_codes),
        "aliases": ",".join(meta.aliases),
        "risk_level": meta.risk_level or "",
        "effective_date": meta.effective_date or "",
        "version": meta.version or "",
        "language": meta.language,
    }
    # One boolean per fund code lets Chroma filter by fund with a plain `where`.
    metadata.update({f"fund_{code}": True for code in meta.fund_codes})
    return metadata
