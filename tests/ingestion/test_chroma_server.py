"""Server mode: a real `chroma run` process on loopback, as production runs it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.index.knowledge_index import KnowledgeIndex
from assistant.retrieval.hybrid import HybridRetriever
from assistant.settings import Settings
from assistant.state.database import make_engine
from ingestion.pipeline import Ingestor
from tests.chroma import chroma_server


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    with chroma_server(tmp_path / "server") as (_, url):
        yield url


@pytest.mark.slow
def test_ingest_and_search_through_a_chroma_server(
    chroma_url: str, tmp_path: Path, sample_docs: Path, e5
) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", chroma_url=chroma_url)  # type: ignore[call-arg]
    index = KnowledgeIndex(settings, make_engine(settings))
    report = Ingestor(settings, index, e5).run(sample_docs)
    assert len(report.added) == 3
    assert not (tmp_path / "data" / "chroma").exists()  # nothing embedded locally

    retriever = HybridRetriever(
        KnowledgeIndex(settings, make_engine(settings)), e5, settings.retrieval
    )
    top = retriever.search("纯债赎回几天能到")[0]
    assert top.source == "products/pure_bond.md" and "T+3" in top.text

    again = Ingestor(settings, KnowledgeIndex(settings, make_engine(settings)), e5).run(sample_docs)
    assert len(again.unchanged) == 3 and again.embedded == 0
