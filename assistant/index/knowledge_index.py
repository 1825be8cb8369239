"""The live knowledge index: chunks in Chroma, and the manifest in the state database that says
which version of each document is served.

Why a manifest of our own: llama-index's docstore upsert deletes a document's old version before
the new one is embedded (run-llama/llama_index#22639), so a failed re-ingest could lose it. Here a
new version's chunks are written next to the old ones under new ids, then one transaction points
the manifest at them, then the old chunks are deleted. Readers only serve chunks the manifest
names, so at every instant each document is served whole, in one version.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from assistant.index.chroma_store import ChromaStore, StoredChunk, make_client
from assistant.index.embeddings import embedding_id
from assistant.settings import Settings
from assistant.state.models import IndexedDocument, IndexMeta, utcnow

DEFAULT_COLLECTION = "fa_chunks_g1"


class EmbeddingMismatchError(RuntimeError):
    """The index was built by another embedding model than the one configured."""


@dataclass(frozen=True)
class LiveDocument:
    source: str
    content_hash: str
    title: str
    doc_type: str
    chunk_count: int
    updated_at: datetime


def chunk_id(source: str, content_hash: str, index: int) -> str:
    """Deterministic: re-running an interrupted ingest overwrites, never duplicates."""
    source_key = hashlib.sha1(source.encode()).hexdigest()[:12]
    return f"{source_key}-{content_hash[:16]}-{index:04d}"


class KnowledgeIndex:
    def __init__(self, settings: Settings, engine: Engine, *, rebuild: bool = False) -> None:
        self.settings = settings
        self.engine = engine
        self.embedding_id = embedding_id(settings.embedding)
        meta = self._meta()
        built_with = meta.get("embedding")
        if built_with and built_with != self.embedding_id and not rebuild:
            raise EmbeddingMismatchError(
                f"the index was built with embedding {built_with!r} but FA_EMBEDDING is "
                f"{settings.embedding!r} ({self.embedding_id!r}); re-ingest with "
                "`fund-assistant ingest --rebuild` (or set FA_EMBEDDING back)"
            )
        self._client = make_client(settings)
        self.collection_name = meta.get("collection", DEFAULT_COLLECTION)
        self._retired_collection: str | None = None
        if rebuild:
            # A rebuild fills a fresh collection while the old one keeps serving, then switches.
            self._retired_collection = self.collection_name
            self.collection_name = f"fa_chunks_g{int(meta.get('generation', '0')) + 1}"
            if self.collection_name == self._retired_collection:
                self.collection_name += "r"
            if self._has(self.collection_name):  # debris of an earlier, interrupted rebuild
                self._client.delete_collection(self.collection_name)
        self.store = ChromaStore(self._client, self.collection_name, self.embedding_id)

    def _has(self, name: str) -> bool:
        return name in {c.name for c in self._client.list_collections()}

    # --- reading -----------------------------------------------------------------------------

    def _meta(self) -> dict[str, str]:
        with Session(self.engine) as session:
            return {row.key: row.value for row in session.scalars(select(IndexMeta))}

    def generation(self) -> int:
        """Bumped by every change to what is served; readers compare it to refresh."""
        return int(self._meta().get("generation", "0"))

    def live_documents(self) -> dict[str, LiveDocument]:
        with Session(self.engine) as session:
            rows = session.scalars(select(IndexedDocument)).all()
        return {
            r.source: LiveDocument(
                r.source, r.content_hash, r.title, r.doc_type, r.chunk_count, r.updated_at
            )
            for r in rows
        }

    def live_chunks(self) -> list[StoredChunk]:
        """Every chunk of every live document version, in document order."""
        live = {(d.source, d.content_hash) for d in self.live_documents().values()}
        chunks = [c for c in self.store.get_all() if _version_key(c.metadata) in live]
        return sorted(chunks, key=lambda c: (c.metadata["source"], c.metadata["chunk_index"]))

    # --- writing (ingestion only) ----------------------------------------------------------------

    def stage_chunks(
        self,
        ids: list[str],
        texts: list[str],
        metadatas: list[dict[str, Any]],
        embeddings: list[list[float]],
    ) -> None:
        """Write a new version's chunks beside the old; nothing is served from them yet."""
        self.store.upsert(ids, texts, metadatas, embeddings)

    def publish(self, document: LiveDocument) -> None:
        """Atomically make `document`'s version the served one, then drop its older chunks."""
        with Session(self.engine) as session, session.begin():
            row = session.get(IndexedDocument, document.source) or IndexedDocument(
                source=document.source
            )
            row.content_hash = document.content_hash
            row.title = document.title
            row.doc_type = document.doc_type
            row.chunk_count = document.chunk_count
            row.updated_at = utcnow()
            session.add(row)
            self._bump_generation(session)
        self._drop_stale_chunks(document.source, keep_hash=document.content_hash)

    def retract(self, source: str) -> None:
        """Stop serving a removed document, then delete its chunks."""
        with Session(self.engine) as session, session.begin():
            session.execute(delete(IndexedDocument).where(IndexedDocument.source == source))
            self._bump_generation(session)
        self._drop_stale_chunks(source, keep_hash=None)

    def switch_to(self, documents: list[LiveDocument]) -> None:
        """End a rebuild: serve exactly `documents` from the new collection, in one transaction."""
        with Session(self.engine) as session, session.begin():
            session.execute(delete(IndexedDocument))
            for document in documents:
                session.add(
                    IndexedDocument(
                        source=document.source,
                        content_hash=document.content_hash,
                        title=document.title,
                        doc_type=document.doc_type,
                        chunk_count=document.chunk_count,
                        updated_at=utcnow(),
                    )
                )
            self._set_meta(session, "embedding", self.embedding_id)
            self._set_meta(session, "collection", self.collection_name)
            self._bump_generation(session)
        if self._retired_collection and self._has(self._retired_collection):
            self._client.delete_collection(self._retired_collection)

    @property
    def rebuilding(self) -> bool:
        return self._retired_collection is not None

    def collect_garbage(self) -> int:
        """Delete chunks no manifest entry names: leftovers of an interrupted run."""
        live = {(d.source, d.content_hash) for d in self.live_documents().values()}
        stale = [c.id for c in self.store.get_all() if _version_key(c.metadata) not in live]
        self.store.delete(stale)
        return len(stale)

    def record_embedding(self) -> None:
        with Session(self.engine) as session, session.begin():
            self._set_meta(session, "embedding", self.embedding_id)
            self._set_meta(session, "collection", self.collection_name)

    def _drop_stale_chunks(self, source: str, keep_hash: str | None) -> None:
        ids = [
            c.id
            for c in self.store.get_all(where={"source": source})
            if keep_hash is None or c.metadata.get("content_hash") != keep_hash
        ]
        self.store.delete(ids)

    def _bump_generation(self, session: Session) -> None:
        row = session.get(IndexMeta, "generation")
        value = str(int(row.value) + 1) if row else "1"
        self._set_meta(session, "generation", value)

    @staticmethod
    def _set_meta(session: Session, key: str, value: str) -> None:
        row = session.get(IndexMeta, key) or IndexMeta(key=key)
        row.value = value
        session.add(row)


def _version_key(metadata: dict[str, Any]) -> tuple[str, str]:
    return (str(metadata.get("source")), str(metadata.get("content_hash")))
