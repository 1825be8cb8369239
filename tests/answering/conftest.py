"""Fixtures for answering tests run on a fictional company's real documents."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from assistant.settings import Settings


@pytest.fixture(scope="module")
def company_pipeline(tmp_path_factory: pytest.TempPathFactory, e5: Any) -> Callable[[Path], Any]:
    """Builds the whole pipeline over one company's documents (evals/kbN/docs), ingested into a
    fresh data folder with the real embedder: the search, the catalog and the writer as served."""
    from assistant.components import build_components
    from assistant.index.knowledge_index import KnowledgeIndex
    from assistant.pipeline import AssistantPipeline
    from assistant.state.database import make_engine
    from ingestion.pipeline import Ingestor

    def build(docs: Path) -> AssistantPipeline:
        root = tmp_path_factory.mktemp(docs.parent.name)
        settings = Settings(_env_file=None, data_dir=root / "data", docs_dir=docs)  # type: ignore[call-arg]
        index = KnowledgeIndex(settings, make_engine(settings))
        report = Ingestor(settings, index, e5).run(docs)
        assert not report.failed
        return AssistantPipeline(build_components(settings, embedder=e5))

    return build
