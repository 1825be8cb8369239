"""Every fictional company's generated documents (a PDF and DOCX files, written by its
`build_docs.py` so that their bytes can be rebuilt offline) are what its builder writes: compared
as the loader reads them, since bytes may differ between library versions."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from ingestion.loaders import load_document


@pytest.mark.parametrize("company", ["kb3", "kb4", "kb5", "kb6", "kb7", "kb8", "kb9"])
def test_the_committed_pdf_and_docx_are_what_build_docs_writes(
    company: str, tmp_path: Path
) -> None:
    build_docs = importlib.import_module(f"evals.{company}.build_docs")
    assert {path.suffix for _, path in build_docs.BUILT} == {".pdf", ".docx"}
    for build, committed in build_docs.BUILT:
        rebuilt = tmp_path / committed.name
        build(rebuilt)
        assert _text(rebuilt, tmp_path) == _text(committed, build_docs.DOCS)


def _text(path: Path, root: Path) -> str:
    return load_document(path, root, path.read_bytes()).markdown
