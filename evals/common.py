"""What every benchmark and suite needs: the dev sets and their labeled sources, a fresh index in
a temporary folder, percentiles."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from assistant.index.embeddings import load_embedder
from assistant.index.knowledge_index import KnowledgeIndex
from assistant.settings import Settings
from assistant.state.database import make_engine
from evals.metrics import fact_recall
from ingestion.pipeline import Ingestor, IngestReport

DATASETS = Path(__file__).resolve().parent / "datasets"


def load_dataset(name: str) -> list[dict[str, Any]]:
    path = DATASETS / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def accepted_sources(case: dict[str, Any]) -> set[str]:
    """The files a right answer may come from: the labeled `source` and the `also` files labeled
    as answering the question fully (a dev-set row, or a labeled turn of a conversation)."""
    return {case["source"], *case.get("also", [])}


def required_facts(case: dict[str, Any]) -> list[tuple[str, ...]]:
    """Each required fact with the other forms the documents state it in (`fact_forms`: "T+3日"
    for "T+3日确认份额" where a FAQ writes 养老2045为T+3日): an answer holds the fact when it holds
    any one form. Written by a label audit that saw the documents and questions, never a reply."""
    forms = case.get("fact_forms", {})
    return [(fact, *forms.get(fact, ())) for fact in case["facts"]]


def answers_case(text: str, source: str, case: dict[str, Any]) -> bool:
    """A passage (or its quote) answers a labelled question as the suites score a reply: from an
    accepted source, holding every required fact. What the answer models learn as a right
    candidate and the adapter's check counts as found."""
    return source in accepted_sources(case) and fact_recall(text, required_facts(case)) == 1.0


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else 0.0


@contextmanager
def fresh_settings(base: Settings | None = None) -> Iterator[Settings]:
    """Settings pointing at a temporary data folder (and SQLite in it)."""
    base = base or Settings()
    with tempfile.TemporaryDirectory(prefix="fa-eval-") as tmp:
        yield base.model_copy(
            update={"data_dir": Path(tmp), "database_url": None, "chroma_url": None}
        )


def ingest_fresh(settings: Settings, embedder: Any = None) -> tuple[IngestReport, Any]:
    """Ingest FA_DOCS_DIR into the (empty) data folder of `settings`."""
    embedder = embedder or load_embedder(settings.embedding, settings.ingest.embedding_threads)
    index = KnowledgeIndex(settings, make_engine(settings))
    report = Ingestor(settings, index, embedder).run(settings.docs_dir)
    return report, embedder
