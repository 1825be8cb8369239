"""A character CRF that tags Chinese people's names and addresses (trained by evals.train_ner).

Why a CRF: names are open-class (no list holds them) and mostly stand without a trigger word
in real text (a relative, a third party, a name alone on a line), so a statistical tagger over
characters is needed; a linear-chain CRF over character n-grams and jieba word features is
small (a few MB), loads in milliseconds and tags a message in well under a millisecond, where
a neural pipeline would cost tens of milliseconds per message on a shared CPU. The model
comparison and figures are in ``models/README.md``.

Features per character: the character and its neighbours (±2) and bigrams; its class (Han,
digit, Latin, punctuation); whether it can start a surname; and the jieba word it falls in
(position B/M/E/S, length, the dictionary's part-of-speech tag or "unknown" — jieba's own
HMM coins unknown words, and unknown words are where new names are), plus the words before
and after. The same segmentation (presidio's spaCy ``zh`` pipeline with jieba) is used at
training and at run time.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jieba.posseg
import pycrfsuite
from spacy.tokens import Doc

from assistant.redaction.lac_ner import LacWord
from assistant.redaction.recognizers.zh_surnames import COMPOUND_SURNAMES, SINGLE_SURNAMES

MODEL_DIR = Path(__file__).parent / "models"
MODEL_FILE = MODEL_DIR / "zh_ner.crfsuite"
META_FILE = MODEL_DIR / "zh_ner.json"
STACKED_FILE = MODEL_DIR / "zh_ner_stacked.crfsuite"  # with LAC's words as features
STACKED_META_FILE = MODEL_DIR / "zh_ner_stacked.json"
LABELS = {"PER": "PERSON", "ADDR": "ADDRESS"}

Token = tuple[int, int]  # start, end offsets of one jieba word


def char_class(ch: str) -> str:
    """A coarse class: Han, digit, Latin letter, space, or other (punctuation)."""
    if "\u4e00" <= ch <= "\u9fff":
        return "H"
    if ch.isdigit():
        return "D"
    if ch.isascii() and ch.isalpha():
        return "L"
    return "S" if ch.isspace() else "P"


def word_tag(word: str) -> str:
    tag = jieba.posseg.dt.word_tag_tab.get(word)
    return tag if tag is not None else ("unk" if len(word) > 1 else "chr")


def char_features(
    text: str, tokens: list[Token], lac: list[LacWord] | None = None
) -> list[list[str]]:
    """The feature strings of every character of ``text``; ``tokens`` cover it in order.
    With ``lac`` (LAC's words of the same text), LAC's reading of each character too."""
    padded = "\x02\x02" + text + "\x03\x03"
    per_char: list[list[str]] = [[] for _ in text]
    words = [text[s:e] for s, e in tokens]
    for k, (start, end) in enumerate(tokens):
        word = words[k]
        shared = [
            f"wt={word_tag(word)}",
            f"wl={min(len(word), 4)}",
            f"pw={words[k - 1] if k else '^'}",
            f"nw={words[k + 1] if k + 1 < len(words) else '$'}",
        ]
        for i in range(start, end):
            position = (
                "S" if end - start == 1 else "B" if i == start else "E" if i == end - 1 else "M"
            )
            per_char[i] = [f"wp={position}", f"wp{position}t={shared[0][3:]}", *shared]
    for i, ch in enumerate(text):
        j = i + 2
        feats = per_char[i]
        feats += [
            "b",
            f"c={ch}",
            f"c-1={padded[j - 1]}",
            f"c+1={padded[j + 1]}",
            f"c-2={padded[j - 2]}",
            f"c+2={padded[j + 2]}",
            f"c-1c={padded[j - 1 : j + 1]}",
            f"cc+1={padded[j : j + 2]}",
            f"c-2c-1={padded[j - 2 : j]}",
            f"c+1c+2={padded[j + 1 : j + 3]}",
            f"k={char_class(ch)}{char_class(padded[j - 1])}{char_class(padded[j + 1])}",
        ]
        if ch in SINGLE_SURNAMES:
            feats.append("sur")
        if padded[j : j + 2] in COMPOUND_SURNAMES:
            feats.append("sur2")
    if lac is not None:
        _add_lac_features(text, lac, per_char)
    return per_char


def _add_lac_features(text: str, lac: list[LacWord], per_char: list[list[str]]) -> None:
    """Stacking: LAC's tag of the word each character falls in (PER, LOC, ORG, a part of
    speech) with the character's position in it, and the tags and words around that word.
    LAC was trained on a far larger corpus; the CRF learns when to trust it on this data."""
    for k, word in enumerate(lac):
        before = lac[k - 1] if k else None
        after = lac[k + 1] if k + 1 < len(lac) else None
        shared = [
            f"lt={word.tag}",
            f"lpt={before.tag if before else '^'}",
            f"lnt={after.tag if after else '$'}",
            f"lpw={text[before.start : before.end] if before else '^'}",
            f"lnw={text[after.start : after.end] if after else '$'}",
            f"lpt_lt={before.tag if before else '^'}_{word.tag}",
        ]
        for i in range(word.start, word.end):
            position = (
                "S"
                if word.end - word.start == 1
                else "B"
                if i == word.start
                else "E"
                if i == word.end - 1
                else "M"
            )
            per_char[i] += [f"lp={position}{word.tag}", *shared]


def bio_spans(tags: list[str]) -> list[tuple[str, int, int]]:
    """(label, start, end) of every B-/I- run; a stray I- starts a span of its own."""
    spans: list[tuple[str, int, int]] = []
    label, start = None, 0
    for i, tag in enumerate([*tags, "O"]):
        kind = tag[2:] if tag != "O" else None
        if label is not None and (tag == "O" or tag.startswith("B-") or kind != label):
            spans.append((label, start, i))
            label = None
        if kind is not None and label is None:
            label, start = kind, i
    return spans


@dataclass(frozen=True)
class Span:
    """One tagged span with the mean marginal probability of its tags (its score)."""

    entity_type: str
    start: int
    end: int
    score: float


class CrfTagger:
    """The trained CRF; ``spans`` tags a text given its jieba words.

    Decoding by marginals, with hysteresis: a character starts a name (an address) when the
    model's probability of B-PER + I-PER (B-ADDR + I-ADDR) reaches the threshold, and a span
    so started grows over neighbouring characters whose probability reaches the lower
    ``extend`` threshold. Recall is traded for precision with the first number (which
    sentences get a mask at all); the second fixes cut names (梅建 of 梅建明) without adding
    masks to new sentences. Both are chosen on the development split (``models/README.md``);
    a B- tag of the best path splits two adjacent spans.
    """

    def __init__(
        self,
        model_file: Path = MODEL_FILE,
        thresholds: dict[str, float] | None = None,
        extend: dict[str, float] | None = None,
    ) -> None:
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(model_file))
        self.thresholds = thresholds or {"PER": 0.5, "ADDR": 0.5}
        self.extend = extend or self.thresholds

    def with_thresholds(self, label: str, seed: float, extend: float) -> CrfTagger:
        """The same model decoding ``label`` at other thresholds (the file is shared)."""
        other = copy.copy(self)
        other.thresholds = {**self.thresholds, label: seed}
        other.extend = {**self.extend, label: extend}
        return other

    def probabilities(
        self,
        text: str,
        tokens: list[Token],
        lac: list[LacWord] | None = None,
        labels: tuple[str, ...] = tuple(LABELS),
        only: range | None = None,
    ) -> tuple[list[str], dict[str, list[float]]]:
        """The best path and, per label (PER, ADDR; ``labels``), each character's marginal
        probability (``lac``: LAC's words, for a model trained with them; ``only``: just
        these characters' marginals, the others 0.0, to save time)."""
        tags = self._tagger.tag(char_features(text, tokens, lac))
        marginal = self._tagger.marginal
        probs = {label: [0.0] * len(text) for label in labels}
        for i in range(len(text)) if only is None else only:
            for label in labels:
                probs[label][i] = marginal(f"B-{label}", i) + marginal(f"I-{label}", i)
        return tags, probs

    def spans(self, text: str, tokens: list[Token], lac: list[LacWord] | None = None) -> list[Span]:
        """Tagged names and addresses, scored by the model's own marginal probabilities."""
        if not text:
            return []
        tags, probs = self.probabilities(text, tokens, lac)
        return self.decode(text, tags, probs)

    def decode(self, text: str, tags: list[str], probs: dict[str, list[float]]) -> list[Span]:
        """Spans from the marginals: seeds at the threshold, grown to the ``extend`` one."""
        labels = [max(LABELS, key=lambda lab: probs[lab][i]) for i in range(len(text))]
        chosen = [
            lab if probs[lab][i] >= self.thresholds[lab] else None for i, lab in enumerate(labels)
        ]
        n = len(text)
        for i, neighbour in [
            *((i, i - 1) for i in range(1, n)),
            *((i, i + 1) for i in range(n - 2, -1, -1)),
        ]:
            lab = chosen[neighbour]  # grow rightwards, then leftwards
            if chosen[i] is None and lab is not None and labels[i] == lab and _joins(text[i]):
                chosen[i] = lab if probs[lab][i] >= self.extend[lab] else None
        return _runs(chosen, tags, probs)


def _joins(ch: str) -> bool:
    """A character a span may grow over: a letter or digit, or a name's middle dot."""
    return char_class(ch) in "HDL" or ch in "·•‧-"


def _runs(chosen: list[str | None], tags: list[str], probs: dict[str, list[float]]) -> list[Span]:
    """Maximal runs of one label (a best-path B- tag inside a run splits it), scored by their
    mean probability."""
    found: list[Span] = []
    current: tuple[str, int] | None = None
    for i in range(len(chosen) + 1):
        label = chosen[i] if i < len(chosen) else None
        split = current is not None and label == current[0] and tags[i].startswith("B-")
        if current is not None and (label != current[0] or split):
            lab, start = current
            score = sum(probs[lab][start:i]) / (i - start)
            found.append(Span(LABELS[lab], start, i, score))
            current = None
        if label is not None and current is None:
            current = (label, i)
    return found


@cache
def default_tagger() -> CrfTagger:
    """The shipped model with its chosen thresholds, loaded once per process."""
    meta = model_meta() if META_FILE.exists() else {}
    return CrfTagger(thresholds=meta.get("thresholds"), extend=meta.get("extend"))  # type: ignore[arg-type]


@cache
def default_stacked_tagger() -> CrfTagger:
    """The stacked CRF (LAC's words among its features, every CLUENER kind a label), loaded
    once per process; the regression reads its marginals (``name_combiner.py``)."""
    return CrfTagger(STACKED_FILE)


def model_meta() -> dict[str, object]:
    """The model's card (source, figures, digest), as written by the training script."""
    return json.loads(META_FILE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def doc_tokens(doc: Doc) -> list[Token]:
    """The (start, end) of every word of a spaCy doc (presidio's jieba segmentation)."""
    return [(t.idx, t.idx + len(t.text)) for t in doc]
