"""Understanders built once per session: rules only, and with the real e5 embedder."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.index.embeddings import E5SmallEmbedding
from assistant.understanding import Understander, Understanding

RULES_DIR = Path(__file__).resolve().parents[2] / "prompts" / "understanding"

ESCALATING_EMOTIONS = ("angry", "anxious")


@pytest.fixture(scope="session")
def understander() -> Understander:
    return Understander(RULES_DIR)


@pytest.fixture(scope="session")
def understander_e5(e5: E5SmallEmbedding) -> Understander:
    return Understander(RULES_DIR, e5)


def escalations(result: Understanding) -> set[str]:
    """What the gate would hand off for: fired signals plus strong angry / anxious."""
    fired = set(result.signal_names)
    if result.emotion.label in ESCALATING_EMOTIONS and result.emotion.score >= 0.5:
        fired.add(result.emotion.label)
    return fired
