"""Chroma as the dense store: embedded (`PersistentClient` under FA_DATA_DIR) or a server
(`FA_CHROMA_URL`, `chroma run`).

We always hand Chroma our own vectors and open collections with `embedding_function=None`:
Chroma's default embedding function downloads a model, which these machines cannot do.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
import chromadb.errors
from chromadb.api import ClientAPI
from chromadb.config import Settings as ChromaSettings

from assistant.settings import Settings

UPSERT_BATCH = 256


@dataclass(frozen=True)
class StoredChunk:
    id: str
    text: str
    metadata: dict[str, Any]


def make_client(settings: Settings) -> ClientAPI:
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        return chromadb.HttpClient(
            host=url.hostname or "127.0.0.1",
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )
    path = Path(settings.data_dir) / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


class ChromaStore:
    """One collection of chunks with their vectors and metadata."""

    def __init__(self, client: ClientAPI, name: str, embedding: str) -> None:
        self.name = name
        self._collection = client.get_or_create_collection(
            name,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedding": embedding},
        )

    def count(self) -> int:
        return self._collection.count()

    def upsert(
        self,
        ids: list[str],
        texts: list[str],
        metadatas: list[dict[str, Any]],
        embeddings: list[list[float]],
    ) -> None:
        for i in range(0, len(ids), UPSERT_BATCH):
            part = slice(i, i + UPSERT_BATCH)
            self._collection.upsert(
                ids=ids[part],
                documents=texts[part],
                metadatas=metadatas[part],  # type: ignore[arg-type]
                embeddings=embeddings[part],  # type: ignore[arg-type]
            )

    def nearest(
        self, embedding: list[float], n: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """(id, distance) of the `n` nearest chunks, without their texts and metadata: the
        retriever holds those already, and reading them back from the store was most of the
        cost of a query (and, in server mode, of the Chroma server's work per turn)."""
        if n <= 0:
            return []
        result = self._collection.query(
            query_embeddings=[embedding],  # type: ignore[arg-type]
            n_results=n,
            where=where,  # type: ignore[arg-type]
            include=["distances"],
        )
        distances = result["distances"][0]  # type: ignore[index]
        return [(i, float(d)) for i, d in zip(result["ids"][0], distances, strict=True)]

    def get_all(self, where: dict[str, Any] | None = None) -> list[StoredChunk]:
        result = self._collection.get(where=where, include=["documents", "metadatas"])  # type: ignore[arg-type]
        return [
            StoredChunk(id=i, text=t or "", metadata=dict(m or {}))
            for i, t, m in zip(
                result["ids"],
                result["documents"],  # type: ignore[arg-type]
                result["metadatas"],  # type: ignore[arg-type]
                strict=True,
            )
        ]

    def vectors(self, ids: list[str]) -> dict[str, list[float]]:
        """The stored vectors of `ids`, those the store can give. Asked by id, not for the
        whole collection: only published chunks are wanted. After a write killed midway the
        embedded store can fail to give some records' vectors ("Error finding id") while it
        still searches them; those are left out here (one by one), for the caller to compute."""
        found: dict[str, list[float]] = {}
        for i in range(0, len(ids), UPSERT_BATCH):
            batch = ids[i : i + UPSERT_BATCH]
            try:
                found.update(self._vectors(batch))
            except chromadb.errors.InternalError:
                for one in batch:
                    with contextlib.suppress(chromadb.errors.InternalError):
                        found.update(self._vectors([one]))
        return found

    def _vectors(self, ids: list[str]) -> dict[str, list[float]]:
        result = self._collection.get(ids=ids, include=["embeddings"])
        vectors = result["embeddings"]
        assert vectors is not None
        return dict(zip(result["ids"], vectors, strict=True))  # type: ignore[arg-type]

    def delete(self, ids: list[str]) -> None:
        for i in range(0, len(ids), UPSERT_BATCH):
            self._collection.delete(ids=ids[i : i + UPSERT_BATCH])
