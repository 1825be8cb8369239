"""What the name regression reads about a candidate span (``name_combiner.py`` decides).

A candidate is a span the CRF (its characters at name probability >= ``SEED``) or LAC (a PER
word) proposes; overlapping proposals are one span. Its features, by source:

* the CRF of ``evals.train_ner``: the mean, max and min of its name marginals over the span,
  and at the characters just outside it (a high one says the span is cut);
* the stacked CRF (``evals.train_ner_stacked``: LAC's words among its features, every CLUENER
  kind a label): its name marginals, and how likely it finds the span an organisation, a
  company, a game, a film, a scene… (a football club, a game character);
* LAC: the share of the span it calls PER and what else it calls it, its tags and words
  before and after, how many people and organisations it finds in the sentence;
* the span itself: length, surname, script, its characters, the two characters either side,
  and whether the same string stands elsewhere in the text (a person is named again);
* e5 fine-tuned as a tagger (``e5_ner.py``, when the combiner uses it): its name probability
  over the span (mean, max, min) and just outside it, and how likely it finds the span each
  other CLUENER kind; its characters at name probability >= ``E5_SEED`` are candidates too
  (e5 reads the whole sentence: transliterated players, handles, names with no cue).
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.redaction.lac_ner import LacWord
from assistant.redaction.recognizers.zh_surnames import COMPOUND_SURNAMES, SINGLE_SURNAMES

SEED = 0.2  # a CRF candidate: characters whose name probability reaches this
E5_SEED = 0.2  # an e5 candidate: the same, by e5's name probability
E5_OTHER = ("organization", "company", "government", "position", "book", "game", "movie", "scene")
KINDS_E5 = ("name", "address", *E5_OTHER)  # what e5_ner.per_character gives, per kind
OTHER_KINDS = ("ORG", "COM", "GOV", "POS", "BOOK", "GAME", "MOV", "SCN")  # the stacked CRF's
_NEIGHBOUR_TAGS = ("w", "v", "p", "n", "u", "c", "r", "m", "d", "LOC", "ORG", "PER", "nz", "vn")
_INSIDE_TAGS = ("ORG", "LOC", "nz", "n", "nr", "TIME", "v")
NAME_DOTS = "·•‧"


E5Probs = dict[str, list[float]]  # per CLUENER kind, each character's probability


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


def runs_above(per: list[float], seed: float = SEED) -> list[tuple[int, int]]:
    """Runs of characters whose probability reaches `seed`."""
    runs, start = [], None
    for i, p in enumerate([*per, 0.0]):
        if p >= seed and start is None:
            start = i
        elif p < seed and start is not None:
            runs.append((start, i))
            start = None
    return runs


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without the spaces and punctuation LAC sometimes tags with a word (王秀英\\n)."""
    while start < end and not (text[start].isalnum() or text[start] in NAME_DOTS):
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in NAME_DOTS):
        end -= 1
    return start, end


def union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _lac_people(text: str, words: list[LacWord]) -> list[tuple[int, int]]:
    return [trimmed(text, w.start, w.end) for w in words if w.tag == "PER"]


def _spans(
    per: list[float], lac_people: list[tuple[int, int]], e5: E5Probs | None = None
) -> list[tuple[int, int]]:
    runs = runs_above(per) + lac_people
    if e5 is not None:
        runs += runs_above(e5["name"], E5_SEED)
    return union([s for s in runs if s[0] < s[1]])


def candidate_spans(
    text: str, words: list[LacWord], per: list[float], e5: E5Probs | None = None
) -> list[tuple[int, int]]:
    """The spans the CRF's characters at ``SEED``, LAC's PER words and e5's characters at
    ``E5_SEED`` make, in order."""
    return _spans(per, _lac_people(text, words), e5)


def candidates(
    text: str,
    words: list[LacWord],
    per: list[float],
    stacked: dict[str, list[float]] | None = None,
    spans: list[tuple[int, int]] | None = None,
    e5: E5Probs | None = None,
) -> list[Candidate]:
    """Every span the CRF (``per``: each character's name probability), LAC or e5 proposes,
    with its features (``stacked``: the stacked CRF's marginals per label, PER and
    OTHER_KINDS; ``spans``: ``candidate_spans``, when the caller has them already; ``e5``:
    e5's per-character probabilities per CLUENER kind)."""
    lac_people = _lac_people(text, words)
    if spans is None:
        spans = _spans(per, lac_people, e5)
    char_tag = [""] * len(text)
    for w in words:
        char_tag[w.start : w.end] = [w.tag] * (w.end - w.start)
    sentence = {
        "n_cands": min(len(spans), 5) / 5,
        "s_org": min(sum(w.tag == "ORG" for w in words), 4) / 4,
        "s_per": min(sum(w.tag == "PER" for w in words), 4) / 4,
    }
    out = []
    for start, end in spans:
        f = {**sentence, **_lac_features(text, words, char_tag, start, end, lac_people)}
        f.update(_summary("crf", per[start:end]))
        f["p_before"] = per[start - 1] if start else 0.0
        f["p_after"] = per[end] if end < len(text) else 0.0
        f.update(_shape_features(text, start, end))
        f["crf_x_lac"] = f["crf_mean"] * f["lac_frac"]
        if stacked is not None:
            f.update(_stacked_features(stacked, start, end))
        if e5 is not None:
            f.update(_e5_features(e5, start, end, len(text)))
        out.append(Candidate(start, end, f))
    return out


def _summary(model: str, probs: list[float]) -> dict[str, float]:
    """A model's name marginals over a span: their mean, max and min."""
    return {
        f"{model}_mean": sum(probs) / len(probs),
        f"{model}_max": max(probs),
        f"{model}_min": min(probs),
    }


def _stacked_features(stacked: dict[str, list[float]], start: int, end: int) -> dict[str, float]:
    n = end - start
    f = _summary("crf2", stacked["PER"][start:end])
    for kind in OTHER_KINDS:
        f[f"o_{kind}"] = sum(stacked[kind][start:end]) / n
    f["o_any"] = sum(f[f"o_{kind}"] for kind in OTHER_KINDS)
    return f


def _e5_features(e5: E5Probs, start: int, end: int, length: int) -> dict[str, float]:
    n = end - start
    f = _summary("e5", e5["name"][start:end])
    f["e5_before"] = e5["name"][start - 1] if start else 0.0
    f["e5_after"] = e5["name"][end] if end < length else 0.0
    for kind in E5_OTHER:
        f[f"e5_{kind}"] = sum(e5[kind][start:end]) / n
    f["e5_other"] = sum(f[f"e5_{kind}"] for kind in E5_OTHER)
    return f


def _lac_features(
    text: str,
    words: list[LacWord],
    char_tag: list[str],
    start: int,
    end: int,
    lac_people: list[tuple[int, int]],
) -> dict[str, float]:
    n, tags = end - start, char_tag[start:end]
    prev_word = next((w for w in words if w.end == start), None)
    next_word = next((w for w in words if w.start == end), None)
    f = {
        "lac_frac": sum(t == "PER" for t in tags) / n,
        "lac_exact": float((start, end) in lac_people),
        f"prev={_coarse(prev_word.tag if prev_word else None, '^')}": 1.0,
        f"next={_coarse(next_word.tag if next_word else None, '$')}": 1.0,
        f"prevw={text[prev_word.start : prev_word.end] if prev_word else '^'}": 1.0,
        f"nextw={text[next_word.start : next_word.end] if next_word else '$'}": 1.0,
    }
    for tag in _INSIDE_TAGS:
        f[f"in_{tag}"] = sum(t == tag for t in tags) / n
    return f


def _shape_features(text: str, start: int, end: int) -> dict[str, float]:
    span, n = text[start:end], end - start
    f = {
        "bias": 1.0,
        f"len={min(n, 5)}": 1.0,
        "surname": float(span[0] in SINGLE_SURNAMES),
        "surname2": float(span[:2] in COMPOUND_SURNAMES),
        "han_only": float(all(_han(c) for c in span)),
        "latin": float(any(c.isascii() and c.isalpha() for c in span)),
        "dot": float(any(c in NAME_DOTS for c in span)),
        "repeat": float(text.count(span) > 1),
        f"first={span[0]}": 1.0,
        f"prevc={text[start - 1] if start else '^'}": 1.0,
        f"nextc={text[end] if end < len(text) else '$'}": 1.0,
        f"prev2={text[max(0, start - 2) : start]}": 1.0,
        f"next2={text[end : end + 2]}": 1.0,
    }
    for ch in span:  # the characters themselves: surnames, transliteration syllables
        f[f"ch={ch}"] = f.get(f"ch={ch}", 0.0) + 1.0 / n
    return f
