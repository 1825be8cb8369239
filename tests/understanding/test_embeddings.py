"""The nearest-example component with the real e5 embedder."""

from __future__ import annotations

from typing import Any

from pydantic import PrivateAttr

from assistant.index.embeddings import E5SmallEmbedding
from assistant.understanding import Understander
from tests.understanding.conftest import RULES_DIR


class CountingEmbedding(E5SmallEmbedding):
    """The real e5 embedder, counting query embeddings."""

    _calls: int = PrivateAttr(default=0)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)

    def _get_query_embedding(self, query: str) -> list[float]:
        self._calls += 1
        return super()._get_query_embedding(query)


def test_seed_examples_add_example_evidence_to_the_intent(understander_e5: Understander) -> None:
    result = understander_e5.understand("赎回的钱怎么还没到我卡上 一般要几天")
    assert understander_e5.uses_embeddings
    assert any(e.kind == "example" for e in result.intent_evidence)


def test_a_given_query_vector_is_used_instead_of_embedding_again() -> None:
    embedder = CountingEmbedding()
    understander = Understander(RULES_DIR, embedder)
    seeds = embedder._calls
    vector = embedder.get_query_embedding("app闪退了怎么办")
    understander.understand("app闪退了怎么办", query_vector=vector)
    assert embedder._calls == seeds + 1
    understander.understand("app闪退了怎么办")
    assert embedder._calls == seeds + 2


def test_examples_help_a_typo_the_rules_miss(
    understander: Understander, understander_e5: Understander
) -> None:
    text = "验正码一直收不倒"
    assert understander_e5.understand(text).intent == "technical"
    assert (
        understander.understand(text).intent_score <= understander_e5.understand(text).intent_score
    )
