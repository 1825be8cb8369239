"""The learned emotion reader, and how its verdict combines with the cue rules.

Two classifiers (three with a v3, v4 or v5 file) read a message, all trained on real Weibo posts (SMP2020-EWECT: angry → angry,
fear → anxious, sad → negative, neutral / happy / surprise → neutral) and on the team's own
service messages (`python -m evals.train_emotion_model --write`):

- `text`: character n-gram tf-idf → logistic regression, sigmoid-calibrated (`calibrated.py`).
  It reads the pieces of words: 骗子, 垃圾, 好怕.
- `words` (a v3 file only; the served v2 has none, see the model card): jieba word uni- and
  bigram tf-idf → logistic regression (`word_grams.py`). It reads whole words and their
  neighbours: 吓 死, 不敢 出门.
- `vector`: logistic regression over the message's e5 vector, the one the understand step
  computes anyway for its seed examples and the retriever reuses (the embedder caches it, so a
  turn embeds once). It reads what the words mean: anger or fear without any cue word, sarcasm.

- `encoder` (a v4 or v5 file): e5-small's first six layers fine-tuned on the same data
  (`emotion_encoder.py`, `python -m evals.train_emotion_encoder --write`). It reads the tokens
  in their context, where the vector part sees one frozen summary. It runs only where the stack
  does (with the vector), and its file's SHA-256 must be the one the stack was fitted on.

With a vector, a `stack` (a logistic regression over the models' log-probabilities, fitted on
cross-validated predictions) gives the probabilities; without one (no embedder, or another
embedder than the weights were trained with) the text model's calibrated probabilities do. A
label other than neutral needs its probability at or above its threshold (one set per reading,
chosen by cross-validation on the training split so that calm and happy posts are rarely read
as angry or anxious); of the labels that pass, the most probable wins.

How it combines with the cues (`combine`). The cue lists were written for messages to a fund
company and are precise there, and wrong on everyday posts (on held-out Weibo posts, 18 % of calm
or happy ones read angry or anxious by cues). So:

- a message about something we serve (not out of scope): a strong cue verdict (angry or anxious
  at the rules' `strong` score) stands, as an override; otherwise the model's angry, anxious or
  negative reading stands (anger without cue words); otherwise the cue verdict (calm, or mild
  worry with a low score);
- an off-topic message (out of scope): the model's reading alone. It is reported, and the gate
  does not hand it off for emotion: an angry post about a football match gets the off-topic
  reply, not an agent (`confidence_gate.escalations`).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, Field

from assistant.understanding.calibrated import CalibratedLinear, CalibratedLinearFile
from assistant.understanding.models import EmotionVerdict, Evidence
from assistant.understanding.word_grams import GramsLinear, GramsLinearFile
from assistant.vocabulary import EMOTION_LABELS, HANDOFF_EMOTIONS, EmotionLabel

if TYPE_CHECKING:  # torch is imported only when a v4 or v5 file's reader is loaded
    from assistant.understanding.emotion_encoder import EmotionEncoder

log = logging.getLogger(__name__)

# The labels a model must earn with a threshold; anything else reads neutral.
LABELS: tuple[EmotionLabel, ...] = tuple(e for e in EMOTION_LABELS if e != "neutral")


class LinearFile(BaseModel):
    """A multinomial logistic regression: softmax(weights · x + bias)."""

    weights: list[list[float]] = Field(description="one row per class, in the file's order")
    bias: list[float]


class EncoderPartFile(BaseModel):
    """The fine-tuned e5 reader a v4 or v5 file stacks beside the others (`emotion_encoder.py`)."""

    file: str = Field(description="beside this file: the reader's float16 deltas, head and card")
    version: str
    sha256: str = Field(description="of the reader file: the stack was fitted on this one")


class EmotionModelFile(BaseModel):
    version: str = Field(description="name-date-digest: other training data, another version")
    classes: list[str]
    text: CalibratedLinearFile = Field(description="the n-gram model; its thresholds apply alone")
    words: GramsLinearFile | None = Field(None, description="over word grams (v3 on)")
    embedder: str = Field(description="the `model_name` of the embedder `vector` was trained on")
    vector: LinearFile = Field(description="over the e5 vector")
    stack: LinearFile = Field(
        description="over [log p(text), log p(words) if there is `words`, log p(vector), "
        "log p(encoder) if there is `encoder`]"
    )
    encoder: EncoderPartFile | None = Field(None, description="the fine-tuned e5 reader (v4, v5)")
    thresholds: dict[str, float] = Field(description="on the stacked probabilities")
    trained_on: list[str] = Field(default_factory=list)
    figures: dict[str, float] = Field(default_factory=dict)


def decide(probabilities: dict[str, float], thresholds: dict[str, float]) -> tuple[str, float]:
    """The most probable of the labels that reach their threshold, else neutral."""
    passing = [label for label in LABELS if probabilities[label] >= thresholds.get(label, 0.5)]
    if not passing:
        return "neutral", probabilities["neutral"]
    best = max(passing, key=lambda label: probabilities[label])
    return best, probabilities[best]


def log_softmax(z: np.ndarray) -> np.ndarray:
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


class EmotionModel:
    def __init__(self, spec: EmotionModelFile, embedder: str | None = None) -> None:
        self.spec = spec
        self.version = spec.version
        self.classes = spec.classes
        self.text = CalibratedLinear(spec.text)
        assert self.text.classes == spec.classes, "the text model's classes differ"
        self.words = GramsLinear(spec.words) if spec.words is not None else None
        # The vector part only for the embedder it was trained with; else the text model alone.
        self.uses_vector = embedder == spec.embedder
        if embedder is not None and not self.uses_vector:
            log.warning("emotion model %s wants %s, not %s", spec.version, spec.embedder, embedder)
        self._vw = np.asarray(spec.vector.weights, dtype=float)
        self._vb = np.asarray(spec.vector.bias, dtype=float)
        self._sw = np.asarray(spec.stack.weights, dtype=float)
        self._sb = np.asarray(spec.stack.bias, dtype=float)
        self.encoder: EmotionEncoder | None = None

    @classmethod
    def load(cls, path: Path, embedder: str | None = None) -> EmotionModel:
        """The model in `path`; a v4 or v5 file's fine-tuned reader is loaded beside it only when the
        stack will run (the embedder fits), since without the vector the text model reads alone."""
        spec = EmotionModelFile.model_validate_json(path.read_text(encoding="utf-8"))
        model = cls(spec, embedder)
        if spec.encoder is not None and model.uses_vector:
            model.encoder = _load_encoder(path.parent, spec.encoder, spec.classes)
        return model

    def probability(self, text: str, vector: Sequence[float] | None = None) -> dict[str, float]:
        """P(label) for normalised `text`: stacked with the vector if there is one it fits."""
        if vector is None or not self.uses_vector:
            return self.text.probability(text)
        parts = [log_softmax(self.text.decisions(text))]
        if self.words is not None:
            parts.append(log_softmax(self.words.decisions(text)))
        parts.append(log_softmax(self._vw @ np.asarray(vector, dtype=float) + self._vb))
        if self.spec.encoder is not None:
            assert self.encoder is not None, "a v4 or v5 file needs its reader (EmotionModel.load)"
            parts.append(self.encoder.log_probabilities([text])[0])
        z = self._sw @ np.concatenate(parts) + self._sb
        p = np.exp(log_softmax(z))
        return dict(zip(self.classes, (round(float(v), 4) for v in p), strict=True))

    def read(self, text: str, vector: Sequence[float] | None = None) -> EmotionVerdict:
        """The model's verdict on normalised `text` (and its e5 vector, if given)."""
        stacked = vector is not None and self.uses_vector
        thresholds = self.spec.thresholds if stacked else self.text.thresholds
        label, score = decide(self.probability(text, vector), thresholds)
        source = f"{self.version} (text+e5)" if stacked else f"{self.version} (text)"
        evidence = [Evidence(kind="model", text=source, weight=round(score, 3))]
        return EmotionVerdict(label=label, score=round(score, 3), evidence=evidence)  # type: ignore[arg-type]


def _load_encoder(folder: Path, spec: EncoderPartFile, classes: list[str]) -> EmotionEncoder:
    return _reader(folder / spec.file, spec.sha256, tuple(classes))


@cache
def _reader(path: Path, sha256: str, classes: tuple[str, ...]) -> EmotionEncoder:
    """The fine-tuned reader, checked to be the file the stack was fitted on; loaded once per
    process (every Understander the process builds shares it: its ONNX session is stateless)."""
    if hashlib.sha256(path.read_bytes()).hexdigest() != sha256:
        raise ValueError(f"{path.name} is not the reader the emotion model's stack was fitted on")
    from assistant.understanding.emotion_encoder import EmotionEncoder

    encoder = EmotionEncoder(path)
    assert tuple(encoder.classes) == classes, "the reader's classes differ from the model's"
    return encoder


def combine(
    cues: EmotionVerdict, model: EmotionVerdict, *, in_scope: bool, strong: float
) -> EmotionVerdict:
    """One verdict from the cue rules' and the model's (see the module docstring)."""
    if model.label == "neutral":
        return cues if in_scope else model
    both = [*cues.evidence, *model.evidence]
    if not in_scope:
        return model.model_copy(update={"evidence": both})
    if cues.label in HANDOFF_EMOTIONS and cues.score >= strong:
        return cues.model_copy(update={"evidence": both})
    return model.model_copy(update={"evidence": both})
