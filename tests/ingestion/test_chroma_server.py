"""Server mode: a real `chroma run` process on loopback, as production runs it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.index.knowledge_index import KnowledgeIndex
from assistant.retrieval.hybrid import HybridRetriever
from assistant.settings import Settings
from assistant.state.database import make_engine
from ingestion.pipeline import Ingestor
from tests.conftest import free_port


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent))
    assert chroma, "the chromadb package installs the `chroma` command"
    port = free_port()
    process = subprocess.Popen(
        [
            chroma,
            "run",
            "--path",
            str(tmp_path / "server"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        else:
            pytest.fail("chroma server did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.slow
def test_ingest_and_search_through_a_chroma_server(
    chroma_server: str, tmp_path: Path, sample_docs: Path, e5
) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", chroma_url=chroma_server)  # type: ignore[call-arg]
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
