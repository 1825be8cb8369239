"""The CRFs, LAC and e5 together: which candidate names to mask, learned; addresses from all.

The two models err differently. The CRF (trained here on CLUENER) knows the news set's
conventions (football clubs, companies and game characters are not people) but misses names
it has not seen; LAC (``lac_ner.py``, trained by Baidu on a far larger corpus) finds most
names but also tags transliterated clubs and places as PER. Neither alone meets the targets.
So every name either model proposes (the CRF's characters whose name probability reaches a low
seed, LAC's PER words; overlapping ones as one span) is a candidate, and a logistic regression
over what the models say about it (``name_features.py``: both CRFs' marginals, LAC's tags
inside and around it, the span's shape and context) gives the probability that it is a
person's name. The second CRF is stacked on LAC (LAC's words among its features) and knows
every CLUENER kind, so it says how likely a span is an organisation or a game rather than a
person. e5 fine-tuned as a tagger (``e5_ner.py``) reads the whole sentence: its name
probabilities are features and its names candidates, and its addresses join the others. The
regression, its threshold and the address thresholds were fitted on CLUENER's
training split with out-of-fold CRFs (``python -m evals.train_name_combiner --write``,
``models/README.md``); the held-out split is measured only by ``evals.pii_bench``.

Addresses: the CRF's ADDR spans (at the card's thresholds), plus LAC's LOC words continued
over the nouns, numbers and places that follow them (武侯区人民南路 + 四段 + 12号); the
recognizer merges touching ones and keeps street-level ones.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

import regex as re

from assistant.redaction.crf_ner import (
    CrfTagger,
    Span,
    Token,
    default_stacked_tagger,
    default_tagger,
)
from assistant.redaction.e5_ner import E5Tagger, default_e5_tagger
from assistant.redaction.lac_ner import LacModel, LacWord, default_lac
from assistant.redaction.latin_names import LatinNameModel, latin_words, load_latin_model
from assistant.redaction.name_features import (
    OTHER_KINDS,
    Candidate,
    E5Probs,
    candidate_spans,
    candidates,
    runs_above,
    trimmed,
)

WEIGHTS_FILE = Path(__file__).parent / "models" / "name_combiner.json"
_ADDRESS_TAIL = frozenset({"LOC", "n", "m", "nz", "f", "s", "q"})
_MAX_ADDRESS = 40
STACKED_LABELS = ("PER", *OTHER_KINDS)
# e5 is read where a character reaches this CRF name probability (``e5_window``): far below the
# candidate seed, so that a name only e5 would find is rarely in a sentence it skips.
E5_GATE = 0.01
E5_CONTEXT = 12  # characters e5 reads on either side of what it is read for
# A Latin word the Latin-name regression keeps (``latin_names.py``): a PERSON span that the
# recognizer keeps although it has no Chinese character.
LATIN_PERSON = "LATIN_PERSON"

__all__ = ["Candidate", "CombinedTagger", "candidates", "lac_addresses"]


def e5_addresses(e5: E5Probs, threshold: float) -> list[tuple[int, int]]:
    """Runs of characters e5 finds in an address at ``threshold``."""
    return runs_above(e5["address"], threshold)


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
        out.append(trimmed(text, start, words[j - 1].end))
        i = j
    return out


class CombinedTagger:
    """Names: candidates of the CRF and LAC kept by the regression, which also reads the
    stacked CRF. Addresses: the CRF's (at the card's address thresholds) and LAC's."""

    def __init__(
        self,
        crf: CrfTagger,
        lac: LacModel,
        weights: dict[str, object],
        stacked: CrfTagger | None = None,
        e5: E5Tagger | None = None,
        latin: LatinNameModel | None = None,
        street_level: re.Pattern[str] | None = None,
    ) -> None:
        self.crf, self.lac, self.stacked, self.e5 = crf, lac, stacked, e5
        self.latin = latin
        self.street_level = street_level  # given: e5 reads only where it can matter (e5_window)
        threshold = weights.get("e5_address_threshold")
        self.e5_address = float(threshold) if threshold is not None else None  # type: ignore[arg-type]
        self.coef: dict[str, float] = weights["coef"]  # type: ignore[assignment]
        self.threshold = float(weights["threshold"])  # type: ignore[arg-type]
        self.use_lac_addresses = bool(weights.get("lac_addresses", True))
        address = weights.get("address_thresholds")  # the CRF's ADDR seed and extend
        if isinstance(address, dict):
            self.crf = crf.with_thresholds("ADDR", float(address["seed"]), float(address["extend"]))

    def probability(self, candidate: Candidate) -> float:
        z = sum(self.coef.get(k, 0.0) * v for k, v in candidate.features.items())
        return 1.0 / (1.0 + math.exp(-z))

    def analyse(self, text: str, tokens: list[Token]) -> tuple[list[Candidate], list[Span]]:
        """(name candidates, the CRF's address spans plus LAC's) of a text."""
        found, addresses, _, _ = self.readings(text, tokens)
        return found, addresses

    def readings(
        self, text: str, tokens: list[Token]
    ) -> tuple[list[Candidate], list[Span], list[LacWord], E5Probs | None]:
        """``analyse``'s two lists, plus LAC's words and e5's probabilities (which the
        Latin-name regression reads too)."""
        tags, probs = self.crf.probabilities(text, tokens)
        addresses = [s for s in self.crf.decode(text, tags, probs) if s.entity_type == "ADDRESS"]
        words = self.lac.words(text)
        if self.use_lac_addresses:
            addresses += [Span("ADDRESS", s, e, 0.5) for s, e in lac_addresses(text, words)]
        window = self.e5_window(text, probs["PER"], words) if self.e5 is not None else None
        e5 = self.e5_within(text, *window) if window is not None else None
        if e5 is not None and self.e5_address is not None:
            addresses += [Span("ADDRESS", s, e, 0.5) for s, e in e5_addresses(e5, self.e5_address)]
        stacked = None
        spans = candidate_spans(text, words, probs["PER"], e5)
        if self.stacked is not None and spans:  # its marginals only where a candidate is
            only = range(spans[0][0], spans[-1][1])
            _, stacked = self.stacked.probabilities(text, tokens, words, STACKED_LABELS, only)
        found = candidates(text, words, probs["PER"], stacked, spans, e5)
        return found, addresses, words, e5

    def e5_window(
        self, text: str, per: list[float], words: list[LacWord]
    ) -> tuple[int, int] | None:
        """The part of ``text`` e5 reads, or None. e5 is read where the CRF gives a character
        name probability ``E5_GATE`` or LAC a PER word, where a Latin word stands (the
        Latin-name regression reads e5), or where a street-level word does (e5's addresses
        are kept only when street-level), and only from ``E5_CONTEXT`` characters before the
        first of these to as many after the last. Elsewhere e5 could only add a name neither
        model hints at: on the training split, out of fold, 3 of 3,174 names in the 36 % of
        sentences it skips (``models/README.md``); that is most of e5's cost on short
        messages, and the window a quarter of it on long ones."""
        if self.street_level is None:
            return 0, len(text)
        hints = runs_above(per, E5_GATE) + [(w.start, w.end) for w in words if w.tag == "PER"]
        hints += latin_words(text) + [m.span() for m in self.street_level.finditer(text)]
        if not hints:
            return None
        start = max(0, min(s for s, _ in hints) - E5_CONTEXT)
        return start, min(len(text), max(e for _, e in hints) + E5_CONTEXT)

    def e5_within(self, text: str, start: int, end: int) -> E5Probs:
        """e5's per-character probabilities over ``text[start:end]``, 0 outside it."""
        assert self.e5 is not None
        inside = self.e5.char_probabilities(text[start:end])
        after = [0.0] * (len(text) - end)
        return {kind: [0.0] * start + probs + after for kind, probs in inside.items()}

    def spans(self, text: str, tokens: list[Token]) -> list[Span]:
        if not text:
            return []
        found, addresses, words, e5 = self.readings(text, tokens)
        people = []
        for candidate in found:
            p = self.probability(candidate)
            if p >= self.threshold:
                people.append(Span("PERSON", candidate.start, candidate.end, p))
        if self.latin is not None:
            latin = self.latin.names(text, tokens, words, e5)
            people += [Span(LATIN_PERSON, start, end, p) for start, end, p in latin]
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
    """The shipped CRFs, the installed LAC model and the fitted regression, loaded once."""
    weights = load_weights()
    stacked = default_stacked_tagger() if weights.get("stacked", False) else None
    e5 = default_e5_tagger() if weights.get("e5", False) else None
    from assistant.redaction.recognizers.zh_ner import STREET_LEVEL  # it imports this module

    latin = load_latin_model(weights.get("latin_threshold"))  # type: ignore[arg-type]
    return CombinedTagger(
        default_tagger(), default_lac(), weights, stacked, e5, latin, STREET_LEVEL
    )
