"""The CRF and LAC together: which candidate names to mask, learned; addresses from both.

The two models err differently. The CRF (trained here on CLUENER) knows the news set's
conventions (football clubs, companies and game characters are not people) but misses names
it has not seen; LAC (``lac_ner.py``, trained by Baidu on a far larger corpus) finds most
names but also tags transliterated clubs and places as PER. Neither alone meets the targets.
So every name either model proposes (the CRF's characters whose name probability reaches a low
seed, LAC's PER words; overlapping ones as one span) is a candidate, and a logistic regression
over what both models say about it (the CRF's marginals, LAC's tags inside and around it, the
span's shape: length, surname, script) gives the probability that it is a person's name. The
regression and its threshold were fitted on CLUENER's training split with out-of-fold CRFs
(``python -m evals.train_name_combiner --write``, ``models/README.md``); the held-out split is
measured only by ``evals.pii_bench``.

Addresses: the CRF's ADDR spans, plus LAC's LOC words continued over the nouns, numbers and
places that follow them (武侯区人民南路 + 四段 + 12号); the recognizer keeps street-level ones.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from assistant.redaction.crf_ner import CrfTagger, Span, Token, default_tagger
from assistant.redaction.lac_ner import LacModel, LacWord, default_lac
from assistant.redaction.recognizers.zh_surnames import COMPOUND_SURNAMES, SINGLE_SURNAMES

WEIGHTS_FILE = Path(__file__).parent / "models" / "name_combiner.json"
SEED = 0.2  # a CRF candidate: characters whose name probability reaches this
_NEIGHBOUR_TAGS = ("w", "v", "p", "n", "u", "c", "r", "m", "d", "LOC", "ORG", "PER", "nz", "vn")
_INSIDE_TAGS = ("ORG", "LOC", "nz", "n", "nr", "TIME", "v")
_ADDRESS_TAIL = frozenset({"LOC", "n", "m", "nz", "f", "s", "q"})
_MAX_ADDRESS = 40


@dataclass(frozen=True)
class Candidate:
    """A span some model calls a name, with what the regression reads about it."""

    start: int
    end: int
    features: dict[str, float]


def _han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _coarse(tag: str | None, edge: str) -> str:
    if tag is None:
        return edge
    return tag if tag in _NEIGHBOUR_TAGS else "other"


def _crf_runs(per: list[float]) -> list[tuple[int, int]]:
    runs, start = [], None
    for i, p in enumerate([*per, 0.0]):
        if p >= SEED and start is None:
            start = i
        elif p < SEED and start is not None:
            runs.append((start, i))
            start = None
    return runs


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without the spaces and punctuation LAC sometimes tags with a word (王秀英\\n)."""
    while start < end and not (text[start].isalnum() or text[start] in "·•‧"):
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in "·•‧"):
        end -= 1
    return start, end


def _union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def candidates(text: str, words: list[LacWord], per: list[float]) -> list[Candidate]:
    """Every span the CRF (``per``: each character's name probability) or LAC proposes."""
    lac_people = [_trimmed(text, w.start, w.end) for w in words if w.tag == "PER"]
    char_tag = [""] * len(text)
    for w in words:
        char_tag[w.start : w.end] = [w.tag] * (w.end - w.start)
    out = []
    for start, end in _union([s for s in _crf_runs(per) + lac_people if s[0] < s[1]]):
        span, probs, n = text[start:end], per[start:end], end - start
        tags = char_tag[start:end]
        prev_word = next((w for w in words if w.end == start), None)
        next_word = next((w for w in words if w.start == end), None)
        prev_tag = prev_word.tag if prev_word else None
        next_tag = next_word.tag if next_word else None
        lac_frac = sum(t == "PER" for t in tags) / n
        crf_mean = sum(probs) / n
        f = {
            "bias": 1.0,
            "crf_mean": crf_mean,
            "crf_max": max(probs),
            "crf_min": min(probs),
            "lac_frac": lac_frac,
            "lac_exact": float((start, end) in lac_people),
            "crf_x_lac": crf_mean * lac_frac,
            f"len={min(n, 5)}": 1.0,
            "surname": float(span[0] in SINGLE_SURNAMES),
            "surname2": float(span[:2] in COMPOUND_SURNAMES),
            "han_only": float(all(_han(c) for c in span)),
            "latin": float(any(c.isascii() and c.isalpha() for c in span)),
            "dot": float(any(c in "·•‧" for c in span)),
            f"prev={_coarse(prev_tag, '^')}": 1.0,
            f"next={_coarse(next_tag, '$')}": 1.0,
        }
        for tag in _INSIDE_TAGS:
            f[f"in_{tag}"] = sum(t == tag for t in tags) / n
        for ch in span:  # the characters themselves: surnames, transliteration syllables
            f[f"ch={ch}"] = f.get(f"ch={ch}", 0.0) + 1.0 / n
        f[f"first={span[0]}"] = 1.0
        f[f"prevc={text[start - 1] if start else '^'}"] = 1.0
        f[f"nextc={text[end] if end < len(text) else '$'}"] = 1.0
        f[f"prevw={text[prev_word.start : prev_word.end] if prev_word else '^'}"] = 1.0
        f[f"nextw={text[next_word.start : next_word.end] if next_word else '$'}"] = 1.0
        out.append(Candidate(start, end, f))
    return out


def lac_addresses(text: str, words: list[LacWord]) -> list[tuple[int, int]]:
    """LAC's LOC words continued over the nouns, numbers and places right after them."""
    out = []
    i = 0
    while i < len(words):
        if words[i].tag != "LOC":
            i += 1
            continue
        start, j = words[i].start, i + 1
        while (
            j < len(words)
            and words[j].tag in _ADDRESS_TAIL
            and words[j].end - start <= _MAX_ADDRESS
        ):
            j += 1
        out.append(_trimmed(text, start, words[j - 1].end))
        i = j
    return out


class CombinedTagger:
    """Names: candidates of both models kept by the regression. Addresses: both models'."""

    def __init__(self, crf: CrfTagger, lac: LacModel, weights: dict[str, object]) -> None:
        self.crf, self.lac = crf, lac
        self.coef: dict[str, float] = weights["coef"]  # type: ignore[assignment]
        self.threshold = float(weights["threshold"])  # type: ignore[arg-type]
        self.use_lac_addresses = bool(weights.get("lac_addresses", True))

    def probability(self, candidate: Candidate) -> float:
        z = sum(self.coef.get(k, 0.0) * v for k, v in candidate.features.items())
        return 1.0 / (1.0 + math.exp(-z))

    def analyse(self, text: str, tokens: list[Token]) -> tuple[list[Candidate], list[Span]]:
        """(name candidates, the CRF's address spans plus LAC's) of a text."""
        tags, probs = self.crf.probabilities(text, tokens)
        addresses = [s for s in self.crf.decode(text, tags, probs) if s.entity_type == "ADDRESS"]
        words = self.lac.words(text)
        if self.use_lac_addresses:
            addresses += [Span("ADDRESS", s, e, 0.5) for s, e in lac_addresses(text, words)]
        return candidates(text, words, probs["PER"]), addresses

    def spans(self, text: str, tokens: list[Token]) -> list[Span]:
        if not text:
            return []
        found, addresses = self.analyse(text, tokens)
        people = []
        for candidate in found:
            p = self.probability(candidate)
            if p >= self.threshold:
                people.append(Span("PERSON", candidate.start, candidate.end, p))
        return people + addresses


class LacTagger:
    """LAC alone (for the benchmark's comparison): its PER words and its continued places."""

    def __init__(self, lac: LacModel) -> None:
        self.lac = lac

    def spans(self, text: str, tokens: list[Token]) -> list[Span]:
        words = self.lac.words(text)
        people = [Span("PERSON", w.start, w.end, 1.0) for w in words if w.tag == "PER"]
        return people + [Span("ADDRESS", s, e, 0.5) for s, e in lac_addresses(text, words)]


@cache
def default_lac_tagger() -> LacTagger:
    return LacTagger(default_lac())


def load_weights() -> dict[str, object]:
    return json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@cache
def default_combined_tagger() -> CombinedTagger:
    """The shipped CRF, the installed LAC model and the fitted regression, loaded once."""
    return CombinedTagger(default_tagger(), default_lac(), load_weights())
