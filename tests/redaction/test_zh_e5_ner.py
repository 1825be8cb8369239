"""The e5 tagger (e5's top layers fine-tuned on CLUENER, ``e5_ner.py``): names in every
position, addresses with and without a cue, hard negatives; the stored file is the one its
card describes, and onnxruntime runs the same network as torch."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from assistant.encoder.onnx import Smoothing, onnx_session, run, smoothed, word_vectors
from assistant.redaction.e5_ner import (
    CARD_FILE,
    LABELS,
    MODEL_FILE,
    decode,
    default_e5_tagger,
    load_card,
    per_character,
)

NAMES = [
    # a name in every position: after a cue, a third party, a relative, alone, first, in news
    ("我叫王刚", ["王刚"]),
    ("你好我是陈刚", ["陈刚"]),
    ("帮我查一下张伟的账户", ["张伟"]),
    ("我妈刘桂芳的账户也要改", ["刘桂芳"]),
    ("王秀英\n手机号换了", ["王秀英"]),
    ("我想找李建国", ["李建国"]),
    ("请让赵德明给我回个电话", ["赵德明"]),
    ("浙商银行企业信贷部叶老桂博士则从另一个角度进行了解读", ["叶老桂"]),
    ("昨天郭晓东陪他父亲来营业部办理了开户", ["郭晓东"]),
    ("郭晓东昨天来营业部办理了开户", ["郭晓东"]),
]
ADDRESSES = [
    ("家庭住址四川省成都市武侯区人民南路四段12号", ["四川省成都市武侯区人民南路四段12号"]),
    ("请把对账单寄到上海市浦东新区世纪大道100号", ["上海市浦东新区世纪大道100号"]),
]
NOTHING = [
    # hard negatives: fund names, companies, places alone, business numbers
    "易方达蓝筹精选混合怎么样",
    "华夏基金管理有限公司的客服电话是多少",
    "百度是一家高科技公司",
    "辽宁省的分红怎么交税",
    "请问161610今天净值多少",
    "领先成长混合C类的赎回费",
]


@pytest.fixture(scope="module")
def tagger():
    return default_e5_tagger()


def found(tagger, text: str, entity: str) -> list[str]:
    return [text[s.start : s.end] for s in tagger.spans(text) if s.entity_type == entity]


@pytest.mark.parametrize(("text", "expected"), NAMES)
def test_names_wherever_they_stand(tagger, text: str, expected: list[str]) -> None:
    assert found(tagger, text, "PERSON") == expected


@pytest.mark.parametrize(("text", "expected"), ADDRESSES)
def test_addresses(tagger, text: str, expected: list[str]) -> None:
    assert found(tagger, text, "ADDRESS") == expected


@pytest.mark.parametrize("text", NOTHING)
def test_hard_negatives_are_no_one(tagger, text: str) -> None:
    assert found(tagger, text, "PERSON") == []


def test_a_fund_manager_is_a_name_to_the_tagger(tagger) -> None:
    # public names stay readable by the redactor's allow_names, not by the tagger
    assert found(tagger, "基金经理为刘思远，管理领先成长混合", "PERSON") == ["刘思远"]


def test_onnxruntime_runs_the_same_network_as_torch(tagger) -> None:
    # the exported graph in float: torch's outputs to 1e-4
    float_session = onnx_session(tagger.network, word_vectors(tagger.encoder, [0, 6, 2]))
    for text in ("我叫王刚", "那不勒斯vs锡耶纳以及桑普vs热那亚之上呢？", NAMES[7][0]):
        vectors = word_vectors(tagger.encoder, tagger.tokenizer.encode(text).ids)
        float_probs = run(float_session, tagger.network, vectors, "onnx")
        assert np.abs(float_probs - run(None, tagger.network, vectors, "torch")).max() < 1e-4


def test_int8_weights_read_the_same_names_as_float(tagger) -> None:
    # the shipped session has int8 weights (the card's int8_keep_float: all but the head, the
    # feed-forward inputs smoothed): close to torch's float probabilities, and the same names
    # and addresses at the card's thresholds
    assert load_card().get("int8_keep_float") == ["head"]
    for text, _ in NAMES + ADDRESSES:
        spans, int8 = tagger.probabilities(text)
        same, torch_probs = tagger.probabilities(text, engine="torch")
        assert spans == same
        assert 1e-4 < np.abs(int8 - torch_probs).max() < 0.2  # int8 indeed, and close
        for kind in ("name", "address"):
            threshold = tagger.thresholds[kind]
            assert [(s, e) for s, e, _ in decode(spans, int8, kind, threshold)] == [
                (s, e) for s, e, _ in decode(spans, torch_probs, kind, threshold)
            ]


def test_smoothing_leaves_the_float_network_unchanged(tagger) -> None:
    # SmoothQuant moves a scale from the activations into the weights: in float the product
    # and so the probabilities are torch's, whatever the maxima
    card = load_card()
    maxima = card["int8_smooth"]
    assert sorted(maxima) == [f"/layer.{i}/intermediate/" for i in range(card["layers"])]
    odd = {part: [float(1 + (i % 7) * 9) for i in range(384)] for part in maxima}
    for smooth in (maxima, odd):
        session = onnx_session(
            tagger.network, word_vectors(tagger.encoder, [0, 6, 2]), None, [Smoothing(smooth)]
        )
        for text in ("我叫王刚", NAMES[7][0], ADDRESSES[0][0]):
            vectors = word_vectors(tagger.encoder, tagger.tokenizer.encode(text).ids)
            probs = run(session, tagger.network, vectors, "onnx")
            assert np.abs(probs - run(None, tagger.network, vectors, "torch")).max() < 1e-4


def test_smoothing_refuses_a_matrix_it_cannot_find() -> None:
    import onnx

    empty = onnx.helper.make_model(onnx.helper.make_graph([], "empty", [], []))
    with pytest.raises(ValueError, match="0 MatMul nodes"):
        smoothed(empty.SerializeToString(), [Smoothing({"/layer.9/intermediate/": [1.0]})])


def test_smoothing_refuses_matrices_that_read_different_inputs() -> None:
    # one scale divides one input: two matrices may share it only if they read the same tensor
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    weight = numpy_helper.from_array(np.eye(2, dtype=np.float32), "w")
    graph = helper.make_graph(
        [
            helper.make_node("MatMul", ["x", "w"], ["a"], name="/layer.0/mix/a"),
            helper.make_node("MatMul", ["a", "w"], ["b"], name="/layer.0/mix/b"),
        ],
        "two",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2])],
        [helper.make_tensor_value_info("b", TensorProto.FLOAT, [1, 2])],
        [weight],
    )
    model = onnx.helper.make_model(graph).SerializeToString()
    with pytest.raises(ValueError, match="2 MatMul nodes"):
        smoothed(model, [Smoothing({"/layer.0/mix/": [1.0, 1.0]})])
    assert smoothed(model, [Smoothing({"/layer.0/mix/a": [1.0, 1.0]})])


def test_a_long_text_is_read_in_windows_with_its_offsets(tagger) -> None:
    text = "今天天气很好。" * 80 + "帮我查一下张伟的账户"
    assert len(text) > 500
    assert found(tagger, text, "PERSON") == ["张伟"]


def test_the_file_is_the_one_its_card_describes() -> None:
    card = json.loads(CARD_FILE.read_text(encoding="utf-8"))
    assert "CLUENER2020" in card["source"] and "licence" in card
    assert hashlib.sha256(MODEL_FILE.read_bytes()).hexdigest() == card["sha256"]
    assert card["labels"] == list(LABELS)
    assert MODEL_FILE.stat().st_size < 10_000_000  # the trained layers and a head, float16


def test_decode_splits_where_a_piece_begins_a_new_name() -> None:
    probs = np.zeros((5, len(LABELS)))
    b, i = LABELS.index("B-name"), LABELS.index("I-name")
    probs[:, 0] = 1.0
    for row, (pb, pi) in enumerate([(0.9, 0.05), (0.1, 0.8), (0.7, 0.2), (0.0, 0.0), (0.2, 0.1)]):
        probs[row, [0, b, i]] = [1 - pb - pi, pb, pi]
    spans = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)]
    assert [(s, e) for s, e, _ in decode(spans, probs, "name", 0.5)] == [(0, 2), (2, 3)]
    assert [(s, e) for s, e, _ in decode(spans, probs, "name", 0.95)] == [(0, 1)]


def test_per_character_spreads_a_piece_over_its_characters() -> None:
    probs = np.zeros((3, len(LABELS)))
    probs[1, LABELS.index("B-name")] = 0.6
    probs[1, LABELS.index("I-name")] = 0.3
    chars = per_character(4, [(0, 0), (1, 3), (0, 0)], probs)
    assert chars["name"] == pytest.approx([0.0, 0.9, 0.9, 0.0])
    assert chars["address"] == [0.0] * 4


def test_the_combiner_reads_e5s_names_as_candidates_and_features() -> None:
    from assistant.redaction.name_features import KINDS_E5, candidates

    text = "梅西今天进了两个球"
    e5 = {kind: [0.0] * len(text) for kind in KINDS_E5}
    e5["name"][0:2] = [0.95, 0.9]
    e5["organization"][0:2] = [0.02, 0.04]
    without = candidates(text, [], [0.0] * len(text))
    found = candidates(text, [], [0.0] * len(text), e5=e5)
    assert without == [] and [(c.start, c.end) for c in found] == [(0, 2)]
    features = found[0].features
    assert features["e5_max"] == 0.95 and features["e5_min"] == 0.9
    assert features["e5_organization"] == pytest.approx(0.03)
    assert features["e5_after"] == 0.0


def test_e5_addresses_are_runs_of_characters_at_the_threshold() -> None:
    from assistant.redaction.name_combiner import e5_addresses

    e5 = {"address": [0.1, 0.6, 0.8, 0.4, 0.9]}
    assert e5_addresses(e5, 0.5) == [(1, 3), (4, 5)]
    assert e5_addresses(e5, 0.3) == [(1, 5)]


def test_the_combiner_knows_every_kind_the_tagger_gives() -> None:
    from assistant.redaction.e5_ner import KINDS
    from assistant.redaction.name_features import KINDS_E5

    assert sorted(KINDS_E5) == sorted(KINDS)
