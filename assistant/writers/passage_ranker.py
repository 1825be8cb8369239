"""Which of the best few retrieved passages answers the question.

Retrieval ranks passages about the question's topic; an extractive answer needs the one passage
that answers it (the fee table, not the fund overview that also names the fee). The choice is a
linear score over a few plain features — retrieval rank and scores, how closely the client's
question matches an FAQ's own question, term coverage, whether the passage holds the kind of
answer asked for (a duration for 多久, a rate for 费率), share class and language.

The weights are data (`prompts/passage_ranker.yaml`), learned by `evals/train_passage_ranker.py`
from the retrieval dev set's fact labels and judged on the answers dev set, which shares no
question with it. A hand-tuned scorer came first and reached fact recall 0.793; it is the
baseline the learned weights had to beat.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import numpy as np

from assistant.prompts import PromptLibrary
from assistant.retrieval.hybrid import ScoredChunk, expand, normalised_synonyms
from assistant.retrieval.tokenizer import tokenize
from assistant.writers.base import WriteRequest
from assistant.writers.pair_reader import PairReader, load_pair_reader
from assistant.writers.quoting import answer_from

FEATURES = (
    "rank_prior",  # 1 / (1 + rank) in the fused list
    "fused",  # fused score over the best fused score
    "dense",  # e5 passage similarity minus the best among the candidates (-0.05 if unknown)
    "bm25",  # BM25 score over the best BM25 score among the candidates
    "faq_question",  # e5 query-to-query similarity to an FAQ's own question, above the floor
    "coverage",  # share of the question's terms found in the passage and its headings
    "heading_coverage",  # share of the question's terms found in the section heading
    "answer_type",  # share of the kinds of answer asked for that the quoted text holds
    "same_language",
    "names_class",  # names the share class asked about
    "is_faq",
    "is_table",
)


class Quote(NamedTuple):
    chunk: ScoredChunk
    text: str  # what the extractive answer quotes from it
    read: float | None = None  # the pair reader's score of the pair, if it read it


class PassageRanker:
    def __init__(
        self,
        rules: dict[str, Any],
        answer_types: dict[str, Any],
        synonyms: dict[str, list[str]] | None = None,
        reader: PairReader | None = None,
    ) -> None:
        self.synonyms = normalised_synonyms(synonyms)
        self.reader = reader
        self.version = str(rules["version"]) + (f" + {reader.version}" if reader else "")
        self.candidates = int(rules["candidates"])
        reading = rules.get("pair_reader") or {}
        self.reader_weight = float(reading.get("weight", 0.0))
        self.reader_reads = int(reading.get("reads", self.candidates))
        self.second_margin = float(rules.get("second_passage_margin", 0.0))
        self.question_floor = float(rules["faq_question_floor"])
        self.weights = np.array([float(rules["weights"][name]) for name in FEATURES])
        self._answer_types = [
            (re.compile(t["question"], re.I), re.compile(t["passage"], re.I))
            for t in answer_types["types"].values()
        ]

    @classmethod
    def from_prompts(cls, prompts: PromptLibrary, read_pairs: bool = True) -> PassageRanker:
        """`read_pairs` False leaves the pair reader out (the answerability features read only
        the linear score)."""
        rules = prompts.rules("passage_ranker")
        reader_file = rules.get("pair_reader", {}).get("file")
        return cls(
            rules,
            prompts.rules("answer_types"),
            prompts.rules("retrieval")["synonyms"],
            load_pair_reader(prompts.root / reader_file) if reader_file and read_pairs else None,
        )

    def choose(self, request: WriteRequest) -> list[Quote]:
        """The best passage; and a second one when it adds a kind of answer asked for which the
        best one lacks (a phone number, a duration), or when the ranker can hardly tell the
        two apart (scores within `second_passage_margin`): on questions worded unlike the
        dev set the runner-up is often the answer, and quoting both, each cited, beats
        guessing."""
        candidates = request.chunks[: self.candidates]
        wanted, quotes, held = self._quotes(request, candidates)
        scores = self._features(request, candidates, wanted, held) @ self.weights
        read: dict[int, float] = {}
        if self.reader is not None and len(candidates) > 1:
            scores, read = self._read(request, candidates, quotes, scores)
        order = [int(i) for i in np.argsort(-scores, kind="stable")]
        best = order[0]
        missing = wanted - held[best]
        more = next((i for i in order[1:] if missing & held[i]), None)
        if more is None and len(order) > 1 and scores[best] - scores[order[1]] < self.second_margin:
            more = order[1]
        chosen = [best] if more is None else [best, more]
        return [Quote(candidates[i], quotes[i], read.get(i)) for i in chosen]

    def _read(
        self,
        request: WriteRequest,
        candidates: list[ScoredChunk],
        quotes: list[str],
        scores: np.ndarray,
    ) -> tuple[np.ndarray, dict[int, float]]:
        """The scores with the pair reader's added to the first `read` candidates', and the
        reader's own scores of those."""
        assert self.reader is not None
        first = read_first(scores, self.reader_reads)
        asked = [asked_of(request, candidates[i]) for i in first]
        expanded = {question: expand(question, self.synonyms) for question in set(asked)}
        read = np.array(
            [
                self.reader.score(
                    question, candidates[i].heading, quotes[i], expanded=expanded[question]
                )
                for i, question in zip(first, asked, strict=True)
            ]
        )
        combined = with_reader(scores, first, read, self.reader_weight)
        return combined, dict(zip(first.tolist(), read.tolist(), strict=True))

    def features(self, request: WriteRequest, candidates: list[ScoredChunk]) -> np.ndarray:
        """One row per candidate, columns in FEATURES order."""
        wanted, _, held = self._quotes(request, candidates)
        return self._features(request, candidates, wanted, held)

    def features_and_quotes(
        self, request: WriteRequest, candidates: list[ScoredChunk]
    ) -> tuple[np.ndarray, list[str]]:
        """The feature rows, and what the extractive answer would quote from each candidate."""
        wanted, quotes, held = self._quotes(request, candidates)
        return self._features(request, candidates, wanted, held), quotes

    def _quotes(
        self, request: WriteRequest, candidates: list[ScoredChunk]
    ) -> tuple[set[int], list[str], list[set[int]]]:
        """The kinds of answer asked for; each candidate's quote and the kinds it holds."""
        wanted = {
            i for i, (asks, _) in enumerate(self._answer_types) if asks.search(request.question)
        }
        # the documents' words for the client's (成立 → 基金合同生效日) choose the sentences too
        asked = expand(request.question, self.synonyms)
        kinds = [self._answer_types[i][1] for i in sorted(wanted)]
        quotes = [answer_from(chunk, asked, kinds) for chunk in candidates]
        held = [{i for i in wanted if self._answer_types[i][1].search(q)} for q in quotes]
        return wanted, quotes, held

    def _features(
        self,
        request: WriteRequest,
        candidates: list[ScoredChunk],
        wanted: set[int],
        held: list[set[int]],
    ) -> np.ndarray:
        terms = set(tokenize(expand(request.question, self.synonyms)))
        marks = _class_marks(request)
        best_fused = max(c.score for c in candidates) or 1.0
        dense = [c.dense_similarity for c in candidates if c.dense_similarity is not None]
        best_dense = max(dense, default=0.0)
        best_bm25 = max((c.bm25_score or 0.0 for c in candidates), default=0.0) or 1.0
        rows = []
        for rank, chunk in enumerate(candidates):
            heading = str(chunk.metadata.get("section") or "")
            text = f"{heading} {chunk.text}"
            kind = chunk.metadata.get("kind")
            rows.append(
                [
                    1.0 / (1 + rank),
                    chunk.score / best_fused,
                    (chunk.dense_similarity - best_dense)
                    if chunk.dense_similarity is not None
                    else -0.05,
                    (chunk.bm25_score or 0.0) / best_bm25,
                    max(0.0, (chunk.question_similarity or 0.0) - self.question_floor),
                    term_share(terms, text),
                    term_share(terms, heading),
                    len(held[rank]) / len(wanted) if wanted else 0.0,
                    1.0
                    if chunk.metadata.get("language", request.language) == request.language
                    else 0.0,
                    1.0 if any(mark in text for mark in marks) else 0.0,
                    1.0 if kind == "faq" else 0.0,
                    1.0 if kind == "table" else 0.0,
                ]
            )
        return np.array(rows, dtype=float)


def asked_of(request: WriteRequest, chunk: ScoredChunk) -> str:
    """What the pair reader reads a passage against. Every passage about the named fund alone
    matches the fund's name, so its header block outread the section that answers (稳泰纯债杠杆多少:
    基金产品概况 over 投资组合报告); such a passage is read against the question without the name,
    as retrieval ranks it (`hybrid._judge_on_what_is_asked`). Any other passage (another
    fund's, a table of every fund's) is read against the whole question, so the fund named still
    counts: read without the name, 先进制造托管人 went to the fee table's 托管费 column."""
    own = set(request.fund.codes) if request.fund is not None else set()
    if request.asked_of_fund and chunk.about_funds and set(chunk.about_funds) <= own:
        return request.asked_of_fund
    return request.question


def read_first(linear: np.ndarray, n: int) -> np.ndarray:
    """The `n` candidates the pair reader reads: the linear ranker's first `n`."""
    return np.argsort(-linear, kind="stable")[:n]


def with_reader(
    linear: np.ndarray, read: np.ndarray, read_scores: np.ndarray, weight: float
) -> np.ndarray:
    """The linear scores with the reader's added to the candidates it read (`read`): its
    scores standardised over them, brought to the linear scores' spread, times `weight`."""
    combined = linear.astype(float)  # a copy
    if len(read) > 1:
        standard = (read_scores - read_scores.mean()) / (read_scores.std() + 1e-6)
        combined[read] += weight * linear.std() * standard
    return combined


def _class_marks(request: WriteRequest) -> tuple[str, ...]:
    """How a passage names the share class asked about: 'C类', 'class C', its fund code."""
    if not request.share_class:
        return ()
    marks = [
        f"{request.share_class}类",
        f"class {request.share_class}",
        f"Class {request.share_class}",
    ]
    if request.fund is not None:
        code = request.fund.code_for_class(request.share_class)
        if code:
            marks.append(code)
    return tuple(marks)


def term_share(terms: set[str], text: str) -> float:
    """Share of `terms` the text's own tokens hold (0 when there are no terms)."""
    return len(terms & set(tokenize(text))) / len(terms) if terms else 0.0
