"""Tables. The index manifest is what makes re-ingest atomic: Chroma may hold chunks of two
versions of a document for a moment, but only the version the manifest names is served."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from assistant.state.database import Base


def utcnow() -> datetime:
    return datetime.now(UTC)


class IndexedDocument(Base):
    """One live document: its source path, the content hash of the version being served."""

    __tablename__ = "indexed_documents"

    source: Mapped[str] = mapped_column(String(1024), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    doc_type: Mapped[str] = mapped_column(String(64))
    chunk_count: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class IndexMeta(Base):
    """Key/value facts about the index: which embedder built it, which collection, generation."""

    __tablename__ = "index_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
