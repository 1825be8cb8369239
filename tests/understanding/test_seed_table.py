"""The seed sentences in prompts/understanding/examples.v1.yaml as a regression table.

They were written as examples of each signal and of calm look-alikes; the rules must keep
firing on every positive and on none of the calm questions.
"""

from __future__ import annotations

import pytest

from assistant.understanding import Understander
from assistant.understanding.rules import load_examples
from tests.understanding.conftest import RULES_DIR, escalations

SEEDS = load_examples(RULES_DIR, "examples.v1.yaml", "signals")
POSITIVES = [(name, t) for name, texts in SEEDS.items() if name != "calm" for t in texts]
# Phrasings the rules are known to miss; kept visible here rather than deleted from the seeds.
KNOWN_MISSES = {"should i be worried enough to sell the tech fund"}


@pytest.mark.parametrize(("signal", "text"), POSITIVES)
def test_seed_fires_its_signal(understander: Understander, signal: str, text: str) -> None:
    if text in KNOWN_MISSES:
        pytest.xfail("known miss")
    assert signal in understander.understand(text).signal_names


@pytest.mark.parametrize("text", SEEDS["calm"])
def test_calm_seed_fires_nothing(understander: Understander, text: str) -> None:
    assert escalations(understander.understand(text)) == set()
