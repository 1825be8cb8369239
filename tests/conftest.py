"""Shared fixtures: real parts everywhere (Chroma in tmp folders, the real e5 embedder)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from assistant.index.embeddings import E5SmallEmbedding, load_embedder
from assistant.settings import Settings

REPO = Path(__file__).resolve().parent.parent


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
