"""Hybrid retriever behind llama-index's `BaseRetriever` interface.

Dense similarity finds paraphrases and typos ("赎会多久到"), BM25 finds exact terms (fund codes,
"T+4", "销售服务费"); reciprocal rank fusion combines their ranks without calibrating their
scores against each other. A fund the client names pulls that fund's chunks up, because a
question about 领先成长C and the same question about 纯债 differ only in that name.

The retriever serves from a snapshot of the live chunks, their vectors and BM25 index, and
refreshes it when the index generation moves: dense search runs in process on the snapshot's
vectors (`dense.py`), so a turn makes no round trip to the vector store. If a new generation
cannot be read (the Chroma server down), searches fail until it can (the pipeline then hands
the turn off): an answer is never served from a generation that is no longer live.
"""

from __future__ import annotations

import itertools
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Literal

import bm25s
import numpy as np
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode
from pydantic import BaseModel, Field
from sqlalchemy.exc import SQLAlchemyError

from assistant.funds import FundCatalog, FundMention, classes_in_question, classes_named
from assistant.index.chroma_store import StoredChunk
from assistant.index.knowledge_index import KnowledgeIndex
from assistant.index.searchable import searchable_text
from assistant.retrieval.dense import DenseVectors
from assistant.retrieval.query_adapter import QueryAdapter
from assistant.retrieval.references import Reference, find_references, followed
from assistant.retrieval.tokenizer import add_words, tokenize
from assistant.settings import RetrievalSettings

log = logging.getLogger(__name__)

Mode = Literal["hybrid", "dense", "bm25"]
REFRESH_INTERVAL_S = 1.0


class VectorStoreBehindError(RuntimeError):
    """A newer index generation is live but could not be read from the vector store."""


class RetrievalFilters(BaseModel):
    fund_codes: list[str] = Field(default_factory=list)
    doc_types: list[str] = Field(default_factory=list)


class ScoredChunk(BaseModel):
    id: str
    text: str
    metadata: dict[str, Any]
    score: float
    dense_similarity: float | None = Field(
        None,
        description="e5 similarity to the question; for a question naming a fund, the mean of "
        "that and the similarity to the question without the fund's name (see `search`).",
    )
    bm25_score: float | None = None
    question_similarity: float | None = None  # to an FAQ chunk's own question, query to query
    about_funds: list[str] = Field(
        default_factory=list, description="Codes of the funds this passage is about; [] if none."
    )

    @property
    def source(self) -> str:
        return str(self.metadata.get("source", ""))

    @property
    def title(self) -> str:
        return str(self.metadata.get("title", ""))

    @property
    def section(self) -> str | None:
        return str(self.metadata.get("section") or "") or None

    @property
    def heading(self) -> str:
        """Its document's title and its section: where a quote stands."""
        return f"{self.metadata.get('title') or ''} {self.section or ''}".strip()

    @property
    def fund_codes(self) -> list[str]:
        return [c for c in str(self.metadata.get("fund_codes", "")).split(",") if c]


@dataclass
class _Snapshot:
    generation: int
    chunks: list[StoredChunk]
    position: dict[str, int]
    vectors: DenseVectors
    bm25: bm25s.BM25 | None
    catalog: FundCatalog
    funds: list[frozenset[str]]  # per chunk: the fund codes it is about
    classes: list[frozenset[str]]  # per chunk: the share classes it names (A类, Class C)
    questions: dict[int, np.ndarray]  # FAQ chunks: their question, embedded as a query
    text: str  # every live chunk with its headings, for "does any document mention X"
    terms: frozenset[str]  # every token of every live chunk: what the documents can talk about
    references: dict[int, list[Reference]]  # per chunk: the other documents it defers to
    by_source: dict[str, list[int]]  # chunk positions of each live document


class HybridRetriever(BaseRetriever):
    def __init__(
        self,
        index: KnowledgeIndex,
        embedder: BaseEmbedding,
        settings: RetrievalSettings,
        *,
        mode: Mode = "hybrid",
        synonyms: dict[str, list[str]] | None = None,
        refresh_interval_s: float = REFRESH_INTERVAL_S,
        adapter: QueryAdapter | None = None,
        reference_pattern: re.Pattern[str] | None = None,
    ) -> None:
        super().__init__()
        self.reference_pattern = reference_pattern
        self.index = index
        self.embedder = embedder
        self.adapter = adapter
        self.settings = settings
        self.mode: Mode = mode
        self.synonyms = normalised_synonyms(synonyms)
        self.refresh_interval_s = refresh_interval_s
        self._refresh_lock = threading.Lock()
        self._checked_at = 0.0
        self._behind: str | None = None  # why the live generation could not be read
        self._listeners: list[Callable[[list[StoredChunk]], object]] = []
        self._snapshot = self._build_snapshot(previous=None)

    def on_new_generation(self, listener: Callable[[list[StoredChunk]], object]) -> None:
        """Call ``listener(live chunks)`` now and whenever a new index generation goes live, so
        what else derives from the live documents (the redactor's public names) follows them."""
        self._listeners.append(listener)
        listener(self._snapshot.chunks)

    # --- snapshot ----------------------------------------------------------------------------

    def _build_snapshot(self, previous: _Snapshot | None) -> _Snapshot:
        generation = self.index.generation()
        chunks = self.index.live_chunks()
        vectors = DenseVectors(self._chunk_vectors(chunks), _dimensions(previous))
        catalog = FundCatalog.from_chunks(chunks, self.embedder.get_query_embedding)
        documents: dict[tuple[str, str], frozenset[str] | None] = {}  # see `_funds_of`
        add_words(catalog.vocabulary())
        bm25 = None
        corpus = [tokenize(searchable_text(c.metadata, c.text)) or ["_"] for c in chunks]
        if chunks:
            bm25 = bm25s.BM25()
            bm25.index(corpus, show_progress=False)
        position = {c.id: i for i, c in enumerate(chunks)}
        questions = self._question_vectors(chunks, previous)
        by_source: dict[str, list[int]] = {}
        for i, chunk in enumerate(chunks):
            by_source.setdefault(str(chunk.metadata.get("source")), []).append(i)
        return _Snapshot(
            generation,
            chunks,
            position,
            vectors,
            bm25,
            catalog,
            _carried_on(chunks, [_funds_of(c, catalog, documents) for c in chunks], catalog),
            [classes_named(f"{c.metadata.get('section') or ''} {c.text}") for c in chunks],
            questions,
            "\n".join(searchable_text(c.metadata, c.text) for c in chunks),
            frozenset(t for tokens in corpus for t in tokens),
            find_references(chunks, self.reference_pattern) if self.reference_pattern else {},
            by_source,
        )

    def _chunk_vectors(self, chunks: list[StoredChunk]) -> list[list[float]]:
        """The live chunks' stored vectors, in order; one the store cannot give is embedded
        again from the same text ingest embedded (the model is deterministic)."""
        stored = self.index.store.vectors([c.id for c in chunks])
        missing = [c for c in chunks if c.id not in stored]
        if missing:
            log.warning(
                "%d chunk vectors not readable from the store; embedded again", len(missing)
            )
            texts = [searchable_text(c.metadata, c.text) for c in missing]
            stored.update(
                zip(
                    [c.id for c in missing],
                    self.embedder.get_text_embedding_batch(texts),
                    strict=True,
                )
            )
        return [stored[c.id] for c in chunks]

    def _question_vectors(
        self, chunks: list[StoredChunk], previous: _Snapshot | None
    ) -> dict[int, np.ndarray]:
        """FAQ questions embedded as queries; an unchanged chunk (same id: the id carries the
        content hash) keeps the vector of the previous snapshot instead of being embedded again."""
        known: dict[str, np.ndarray] = {}
        if previous is not None:
            known = {previous.chunks[i].id: v for i, v in previous.questions.items()}
        vectors = {}
        for i, chunk in enumerate(chunks):
            question = chunk.metadata.get("question")
            if question:
                vector = known.get(chunk.id)
                if vector is None:
                    vector = np.asarray(self.embedder.get_query_embedding(str(question)))
                vectors[i] = vector
        return vectors

    def refresh(self, *, only_if_stale: bool = False) -> None:
        with self._refresh_lock:
            # Threads that saw the same stale generation rebuild once, not once each.
            if only_if_stale and self.index.generation() == self._snapshot.generation:
                return
            self._snapshot = self._build_snapshot(previous=self._snapshot)
            self._checked_at = time.monotonic()
            self._behind = None
            for listener in self._listeners:
                listener(self._snapshot.chunks)

    def refresh_if_stale(self) -> None:
        """Cheap enough per query: one indexed SQL read at most once per interval. A new
        generation the vector store cannot give (the server down) leaves the retriever behind:
        searches refuse until a later check reads it (the state database's own errors rise)."""
        now = time.monotonic()
        if now - self._checked_at < self.refresh_interval_s:
            return
        self._checked_at = now
        if self.index.generation() != self._snapshot.generation:
            try:
                self.refresh(only_if_stale=True)
            except SQLAlchemyError:
                raise
            except Exception as exc:
                self._behind = f"generation not readable from the vector store ({exc!r})"[:300]
                log.warning("new index generation not readable (%s)", type(exc).__name__)

    @property
    def catalog(self) -> FundCatalog:
        return self._snapshot.catalog

    @property
    def terms(self) -> frozenset[str]:
        """Every token of the live documents: a question's term outside it names something
        no document talks about (a loan product, another company's fund, a payment app)."""
        return self._snapshot.terms

    def mentions(self, pattern: re.Pattern[str]) -> bool:
        """Whether any live document mentions it."""
        return pattern.search(self._snapshot.text) is not None

    def dense_matrix(self) -> np.ndarray:
        """The live chunks' normalised vectors, in the order of `chunks`."""
        return self._snapshot.vectors.matrix

    @property
    def chunk_count(self) -> int:
        return len(self._snapshot.chunks)

    @property
    def chunks(self) -> list[StoredChunk]:
        """The live chunks being served."""
        return self._snapshot.chunks

    # --- search ------------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        filters: RetrievalFilters | None = None,
        top_k: int | None = None,
        mode: Mode | None = None,
        own_words: str | None = None,
    ) -> list[ScoredChunk]:
        """The best chunks for `query`, by reciprocal-rank fusion of dense and BM25 rankings.

        For a follow-up, `query` is rewritten to stand alone and carries the earlier turn's
        words, which pull retrieval back to the earlier question (定投最少多少钱 → 扣款那天要是
        放假呢). `own_words`, the message as the client wrote it, adds a third, dense ranking:
        the new question is found while the carried fund and topic still count.
        """
        snapshot = self._snapshot
        if self._behind:
            raise VectorStoreBehindError(self._behind)
        if not snapshot.chunks or not query.strip():
            return []
        mode = mode or self.mode
        top_k = top_k or self.settings.top_k
        n = self.settings.candidates
        vector = self.embedder.get_query_embedding(query)  # for dense search and FAQ questions
        words = tokenize(expand(query, self.synonyms))  # for BM25 and the references
        dense = self._dense(snapshot, vector, filters, n) if mode != "bm25" else {}
        sparse = self._bm25(snapshot, words, filters, n) if mode != "dense" else {}
        rankings = [dense, sparse]
        if own_words and own_words != query and mode != "bm25":
            own_vector = self.embedder.get_query_embedding(own_words)
            rankings.append(self._dense(snapshot, own_vector, filters, n))
        mentions = snapshot.catalog.spot(query)
        mentioned = {c for m in mentions for c in m.fund.codes}
        # Every passage of a named fund's documents matches its name, so its overview outranks
        # the section that answers and the per-document limit cuts that section: the question
        # without the name (股票占多少 of 养老2045股票占多少) ranks the fund's passages once more.
        # Dev: kb4 214 → 218 right, 46 → 44 wrong (both sets); kb2 unchanged; first company
        # answers fact recall 0.959 → 0.968.
        rest_vector = self._without_names(query, mentions) if mode != "bm25" else None
        if rest_vector is not None:
            aspect = self._dense(snapshot, rest_vector, filters, n)
            rankings.append({p: v for p, v in aspect.items() if snapshot.funds[p] & mentioned})
        scores: dict[int, float] = {}
        for ranked in rankings:
            for rank, position in enumerate(ranked):
                scores[position] = scores.get(position, 0.0) + 1.0 / (self.settings.rrf_k + rank)
        asked = set(classes_in_question(mentions, query))
        bonus = self.settings.fund_bonus / self.settings.rrf_k
        company = not mentions and snapshot.catalog.names_company(query)
        for position in list(scores):
            # A passage about the named fund alone ranks up (`fund_bonus`); one about it among
            # others (an overview of every fund) half as much.
            codes = snapshot.funds[position]
            if not _about_what_is_asked(snapshot, position, mentioned, asked) or (
                company and snapshot.catalog.fund_of(codes) is not None
            ):
                del scores[position]
            elif codes & mentioned:
                scores[position] += bonus if codes <= mentioned else bonus / 2
        if snapshot.references:
            self._follow_references(snapshot, words, vector, mentioned, asked, scores, dense)
        best = _diverse(
            sorted(scores, key=lambda p: -scores[p]), snapshot, top_k, self.settings.max_per_source
        )
        if rest_vector is not None:
            self._judge_on_what_is_asked(snapshot, rest_vector, best, dense)
        query_vector = np.asarray(vector)
        return [
            ScoredChunk(
                id=snapshot.chunks[p].id,
                text=snapshot.chunks[p].text,
                metadata=snapshot.chunks[p].metadata,
                score=scores[p],
                dense_similarity=dense.get(p),
                bm25_score=sparse.get(p),
                question_similarity=(
                    float(snapshot.questions[p] @ query_vector) if p in snapshot.questions else None
                ),
                about_funds=sorted(snapshot.funds[p]),
            )
            for p in best
        ]

    def _follow_references(
        self,
        snapshot: _Snapshot,
        words: list[str],
        vector: list[float],
        mentioned: set[str],
        share_classes: set[str],
        scores: dict[int, float],
        dense: dict[int, float],
    ) -> None:
        """A top passage that defers what was asked to another document (`references`): that
        document's best passage for the question, about the named fund and class if named, ranks
        just above the pointer. `scores` and `dense` are updated in place."""
        for position in sorted(scores, key=lambda p: -scores[p])[: self.settings.top_k]:
            for source in followed(snapshot.references.get(position, []), words):
                targets = [
                    p
                    for p in snapshot.by_source.get(source, [])
                    if _about_what_is_asked(snapshot, p, mentioned, share_classes)
                ]
                if not targets:
                    continue
                similarity = snapshot.vectors.similarities(vector, targets)
                best = max(targets, key=lambda p: (scores.get(p, 0.0), similarity[p]))
                dense.setdefault(best, similarity[best])
                scores[best] = max(scores.get(best, 0.0), scores[position] + 1e-6)

    def _without_names(self, query: str, mentions: list[FundMention]) -> list[float] | None:
        """The vector of `query` with the funds' names blanked; None if it names none."""
        rest = without_fund_names(query, mentions)
        if not rest.strip() or rest == query:
            return None
        return self.embedder.get_query_embedding(rest)

    def _judge_on_what_is_asked(
        self,
        snapshot: _Snapshot,
        rest_vector: list[float],
        best: list[int],
        dense: dict[int, float],
    ) -> None:
        """Every passage of a named fund's documents matches the fund's name, so e5 finds
        its overview as close to 添益货币管理费多少 as its fee article. The question without
        the name (管理费多少) tells them apart: each passage's similarity becomes the mean of
        the two, which the passage ranker and the answerability gate read. Wrong answers with
        / without: kb4 (dev) 45 / 50 at 197 right both, kb2 (dev) 18 / 19 at 159 / 161 right,
        first company 9 / 9; weight 1.0 instead of the mean cut more wrong answers and more
        right ones (kb4 40 wrong at 193 right). `dense` is updated in place."""
        aspect = snapshot.vectors.similarities(rest_vector, best)
        for position in best:
            if position in dense:
                dense[position] = (dense[position] + aspect[position]) / 2

    def _dense(
        self, snapshot: _Snapshot, vector: list[float], filters: RetrievalFilters | None, n: int
    ) -> dict[int, float]:
        """Ranked by the adapted question when an adapter fits this embedder; each passage's
        similarity is e5's own (see `query_adapter`)."""
        keep = _mask(snapshot.chunks, filters) if filters is not None else None
        if self.adapter is None:
            return snapshot.vectors.nearest(vector, n, keep)
        ranked = snapshot.vectors.nearest(self.adapter.adapt(vector), n, keep)
        return snapshot.vectors.similarities(vector, list(ranked))

    def _bm25(
        self, snapshot: _Snapshot, words: list[str], filters: RetrievalFilters | None, n: int
    ) -> dict[int, float]:
        if not words or snapshot.bm25 is None:
            return {}
        scores = np.asarray(snapshot.bm25.get_scores(words))
        if filters is not None:
            scores = scores * _mask(snapshot.chunks, filters)
        order = np.argsort(-scores)[:n]
        return {int(p): float(scores[p]) for p in order if scores[p] > 0}

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return [
            NodeWithScore(node=TextNode(id_=c.id, text=c.text, metadata=c.metadata), score=c.score)
            for c in self.search(query_bundle.query_str)
        ]


def without_fund_names(query: str, mentions: list[FundMention]) -> str:
    """`query` with every name and code it names a fund by blanked, the longest first."""
    for surface in sorted({s for m in mentions for s in m.matched}, key=len, reverse=True):
        query = query.replace(surface, " ")
    return query


def normalised_synonyms(synonyms: dict[str, list[str]] | None) -> dict[str, list[str]]:
    """Keys lower-cased, since `expand` matches them against the lower-cased query."""
    return {str(k).lower(): [str(w) for w in v] for k, v in (synonyms or {}).items()}


def expand(query: str, synonyms: dict[str, list[str]]) -> str:
    """Add the documents' words for the client's (卖 → 赎回): BM25 and term coverage cannot
    paraphrase."""
    lowered = query.lower()
    extra = [w for key, words in synonyms.items() if key in lowered for w in words]
    return f"{query} {' '.join(extra)}" if extra else query


def _codes(chunk: StoredChunk) -> list[str]:
    return [c for c in str(chunk.metadata.get("fund_codes", "")).split(",") if c]


def _funds_of(
    chunk: StoredChunk,
    catalog: FundCatalog,
    documents: dict[tuple[str, str], frozenset[str] | None],
) -> frozenset[str]:
    """A product summary is about its fund throughout, and so is a document whose title, or else
    whose file name, names one fund (an announcement filed as 2026-12-02_X定开债开放申购赎回的公告
    whose title names no one fund); in an FAQ or a rules document only the funds a
    chunk names count (the document-level list of an FAQ names every fund). `documents` keeps
    each document's reading, so a snapshot reads a title and a file name once, not per chunk."""
    if chunk.metadata.get("doc_type") == "product_summary":
        return frozenset(_codes(chunk))
    key = (str(chunk.metadata.get("title") or ""), str(chunk.metadata.get("source", "")))
    if key not in documents:
        documents[key] = _document_funds(*key, catalog)
    about = documents[key]
    if about is not None:
        return about
    text = f"{chunk.metadata.get('section') or ''} {chunk.text}"
    return frozenset(code for m in catalog.spot(text) for code in m.fund.codes)


def _document_funds(title: str, source: str, catalog: FundCatalog) -> frozenset[str] | None:
    """The one fund a document's title, or else its file name, names; None if neither names
    exactly one."""
    for name in (title, PurePosixPath(source).stem):
        titled = catalog.spot(name)
        if len(titled) == 1:
            return frozenset(titled[0].fund.codes)
    return None


def _carried_on(
    chunks: list[StoredChunk], funds: list[frozenset[str]], catalog: FundCatalog
) -> list[frozenset[str]]:
    """A section split into several chunks is about the one fund its earlier chunk is about
    when a later one names none: the second half of "US dollar share classes" (the USD
    classes' T+8 redemption) is the healthcare fund's, though only the first half names it. A
    chunk naming several funds passes none on: what follows may be about any or all."""
    carried = list(funds)
    order = sorted(
        range(len(chunks)),
        key=lambda i: (
            str(chunks[i].metadata.get("source")),
            int(chunks[i].metadata.get("chunk_index") or 0),
        ),
    )
    for before, after in itertools.pairwise(order):
        same_section = all(
            chunks[before].metadata.get(key) == chunks[after].metadata.get(key)
            for key in ("source", "section")
        )
        one_fund = len({f.title for code in carried[before] if (f := catalog.by_code(code))}) == 1
        if (
            same_section
            and one_fund
            and chunks[after].metadata.get("section")
            and not carried[after]
        ):
            carried[after] = carried[before]
    return carried


def _about_what_is_asked(
    snapshot: _Snapshot, position: int, funds: set[str], share_classes: set[str]
) -> bool:
    """Whether a passage may answer a question naming these funds (codes) and share classes:
    it is about one of them or about no fund in particular (the rules for all funds), never
    another fund's table; and it names the class asked about or no class, never only another
    (the A class's fee table does not say what the C class costs)."""
    about, named = snapshot.funds[position], snapshot.classes[position]
    return (not funds or not about or bool(about & funds)) and (
        not share_classes or not named or bool(named & share_classes)
    )


def _diverse(ranked: list[int], snapshot: _Snapshot, top_k: int, per_source: int) -> list[int]:
    """At most `per_source` chunks of one document, so five results are not one file's five."""
    kept: list[int] = []
    seen: dict[str, int] = {}
    for position in ranked:
        source = str(snapshot.chunks[position].metadata.get("source"))
        if seen.get(source, 0) >= per_source:
            continue
        seen[source] = seen.get(source, 0) + 1
        kept.append(position)
        if len(kept) == top_k:
            break
    return kept


def _dimensions(previous: _Snapshot | None) -> int:
    return int(previous.vectors.matrix.shape[1]) if previous is not None else 0


def _mask(chunks: list[StoredChunk], filters: RetrievalFilters) -> np.ndarray:
    keep = np.ones(len(chunks))
    for i, chunk in enumerate(chunks):
        if filters.doc_types and chunk.metadata.get("doc_type") not in filters.doc_types:
            keep[i] = 0
        if filters.fund_codes and not set(_codes(chunk)) & set(filters.fund_codes):
            keep[i] = 0
    return keep
