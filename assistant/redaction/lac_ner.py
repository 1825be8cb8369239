"""Baidu LAC's lexical-analysis model, run with numpy: people's names (PER) and places (LOC).

Why LAC: its BiGRU-CRF (PyPI ``LAC==2.1.2``, Apache-2.0, Baidu NLP) was trained on a large
news-heavy corpus for segmentation, part of speech and PER/LOC/ORG/TIME. On CLUENER's training
split, which it never saw, it finds far more people's names than the CRF trained here
(``models/README.md`` has the figures). Its package needs PaddlePaddle, whose pins would break
this project's environment, so this module re-implements the model's inference (LAC's own
word segmentation into dictionary words and characters, the embedding, two bidirectional GRU
layers, the emission layer and the CRF's Viterbi decoding) and reads the trained parameter
files from the installed package: ``make install`` installs ``LAC==2.1.2`` without its
dependencies, pinned by hash (``requirements-lac.txt``), and nothing of it is imported. The
network (two bi-GRU layers and the emission layer) is built from those parameters as an ONNX
graph and run by onnxruntime: a GRU stepped in Python cost ~25 µs a token and layer, the whole
message's budget on a long one. ``evals/lac_parity.py`` checks the output tag for tag against
PaddlePaddle's.
"""

from __future__ import annotations

import importlib.util
import struct
from dataclasses import dataclass
from functools import cache
from math import log
from pathlib import Path

import numpy as np
import numpy.typing as npt
import onnxruntime as ort

Array = npt.NDArray[np.float32]
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_LAYERS = 2
_FP32 = 5  # paddle's VarType.FP32


class LacModelMissing(RuntimeError):
    """The LAC package's model files are not installed (``make install`` installs them)."""


def lac_model_dir() -> Path:
    """``lac_model/`` of the installed LAC package, found without importing it (its
    ``__init__`` imports PaddlePaddle, which is not installed)."""
    spec = importlib.util.find_spec("LAC")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        if (Path(location) / "lac_model/model/word_emb").exists():
            return Path(location) / "lac_model"
    raise LacModelMissing("LAC==2.1.2 is not installed: run make install (requirements-lac.txt)")


def _varint(data: bytes, i: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def read_paddle_tensor(path: Path) -> Array:
    """One parameter file as paddle saves it: versions, LoD, a TensorDesc protobuf (data type
    and dims), then the raw little-endian values."""
    data = path.read_bytes()
    i = 4
    (lod_levels,) = struct.unpack_from("<Q", data, i)
    i += 8
    for _ in range(lod_levels):
        (size,) = struct.unpack_from("<Q", data, i)
        i += 8 + size
    (desc_size,) = struct.unpack_from("<i", data, i + 4)
    desc, i = data[i + 8 : i + 8 + desc_size], i + 8 + desc_size
    dtype: int | None = None
    dims: list[int] = []
    j = 0
    while j < len(desc):
        key, j = _varint(desc, j)
        if key & 7 == 0:  # a varint field: 1 = data type, 2 = one dimension
            value, j = _varint(desc, j)
            dtype, dims = (value, dims) if key >> 3 == 1 else (dtype, [*dims, value])
        else:  # packed dimensions
            size, j = _varint(desc, j)
            end, j = j + size, j
            while j < end:
                value, j = _varint(desc, j)
                dims.append(value)
    if dtype != _FP32:
        raise ValueError(f"{path.name}: data type {dtype}, expected FP32")
    return np.frombuffer(data, "<f4", offset=i).reshape(dims).copy()


def _pairs(path: Path) -> list[tuple[str, str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        terms = line.split("\t")
        if len(terms) == 2:
            out.append((terms[0], terms[1]))
    return out


class Segmenter:
    """LAC's ``Segment.fast_cut``: the best path through a dictionary DAG (scored, as LAC
    does, by the log of each word's length), runs of single ASCII letters or digits joined."""

    def __init__(self, dictionary: Path) -> None:
        self.words: dict[str, int | None] = {}
        total = 0
        for line in dictionary.read_text(encoding="utf-8").splitlines():
            word, count = line.strip().split(" ")
            total += int(count)
            self.words[word] = len(word)
            for k in range(1, len(word)):
                self.words.setdefault(word[:k], None)
        self.log_total = log(total)

    def cut(self, text: str) -> list[str]:
        n, words = len(text), self.words
        route: dict[int, tuple[float, int]] = {n: (0.0, 0)}
        for head in range(n - 1, -1, -1):
            ends, end = [head], head + 1
            while end <= n and text[head:end] in words:
                if words[text[head:end]]:
                    ends.append(end - 1)
                end += 1
            route[head] = max(
                (log(words.get(text[head : e + 1]) or 1) - self.log_total + route[e + 1][0], e)
                for e in ends
            )
        out, buffer, i = [], "", 0
        while i < n:
            end = route[i][1] + 1
            word = text[i:end]
            if len(word) == 1 and word in _ASCII_ALNUM:
                buffer += word
            else:
                out += [buffer, word] if buffer else [word]
                buffer = ""
            i = end
        return [*out, buffer] if buffer else out


@dataclass(frozen=True)
class LacWord:
    """One word of LAC's output: offsets into the text and its tag (PER, LOC, ORG, TIME, or
    a part of speech such as n, v, nz, w)."""

    start: int
    end: int
    tag: str


class LacModel:
    """The lexical-analysis model: ``words(text)`` is what ``LAC(mode='lac').run`` returns."""

    def __init__(self, model_dir: Path) -> None:
        conf = model_dir / "conf"
        self.vocab = {word: int(i) for i, word in _pairs(conf / "word.dic")}
        self.oov = self.vocab["OOV"]
        self.replace = dict(_pairs(conf / "q2b.dic"))
        labels = dict(_pairs(conf / "tag.dic"))  # later lines win: 16 is PER-B, not nr-B
        self.labels = [labels[str(i)] for i in range(len(labels))]
        self.segmenter = Segmenter(conf / "small_seg.dic")
        p = {
            f.name: read_paddle_tensor(f)
            for f in (model_dir / "model").iterdir()
            if f.name != "__model__"
        }
        self.embedding = p["word_emb"]
        self.session = _session(p)
        crf = p["crfw"]
        self.start, self.stop, self.transitions = crf[0], crf[1], crf[2:]

    def ids(self, text: str) -> tuple[list[int], list[int]]:
        """Token ids (a dictionary word, else its characters) and each token's length."""
        ids, lengths = [], []
        for word in self.segmenter.cut(text):
            pieces = [word] if word in self.vocab else list(word)
            for piece in pieces:
                ids.append(self.vocab.get(self.replace.get(piece, piece), self.oov))
                lengths.append(len(piece))
        return ids, lengths

    def emissions(self, ids: list[int]) -> Array:
        """The emission scores of every token: the network run by onnxruntime."""
        embedded = self.embedding[ids][:, None, :]
        (out,) = self.session.run(None, {"embedded": embedded})
        return np.asarray(out, dtype=np.float32)

    def viterbi(self, emissions: Array) -> list[int]:
        score = self.start + emissions[0]
        back = []
        columns = np.arange(self.transitions.shape[1])
        for t in range(1, len(emissions)):
            candidates = score[:, None] + self.transitions
            best = candidates.argmax(0)
            back.append(best)
            score = candidates[best, columns] + emissions[t]
        best = [int((score + self.stop).argmax())]
        for pointers in reversed(back):
            best.append(int(pointers[best[-1]]))
        return best[::-1]

    def token_tags(self, text: str) -> tuple[list[int], list[int]]:
        """(tag id of every token, length of every token) of a non-empty text."""
        ids, lengths = self.ids(text)
        return self.viterbi(self.emissions(ids)), lengths

    def words(self, text: str) -> list[LacWord]:
        """LAC's words with their tags: a B- tag starts a word, I- tags continue it."""
        if not text:
            return []
        tags, lengths = self.token_tags(text)
        out: list[LacWord] = []
        offset = 0
        for tag_id, length in zip(tags, lengths, strict=True):
            label = self.labels[tag_id]
            kind = label[:-2] if label != "O" else "O"
            if out and not label.endswith("-B") and label != "O":
                last = out[-1]
                out[-1] = LacWord(last.start, offset + length, kind)
            else:
                out.append(LacWord(offset, offset + length, kind))
            offset += length
        return out


def _gru_weights(p: dict[str, Array], layer: int) -> tuple[Array, Array, Array]:
    """ONNX ``GRU`` inputs W, R, B (both directions) from paddle's fc + ``dynamic_gru`` pairs.

    paddle (``origin_mode=False``): u, r = sigmoid(x W_ur + b + h U_ur); c = tanh(x W_c + b_c
    + (r * h) U_c); h' = u * c + (1 - u) * h, where the weight (H, 3H) holds U_ur (H, 2H) then
    U_c (H, H). ONNX (``linear_before_reset=0``, gates z r h): h' = (1 - z) * c + z * h, so
    z = 1 - u = sigmoid(-(...)): the update gate's weights and bias enter negated.
    """
    ws, rs, bs = [], [], []
    for name in (2 * layer, 2 * layer + 1):  # forward, then reverse
        fc_w, fc_b = p[f"fc_{name}.w_0"], p[f"fc_{name}.b_0"].reshape(-1)
        gru_b = p[f"gru_{name}.b_0"].reshape(-1)
        hidden = p[f"gru_{name}.w_0"].shape[0]
        flat = p[f"gru_{name}.w_0"].reshape(-1)
        u_ur = flat[: 2 * hidden * hidden].reshape(hidden, 2 * hidden)
        u_c = flat[2 * hidden * hidden :].reshape(hidden, hidden)
        sign = np.concatenate([-np.ones(hidden), np.ones(2 * hidden)]).astype(np.float32)
        ws.append(fc_w.T * sign[:, None])
        rs.append(np.concatenate([u_ur.T, u_c.T]) * sign[:, None])
        bs.append(np.concatenate([(fc_b + gru_b) * sign, np.zeros(3 * hidden, np.float32)]))
    return np.stack(ws), np.stack(rs), np.stack(bs)


def _network(p: dict[str, Array]) -> bytes:
    """The two bidirectional GRU layers and the emission layer as one ONNX graph: input the
    embedded tokens (T, 1, 128), output the emissions (T, tags)."""
    from onnx import TensorProto, helper, numpy_helper

    hidden = p["gru_0.w_0"].shape[0]
    nodes, inits = [], []
    source = "embedded"
    for layer in range(_LAYERS):
        w, r, b = _gru_weights(p, layer)
        names = [f"W{layer}", f"R{layer}", f"B{layer}"]
        inits += [
            numpy_helper.from_array(a.astype(np.float32), n)
            for a, n in zip((w, r, b), names, strict=True)
        ]
        nodes += [
            helper.make_node(
                "GRU",
                [source, *names],
                [f"Y{layer}"],
                hidden_size=hidden,
                direction="bidirectional",
                linear_before_reset=0,
            ),
            helper.make_node("Transpose", [f"Y{layer}"], [f"T{layer}"], perm=[0, 2, 1, 3]),
            helper.make_node("Reshape", [f"T{layer}", "joined"], [f"H{layer}"]),
        ]
        source = f"H{layer}"
    inits += [
        numpy_helper.from_array(np.array([0, 1, 2 * hidden], np.int64), "joined"),
        numpy_helper.from_array(np.array([-1, 2 * hidden], np.int64), "flat"),
        numpy_helper.from_array(p["fc_4.w_0"], "out_w"),
        numpy_helper.from_array(p["fc_4.b_0"].reshape(-1), "out_b"),
    ]
    nodes += [
        helper.make_node("Reshape", [source, "flat"], ["features"]),
        helper.make_node("MatMul", ["features", "out_w"], ["scores"]),
        helper.make_node("Add", ["scores", "out_b"], ["emissions"]),
    ]
    dims = p["word_emb"].shape[1]
    graph = helper.make_graph(
        nodes,
        "lac",
        [helper.make_tensor_value_info("embedded", TensorProto.FLOAT, ["T", 1, dims])],
        [helper.make_tensor_value_info("emissions", TensorProto.FLOAT, ["T", p["fc_4.b_0"].size])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return bytes(model.SerializeToString())


def _session(p: dict[str, Array]) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return ort.InferenceSession(_network(p), options, providers=["CPUExecutionProvider"])


@cache
def default_lac() -> LacModel:
    """The installed LAC model, loaded once per process (~0.3 s, 31 MB of parameters)."""
    return LacModel(lac_model_dir())
