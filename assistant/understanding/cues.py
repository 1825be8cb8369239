"""Keyword and pattern cues, with calm phrases and negators that cancel them.

A cue set is compiled once from the rules file. Scoring a message finds every cue, drops the
matches that sit inside a calm phrase ("投诉电话", "人工客服几点上班") or right after a
negator ("不用转人工"), keeps one of overlapping matches (the heaviest, then the longest, so
"我要投诉" counts once, not again as "投诉"), and combines the survivors' weights by
noisy-OR: one strong cue is enough, two weak ones add up, and the score never passes 1.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from assistant.understanding.models import Evidence, EvidenceKind
from assistant.understanding.rules import CueSpec

_SPACES = re.compile(r"\s+")


# Redaction replaces personal data with presidio's "<ENTITY_TYPE>" placeholders; they carry no
# meaning here and must not read as shouting ("<PHONE_NUMBER>") or as words ("<PERSON>").
PLACEHOLDER = re.compile(r"<[A-Z][A-Z_]*>")


def strip_placeholders(text: str) -> str:
    """`text` with redaction placeholders blanked out."""
    return PLACEHOLDER.sub(" ", text)


def normalise(text: str) -> str:
    """NFKC (full-width ！？Ａ → !?a), lower case, one space between words."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().lower()


def keyword_regex(keyword: str) -> str:
    """A literal keyword. English ends get letter boundaries ("eth" must not match "method");
    Chinese keywords match anywhere, since Chinese has no spaces between words."""
    body = re.escape(keyword.lower())
    head = r"(?<![a-z0-9])" if keyword[:1].isascii() and keyword[:1].isalnum() else ""
    tail = r"(?![a-z0-9])" if keyword[-1:].isascii() and keyword[-1:].isalnum() else ""
    return head + body + tail


@dataclass(frozen=True)
class Cue:
    kind: EvidenceKind
    source: str
    regex: re.Pattern[str]
    weight: float
    # A keyword's text: `in` rules most keywords out before any regex runs, which keeps a
    # message at about a millisecond across ~1,800 cues.
    literal: str | None = None


@dataclass(frozen=True)
class Hit:
    cue: Cue
    start: int
    end: int
    text: str


@dataclass
class Scored:
    """A noisy-OR score and the evidence behind it (cancelled matches with negative weight)."""

    score: float = 0.0
    evidence: list[Evidence] = field(default_factory=list)


def noisy_or(weights: list[float]) -> float:
    """1 - Π(1 - w): independent pieces of evidence, each able to carry the verdict alone."""
    remaining = 1.0
    for weight in weights:
        remaining *= 1.0 - min(max(weight, 0.0), 1.0)
    return round(1.0 - remaining, 3)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _strongest_first(hits: list[Hit]) -> list[Hit]:
    """Of overlapping hits keep the heaviest, then the longest: the same words count once."""
    kept: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (-h.cue.weight, h.start - h.end)):
        if not any(_overlaps((hit.start, hit.end), (k.start, k.end)) for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: -h.cue.weight)


@dataclass(frozen=True)
class CueSet:
    cues: tuple[Cue, ...]
    calm: tuple[re.Pattern[str], ...] = ()
    negator: re.Pattern[str] | None = None
    negator_window: int = 4
    threshold: float = 0.5

    @classmethod
    def from_spec(cls, spec: CueSpec) -> CueSet:
        words = [(weight, normalise(word)) for weight, ws in spec.keywords.items() for word in ws]
        cues = [
            Cue("keyword", word, re.compile(keyword_regex(word)), weight, word)
            for weight, word in words
        ]
        cues += [
            Cue("pattern", pattern, re.compile(pattern), weight)
            for weight, patterns in spec.patterns.items()
            for pattern in patterns
        ]
        negators = "|".join(re.escape(n.lower()) for n in spec.negators)
        return cls(
            cues=tuple(cues),
            calm=tuple(re.compile(p) for p in spec.calm),
            negator=re.compile(negators) if negators else None,
            negator_window=spec.negator_window,
            threshold=spec.threshold,
        )

    def score(self, text: str) -> Scored:
        """Score normalised `text`: surviving cues by noisy-OR, cancelled ones as evidence."""
        calm = [m.span() for pattern in self.calm for m in pattern.finditer(text)]
        live: list[Hit] = []
        cancelled: dict[str, float] = {}
        for cue in self.cues:
            if cue.literal is not None and cue.literal not in text:
                continue
            found = self._find(cue, text, calm)
            if isinstance(found, Hit):
                live.append(found)
            elif found is not None:
                cancelled[found] = max(cancelled.get(found, 0.0), cue.weight)
        kept = _strongest_first(live)
        evidence = [Evidence(kind=h.cue.kind, text=h.text, weight=h.cue.weight) for h in kept]
        evidence += [Evidence(kind="pattern", text=t, weight=-w) for t, w in cancelled.items()]
        return Scored(noisy_or([h.cue.weight for h in kept]), evidence)

    def _find(self, cue: Cue, text: str, calm: list[tuple[int, int]]) -> Hit | str | None:
        """The first match of `cue` that nothing cancels, else what cancelled a match."""
        cancelled: str | None = None
        for match in cue.regex.finditer(text):
            if match.end() == match.start():
                continue
            hit = Hit(cue, match.start(), match.end(), match.group(0))
            reason = self._cancelled_by(hit, text, calm)
            if reason is None:
                return hit
            cancelled = cancelled or reason
        return cancelled

    def _cancelled_by(self, hit: Hit, text: str, calm: list[tuple[int, int]]) -> str | None:
        """The calm phrase or negator that cancels `hit`, if any."""
        for start, end in calm:
            if _overlaps((hit.start, hit.end), (start, end)):
                return text[start:end]
        if self.negator is not None:
            # The negator may overlap the cue ("不需要人工" holds the cue "要人工"); it must
            # start before the cue and within the window.
            low = max(0, hit.start - self.negator_window)
            for negated in self.negator.finditer(text, low, hit.end):
                if negated.start() < hit.start:
                    return text[negated.start() : hit.end]
        return None
