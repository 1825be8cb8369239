"""The heavy objects, built once per process (the app's lifespan, the CLI, a test) and handed to
the pipeline. Nothing here reads the environment: `settings` comes from the caller."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from llama_index.core.base.embeddings.base import BaseEmbedding
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from assistant.answerability import AnswerabilityFeatures, AnswerabilityModel
from assistant.company import CompanyProfile, load_company_profile
from assistant.compliance import ComplianceChecker
from assistant.confidence_gate import ConfidenceGate
from assistant.cores import CORES
from assistant.coverage import CoverageCheck
from assistant.index.embeddings import E5SmallEmbedding, embedding_id, load_embedder
from assistant.index.knowledge_index import KnowledgeIndex
from assistant.prompts import PROMPTS_DIR, PromptLibrary
from assistant.redaction import Redactor
from assistant.retrieval.hybrid import HybridRetriever
from assistant.retrieval.query_adapter import load_query_adapter
from assistant.review.verdicts import ReviewStore
from assistant.settings import Settings
from assistant.state.conversations import ConversationStore
from assistant.state.database import make_engine, make_sessionmaker
from assistant.state.handoff_queue import HandoffQueue
from assistant.understanding import Understander
from assistant.writers.base import AnswerWriter, WriteRequest, WrittenAnswer
from assistant.writers.extractive import ExtractiveWriter
from assistant.writers.llm_client import LlmDownError

log = logging.getLogger(__name__)


@dataclass
class Components:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]  # the one session factory of the state database
    embedder: BaseEmbedding
    index: KnowledgeIndex
    retriever: HybridRetriever
    redactor: Redactor
    understander: Understander
    coverage: CoverageCheck
    writer: AnswerWriter
    fallback_writer: AnswerWriter
    compliance: ComplianceChecker
    gate: ConfidenceGate
    prompts: PromptLibrary
    company: CompanyProfile
    conversations: ConversationStore  # the stores mask people's free text with `redactor`
    handoffs: HandoffQueue
    reviews: ReviewStore

    def write(self, request: WriteRequest) -> WrittenAnswer:
        """The configured writer; the extractive one if it fails. An LLM merely slow: that
        text answers; an LLM down: it is the agent's draft (`service_down`). A crisis: no
        LLM — the draft is fixed wording, and the client's words need go nowhere."""
        if "crisis" in request.reasons:
            return self.fallback_writer.write(request)
        try:
            return self.writer.write(request)
        except Exception as exc:
            log.warning(
                "writer %s failed (%s); extractive fallback", self.writer.name, type(exc).__name__
            )
            written = self.fallback_writer.write(request)
            written.notes.append(f"fallback after {self.writer.name} error")
            written.service_down = isinstance(exc, LlmDownError)
            return written


def build_components(settings: Settings, *, embedder: BaseEmbedding | None = None) -> Components:
    if settings.cores is not None:
        CORES.cores = settings.cores
    prompts = PromptLibrary(PROMPTS_DIR)
    engine = make_engine(settings)
    embedder = embedder or load_embedder(settings.embedding, settings.embedding_threads)
    if isinstance(embedder, E5SmallEmbedding):
        embedder.prepare_queries()
    index = KnowledgeIndex(settings, engine)
    sessions = make_sessionmaker(engine)
    extractive = ExtractiveWriter(prompts)
    company = load_company_profile(settings.company_profile, settings.docs_dir)
    redactor = Redactor(company.redaction_settings(settings.redaction))
    retriever = make_retriever(settings, index, embedder, prompts)
    # People the live documents name (fund managers) are public: they stay readable in questions,
    # and the list follows every new index generation (an ingest adds or drops a manager).
    retriever.on_new_generation(
        lambda chunks: redactor.allow_names_from_documents(c.text for c in chunks)
    )
    return Components(
        settings=settings,
        engine=engine,
        sessions=sessions,
        embedder=embedder,
        index=index,
        retriever=retriever,
        redactor=redactor,
        understander=Understander(PROMPTS_DIR / "understanding", embedder),
        coverage=CoverageCheck.from_prompts(prompts),
        writer=_llm_writer(settings, prompts, extractive) or extractive,
        fallback_writer=extractive,
        compliance=ComplianceChecker(prompts),
        gate=ConfidenceGate(
            settings.gate, AnswerabilityModel.load(), AnswerabilityFeatures.from_prompts(prompts)
        ),
        prompts=prompts,
        company=company,
        conversations=ConversationStore(sessions, redactor),
        handoffs=HandoffQueue(sessions, redactor),
        reviews=ReviewStore(sessions, redactor),
    )


def make_retriever(
    settings: Settings, index: KnowledgeIndex, embedder: BaseEmbedding, prompts: PromptLibrary
) -> HybridRetriever:
    """The retriever with the synonyms file applied (also used alone by the benchmarks)."""
    rules = prompts.rules("retrieval")
    adapter = (
        load_query_adapter(embedding_id(settings.embedding))
        if settings.retrieval.query_adapter
        else None
    )
    return HybridRetriever(
        index,
        embedder,
        settings.retrieval,
        synonyms=rules["synonyms"],
        adapter=adapter,
        reference_pattern=re.compile(rules["reference_pattern"]),
    )


def _llm_writer(
    settings: Settings, prompts: PromptLibrary, extractive: ExtractiveWriter
) -> AnswerWriter | None:
    if not (settings.llm_base_url and settings.llm_model):
        return None
    from assistant.writers.llm import LlmWriter

    return LlmWriter(settings, prompts)
