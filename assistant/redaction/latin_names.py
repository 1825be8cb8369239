"""Latin words inside Chinese text that are people's names (Icefrog, JamesCameron, Moon), learned.

The Chinese models learned Chinese news and take stray English words for names, so none of
their Latin-only spans is ever kept (``recognizers/zh_ner.py``). But in real Chinese text a
person is often written in Latin letters: a gamer's handle (塔魔Infi), a Western director or
player (导演JamesCameron), a name beside its transliteration (阿克曼（ayhanakman）). So each
Latin word of a Chinese text is a candidate, and a logistic regression decides, trained on
CLUENER's training split where such words are labelled name or game, company, organisation,
film, book… or nothing (``python -m evals.train_latin_names --write``; ``models/README.md``).
It reads:

* the word: length, case pattern (Title, UPPER, lower, CamelCase), digits, its character
  trigrams and the word itself (DOTA, EA, vs, PC are never people);
* its Chinese context: the characters and jieba words right before and after it (选手…,
  …战队, 《…》), LAC's tags there;
* e5 fine-tuned as a tagger (``e5_ner.py``): its name probability over the word and how
  likely it finds the word a game, a company, an organisation…;
* the text: its share of Latin letters (an English chat message is not Chinese news).

Never candidates: words of one letter, words with five digits or more (document numbers),
parts of e-mail addresses, domains and URLs (their own recognizers' business), and words with
a space right before or after them: CLUENER's sentences never have one there, so such a word
is outside what the regression learned (a message written partly in English: ``hi 我叫Tony
Huang my 手机``); names in English and pinyin are ``en_person_name``'s and
``romanized_name``'s.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import regex as re

from assistant.redaction.crf_ner import Token
from assistant.redaction.lac_ner import LacWord
from assistant.redaction.name_features import E5Probs

WEIGHTS_FILE = Path(__file__).parent / "models" / "latin_names.json"
LATIN_WORD = re.compile(r"(?<![A-Za-z0-9@._-])[A-Za-z][A-Za-z0-9]*(?:[.'_-][A-Za-z0-9]+)*")
_DOMAIN = re.compile(r"\.(?:com|cn|net|org|edu|gov|io|hk)\b|^www\.", re.IGNORECASE)
_HAN = re.compile(r"\p{Han}")
_E5_KINDS = ("name", "organization", "company", "game", "movie", "book", "scene", "position")


def latin_words(text: str) -> list[tuple[int, int]]:
    """The candidate Latin words of a Chinese text (the module docstring says which are not)."""
    if not _HAN.search(text):
        return []
    out = []
    for m in LATIN_WORD.finditer(text):
        word, (start, end) = m.group(), m.span()
        if len(word) < 2 or sum(c.isdigit() for c in word) >= 5 or _DOMAIN.search(word):
            continue
        beside = text[max(0, start - 1) : start] + text[end : end + 1]
        if "@" in beside or any(c.isspace() for c in beside):
            continue
        out.append((start, end))
    return out


def shape(word: str) -> str:
    """The word's case pattern: title, upper, lower, camel or mixed."""
    letters = "".join(c for c in word if c.isalpha())
    if letters.isupper():
        return "upper"
    if letters.islower():
        return "lower"
    if letters[0].isupper() and letters[1:].islower():
        return "title"
    if letters[0].isupper() and re.search(r"[a-z][A-Z]", letters):
        return "camel"
    return "mixed"


def _word_at(tokens: list[tuple[int, int]], text: str, start: int, end: int) -> tuple[str, str]:
    """The jieba words right before ``start`` and right after ``end``."""
    before = next((text[s:e] for s, e in reversed(tokens) if e <= start), "^")
    after = next((text[s:e] for s, e in tokens if s >= end), "$")
    return before, after


def _lac_tags(words: list[LacWord], start: int, end: int) -> tuple[str, str, str]:
    inside = next((w.tag for w in words if w.start <= start < w.end), "none")
    before = next((w.tag for w in reversed(words) if w.end <= start), "^")
    after = next((w.tag for w in words if w.start >= end), "$")
    return inside, before, after


def features(
    text: str,
    start: int,
    end: int,
    tokens: list[Token],
    words: list[LacWord],
    e5: E5Probs | None,
) -> dict[str, float]:
    """What the regression reads about the Latin word ``text[start:end]``."""
    word = text[start:end]
    low = word.lower()
    f: dict[str, float] = {
        "bias": 1.0,
        f"shape={shape(word)}": 1.0,
        f"len={min(len(word), 12)}": 1.0,
        "log_len": math.log(len(word)),
        "has_digit": float(any(c.isdigit() for c in word)),
        "has_sep": float(any(c in ".'_-" for c in word)),
        f"word={low}": 1.0,
        "latin_share": sum(c.isascii() and c.isalpha() for c in text) / len(text),
        "repeated": float(text.count(word) > 1),
    }
    padded = f"<{low}>"
    for i in range(len(padded) - 2):
        f[f"tri={padded[i : i + 3]}"] = 1.0
    prev1, next1 = text[start - 1 : start] or "^", text[end : end + 1] or "$"
    f[f"p1={prev1}"] = f[f"n1={next1}"] = 1.0
    f[f"p2={text[max(0, start - 2) : start] or '^'}"] = 1.0
    f[f"n2={text[end : end + 2] or '$'}"] = 1.0
    before, after = _word_at(tokens, text, start, end)
    f[f"wb={before}"] = f[f"wa={after}"] = 1.0
    inside, lac_before, lac_after = _lac_tags(words, start, end)
    f[f"lac={inside}"] = f[f"lac_b={lac_before}"] = f[f"lac_a={lac_after}"] = 1.0
    if e5 is not None:
        for kind in _E5_KINDS:
            probs = e5[kind][start:end]
            f[f"e5_{kind}"] = sum(probs) / len(probs)
        f["e5_name_max"] = max(e5["name"][start:end])
        edge = [e5["name"][i] for i in (start - 1, end) if 0 <= i < len(text)]
        f["e5_name_edge"] = max(edge, default=0.0)
    return f


class LatinNameModel:
    """The fitted regression and its threshold: which Latin words of a text are names."""

    def __init__(self, weights: dict[str, object], threshold: float | None = None) -> None:
        self.coef: dict[str, float] = weights["coef"]  # type: ignore[assignment]
        self.threshold = float(weights["threshold"] if threshold is None else threshold)  # type: ignore[arg-type]

    def probability(self, feats: dict[str, float]) -> float:
        z = sum(self.coef.get(k, 0.0) * v for k, v in feats.items())
        return 1.0 / (1.0 + math.exp(-z))

    def names(
        self,
        text: str,
        tokens: list[Token],
        words: list[LacWord],
        e5: E5Probs | None,
    ) -> list[tuple[int, int, float]]:
        """(start, end, probability) of each Latin word the regression calls a name."""
        out = []
        for start, end in latin_words(text):
            p = self.probability(features(text, start, end, tokens, words, e5))
            if p >= self.threshold:
                out.append((start, end, p))
        return out


def load_latin_model(
    threshold: float | None = None, path: Path = WEIGHTS_FILE
) -> LatinNameModel | None:
    """The shipped regression, or None where none has been trained. ``threshold``: the one
    the name combiner chose together with its own (``name_combiner.json``'s
    ``latin_threshold``: both kinds of mask count in one false-mask budget); without it, the
    card's own (chosen for the regression alone)."""
    if not path.exists():
        return None
    return LatinNameModel(json.loads(path.read_text(encoding="utf-8")), threshold)
