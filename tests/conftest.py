"""Shared fixtures: real parts everywhere (Chroma in tmp folders, the real e5 embedder)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from assistant.index.embeddings import E5SmallEmbedding, load_embedder
from assistant.settings import Settings

REPO = Path(__file__).resolve().parent.parent
pytest_plugins = ("tests.postgres",)


@pytest.fixture(scope="session")
def e5() -> E5SmallEmbedding:
    """The real default embedder, loaded once per test session."""
    return load_embedder("e5-small")  # type: ignore[return-value]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path / "data", docs_dir=tmp_path / "docs")  # type: ignore[call-arg]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


API_KEYS = "agent:agent-token-0001,compliance:compliance-token-01,content:content-token-001"
AGENT = {"Authorization": "Bearer agent-token-0001"}
COMPLIANCE = {"Authorization": "Bearer compliance-token-01"}
CONTENT = {"Authorization": "Bearer content-token-001"}

# A slice of the real knowledge base, ingested once per test session for pipeline and API tests.
KB_SLICE = (
    "products/leading_growth_hybrid.md",
    "products/tongli_pure_bond.md",
    "products/csi300_enhanced_index.md",
    "faq/trading_faq.md",
    "faq/account_faq.md",
    "service/complaints.md",
    "en/products_trading_faq_en.md",
    "en/account_service_faq_en.md",
    "faq/service_tech_faq.md",
)


@pytest.fixture(scope="session")
def kb_settings(tmp_path_factory: pytest.TempPathFactory, e5) -> Settings:  # type: ignore[no-untyped-def]
    import shutil

    from assistant.index.knowledge_index import KnowledgeIndex
    from assistant.state.database import make_engine
    from ingestion.pipeline import Ingestor

    root = tmp_path_factory.mktemp("kb")
    docs = root / "docs"
    for name in KB_SLICE:
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "knowledge_docs" / name, docs / name)
    shutil.copy(REPO / "knowledge_docs" / "company.yaml", docs / "company.yaml")
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, data_dir=root / "data", docs_dir=docs, api_keys=API_KEYS
    )
    report = Ingestor(settings, KnowledgeIndex(settings, make_engine(settings)), e5).run(docs)
    assert not report.failed
    return settings


@pytest.fixture(scope="session")
def components(kb_settings: Settings, e5):  # type: ignore[no-untyped-def]
    from assistant.components import build_components

    return build_components(kb_settings, embedder=e5)


@pytest.fixture(scope="session")
def pipeline(components):  # type: ignore[no-untyped-def]
    from assistant.pipeline import AssistantPipeline

    return AssistantPipeline(components)
