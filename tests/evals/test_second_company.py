"""A second company's documents are served without code changes: the fictional 青岚基金 of
`evals/kb2/` (Markdown without front matter, text, HTML, a PDF and a DOCX fee table) is ingested
by the real CLI into a temporary folder and answered from by the real pipeline.

The questions here are written for this test; the held-out questions in `evals/kb2/*.jsonl` are
only measured (`python -m evals.kb2`), never asserted on.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from assistant.company import PROFILE_NAME
from assistant.models import TurnRequest
from assistant.pipeline import AssistantPipeline
from assistant.settings import Settings
from tests.conftest import REPO

KB2_DOCS = REPO / "evals" / "kb2" / "docs"


@pytest.fixture(scope="module")
def kb2(tmp_path_factory: pytest.TempPathFactory, e5) -> tuple[AssistantPipeline, dict[str, Any]]:  # type: ignore[no-untyped-def]
    from assistant.components import build_components

    data = tmp_path_factory.mktemp("kb2") / "data"
    env = {**os.environ, "FA_DATA_DIR": str(data), "FA_DOCS_DIR": str(KB2_DOCS)}
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "ingest", "--docs", str(KB2_DOCS), "--json"],
        env=env,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    settings = Settings(_env_file=None, data_dir=data, docs_dir=KB2_DOCS)  # type: ignore[call-arg]
    return AssistantPipeline(build_components(settings, embedder=e5)), summary


def _text_of(source: str) -> str:
    from ingestion.loaders import load_document

    path = KB2_DOCS / source
    return load_document(path, KB2_DOCS, path.read_bytes()).markdown


def test_every_kb2_document_is_ingested_by_the_cli(kb2: tuple[AssistantPipeline, Any]) -> None:
    _, summary = kb2
    files = sorted(  # every file but the company's profile, which is not a document
        p.relative_to(KB2_DOCS).as_posix()
        for p in KB2_DOCS.rglob("*")
        if p.is_file() and p.name != PROFILE_NAME
    )
    assert summary["failed"] == []
    assert sorted(summary["added"]) == files
    assert {Path(f).suffix for f in files} >= {".md", ".txt", ".html", ".pdf", ".docx"}
    assert summary["chunks"] >= len(files)


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("忘了登录密码怎么找回", "短信验证码"),
        ("how can I make a complaint", "tousu@qinglanfund.com.cn"),
        ("017302第一次买最少多少钱", "500万元"),
    ],
)
def test_kb2_questions_are_answered_from_kb2_documents(
    kb2: tuple[AssistantPipeline, dict[str, Any]], question: str, fact: str
) -> None:
    pipeline, summary = kb2
    reply = pipeline.handle(TurnRequest(message=question))
    assert reply.route == "answered" and reply.citations
    assert {c.source for c in reply.citations} <= set(summary["added"])
    assert fact in reply.answer


def test_a_fund_named_by_its_kb2_code_is_answered_from_that_funds_documents(
    kb2: tuple[AssistantPipeline, dict[str, Any]],
) -> None:
    """Issue 11 item 2: answered from the hybrid fund's document (韩知微) until the catalog read
    the codes standing after share-class labels in a table row (session 7)."""
    pipeline, _ = kb2
    reply = pipeline.handle(TurnRequest(message="013970的基金经理是谁"))
    assert reply.route == "answered" and reply.citations
    assert all("013970" in _text_of(c.source) for c in reply.citations)
    assert "顾屿川" in reply.answer
