"""Does the passage we would quote answer *this* question? A calibrated probability.

Retrieval always returns the nearest passage, and the nearest passage to a loan question, a
Weibo post or another company's fund code is still one of ours, close enough in e5 space to
look sure. What tells a right quote from a wrong one is in the (question, quoted passage) pair:
how closely e5 matches the passage and an FAQ's own question, how many of the question's words
the passage and its heading hold, whether the question names things that no live document
mentions at all (a loan product, a payment app we don't support), whether the quote holds the
kind of answer asked for (a duration for 多久, an amount for 多少钱), and whether it is about
the fund the question names (`FEATURES`). `answerability_pair.py` adds how contested the choice
of the quote was (`PAIR_FEATURES`: the passage ranker's margin, dense and BM25 agreement, the
spread of documents in the top five); a model reads the features its file names, and the pair
features are computed only when it reads one.

A logistic regression over these features, calibrated (Platt scaling, stored as a monotone curve)
on questions it was not fitted on, gives the chance that the answer is right; the gate answers
only above a threshold chosen on data the model never saw. Weights, calibration and threshold
are data (`prompts/answerability.v1.json`; its card `prompts/answerability.md` says how it was
built and what the multi-company trainer `python -m evals.train_answerability` found); every
feature is read from the live documents, so another company's documents need no new list.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from assistant.answerability_pair import PAIR_FEATURES, pair_features
from assistant.funds import FundMention
from assistant.prompts import PROMPTS_DIR, PromptLibrary
from assistant.retrieval.hybrid import ScoredChunk, expand, normalised_synonyms
from assistant.retrieval.tokenizer import tokenize
from assistant.writers.base import WriteRequest, WrittenAnswer
from assistant.writers.passage_ranker import PassageRanker, term_share

MODEL_FILE = PROMPTS_DIR / "answerability.v1.json"
FEATURES = (
    "dense_top",  # best e5 similarity among the top three passages (English lifted by its offset)
    "dense_quoted",  # e5 similarity of the quoted passage
    "faq_question",  # e5 similarity to the quoted FAQ's own question (0 if not an FAQ)
    "lexical",  # the quoted passage also matched on BM25
    "coverage",  # share of the question's terms in the quoted text and its headings
    "heading_coverage",  # share of the question's terms in the quoted section's heading
    "unknown_share",  # share of the question's terms that no live document contains
    "unknown_count",  # how many such terms (of two characters or more), up to 3, over 3
    "asks_type",  # the question asks for a kind of answer (a duration, an amount, a phone…)
    "type_held",  # share of the kinds asked for that the quote holds (1 when none asked)
    "fund_named",  # the question names one of our funds
    "fund_match",  # quote about that fund 1, about no fund 0.5, another fund 0; 1 if none named
    "unknown_code",  # the question gives a six-digit code no live document knows
    "same_language",
    "question_terms",  # log(1 + number of the question's terms)
    "peak",  # best dense similarity minus the fifth's: one clear passage, or many alike
    "two_quotes",  # the writer quoted two passages
)
ALL_FEATURES = FEATURES + PAIR_FEATURES  # what `compute` gives; a model uses those it names
_LATIN = re.compile(r"^[a-z]+$")


class Answerability(BaseModel):
    """The judgment on one (question, quoted passage) pair, with what it rests on."""

    probability: float = Field(ge=0, le=1, description="Calibrated chance the answer is right.")
    threshold: float
    features: dict[str, float]
    version: str

    @property
    def answerable(self) -> bool:
        return self.probability >= self.threshold


@dataclass(frozen=True)
class QuestionContext:
    """What the features need besides the passages: the question and what it names."""

    question: str
    language: str
    mentions: list[FundMention]
    unknown_codes: list[str]
    english_offset: float = 0.0


class AnswerabilityFeatures:
    """Features of a (question, quoted passages) pair, read against the live documents."""

    def __init__(
        self,
        answer_types: dict[str, Any],
        synonyms: dict[str, list[str]],
        ranker: PassageRanker | None = None,
    ) -> None:
        self.ranker = ranker
        self.synonyms = normalised_synonyms(synonyms)
        self._types = [
            (re.compile(t["question"], re.I), re.compile(t["passage"], re.I))
            for t in answer_types["types"].values()
        ]

    @classmethod
    def from_prompts(cls, prompts: PromptLibrary) -> AnswerabilityFeatures:
        return cls(
            prompts.rules("answer_types"),
            prompts.rules("retrieval")["synonyms"],
            PassageRanker.from_prompts(prompts, read_pairs=False),
        )

    def compute(
        self,
        context: QuestionContext,
        chunks: list[ScoredChunk],
        written: WrittenAnswer,
        live_terms: frozenset[str],
        names: Collection[str] = ALL_FEATURES,
    ) -> dict[str, float]:
        """The features of the pair; the ranker's view (`PAIR_FEATURES`, which runs the passage
        ranker again) only when one of `names` needs it."""
        base = self._base(context, chunks, written, live_terms)
        if not set(names) & set(PAIR_FEATURES):
            return base
        return {**base, **pair_features(self.ranker, _request(context, chunks), chunks, written)}

    def _base(
        self,
        context: QuestionContext,
        chunks: list[ScoredChunk],
        written: WrittenAnswer,
        live_terms: frozenset[str],
    ) -> dict[str, float]:
        quoted = written.used_chunks[0] if written.used_chunks else None
        terms = set(tokenize(context.question))
        expanded = terms | set(tokenize(expand(context.question, self.synonyms)))
        unknown = {t for t in terms if t not in live_terms and not t.isdigit()}
        dense = [c.dense_similarity or 0.0 for c in chunks]
        offset = context.english_offset if context.language == "en" else 0.0
        asked = [i for i, (q, _) in enumerate(self._types) if q.search(context.question)]
        held = [i for i in asked if self._types[i][1].search(written.text)]
        heading = quoted.heading if quoted else ""
        quoted_text = f"{heading} {written.text}"
        return {
            "dense_top": max(dense[:3], default=0.0) + offset,
            "dense_quoted": (quoted.dense_similarity or 0.0) + offset if quoted else 0.0,
            "faq_question": (quoted.question_similarity or 0.0) if quoted else 0.0,
            "lexical": 1.0 if quoted is not None and quoted.bm25_score else 0.0,
            "coverage": term_share(expanded, quoted_text),
            "heading_coverage": term_share(expanded, heading),
            "unknown_share": len(unknown) / len(terms) if terms else 1.0,
            "unknown_count": min(3, sum(1 for t in unknown if len(t) >= 2 or _LATIN.match(t))) / 3,
            "asks_type": 1.0 if asked else 0.0,
            "type_held": len(held) / len(asked) if asked else 1.0,
            "fund_named": 1.0 if context.mentions else 0.0,
            "fund_match": _fund_match(context.mentions, quoted),
            "unknown_code": 1.0 if context.unknown_codes else 0.0,
            "same_language": 1.0
            if quoted is None
            or quoted.metadata.get("language", context.language) == context.language
            else 0.0,
            "question_terms": math.log1p(len(terms)),
            "peak": (dense[0] if dense else 0.0) - (min(dense[:5]) if dense else 0.0),
            "two_quotes": 1.0 if len(written.used_chunks) > 1 else 0.0,
        }


class AnswerabilityModel:
    """Standardised logistic regression + a calibration curve, read from JSON (no pickle)."""

    def __init__(self, spec: dict[str, Any]) -> None:
        unknown = set(spec["features"]) - set(ALL_FEATURES)
        if unknown:
            raise ValueError(f"answerability model reads features the code lacks: {unknown}")
        self.features = tuple(str(f) for f in spec["features"])
        self.spec = spec
        self.version = str(spec["version"])
        self.threshold = float(spec["threshold"])
        self._mean = np.array(spec["scaler_mean"], dtype=float)
        self._scale = np.array(spec["scaler_scale"], dtype=float)
        self._coef = np.array(spec["coef"], dtype=float)
        self._intercept = float(spec["intercept"])
        self._iso_x = np.array(spec["calibration_x"], dtype=float)
        self._iso_y = np.array(spec["calibration_y"], dtype=float)

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> AnswerabilityModel | None:
        """None when no model has been trained yet (the trainer itself runs without one)."""
        if not path.exists():
            return None
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def raw(self, features: dict[str, float]) -> float:
        x = (np.array([features[name] for name in self.features]) - self._mean) / self._scale
        return float(1.0 / (1.0 + math.exp(-(x @ self._coef + self._intercept))))

    def probability(self, features: dict[str, float]) -> float:
        return float(np.interp(self.raw(features), self._iso_x, self._iso_y))

    def judge(self, features: dict[str, float]) -> Answerability:
        return Answerability(
            probability=round(self.probability(features), 4),
            threshold=self.threshold,
            features={k: round(features[k], 4) for k in self.features},
            version=self.version,
        )


def _request(context: QuestionContext, chunks: list[ScoredChunk]) -> WriteRequest:
    """The ranker's view of the question: the fund and share class it names, if one."""
    one = context.mentions[0] if len(context.mentions) == 1 else None
    return WriteRequest(
        question=context.question,
        language="en" if context.language == "en" else "zh",
        chunks=chunks,
        fund=one.fund if one else None,
        share_class=one.share_class if one else None,
    )


def _fund_match(mentions: list[FundMention], quoted: ScoredChunk | None) -> float:
    if not mentions:
        return 1.0
    if quoted is None:
        return 0.0
    named = {code for m in mentions for code in m.fund.codes}
    about = set(quoted.about_funds)
    if not about:
        return 0.5
    return 1.0 if about & named else 0.0
