"""The other companies' suites: a fictional company's documents served by the unchanged product.

`kb2` (the second company, a dev set since session 9) and `kb3` (the third, held out and blind):
each company's documents are ingested into a temporary data folder exactly as `fund-assistant
ingest --docs evals/kbN/docs` would (the same `Ingestor` and `KnowledgeIndex`), and both of its
question files are run through the whole pipeline. The figures are measured and reported, never
tuned on (see each folder's README), so these suites have no thresholds.
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.components import build_components
from assistant.models import TurnRequest
from assistant.pipeline import AssistantPipeline
from assistant.settings import Settings
from evals.common import fresh_settings, ingest_fresh, load_dataset
from evals.kb2.validate import company_files, load_rows
from evals.metrics import ANSWERED_RIGHT, ANSWERED_WRONG, outcome_rates
from evals.suites import CaseResult, SuiteResult, outcome_of, run_answers
from ingestion.pipeline import IngestReport

SUITE = "kb2"
# Every fictional company with its own folder under evals/.
COMPANIES = ("kb2", "kb3", "kb4", "kb5", "kb6", "kb7", "kb8", "kb9")
# Written blind and never tuned or trained on: measured once after every choice is fixed,
# summaries only (the suites refuse to write their cases, `--cases`).
HELD_OUT = ("kb3", "kb5", "kb8", "kb9")
# The companies whose labelled questions the answer models may learn from ("kb1": the first
# company's retrieval and ranker sets), and those the shipped pair reader and question adapter
# are trained on: kb6 and kb7 stay their unseen dev companies; no trainer reads HELD_OUT.
TRAINABLE = ("kb1", "kb2", "kb4", "kb6", "kb7")
TRAINED_ON = ("kb1", "kb2", "kb4")
# The first company's own documents, and its labelled questions the answer models learn from
# (its answers.jsonl stays its dev check).
FIRST_COMPANY_DOCS = Path(__file__).resolve().parents[2] / "knowledge_docs"
FIRST_COMPANY_LABELLED = ("retrieval.jsonl", "ranker_train.jsonl")


@dataclass(frozen=True)
class Company:
    """One fictional company's folder: its documents and its two question files."""

    suite: str
    docs: Path
    questions: Path
    unanswerable: Path


def company(name: str, question_set: str = "main") -> Company:
    """A company folder (`COMPANIES`) and one of its question sets (`QUESTION_SETS`), found
    beside the folder's own validator."""
    validator = str(importlib.import_module(f"evals.{name}.validate").__file__)
    docs, questions, unanswerable = company_files(validator, question_set)
    return Company(name, docs, questions, unanswerable)


def company_docs(name: str) -> Path:
    """A trainable company's documents (kb1: the first company's, `knowledge_docs`)."""
    return FIRST_COMPANY_DOCS if name == "kb1" else company(name).docs


def training_questions(name: str) -> list[dict[str, Any]]:
    """The labelled questions of a trainable company that the answer models learn from."""
    if name == "kb1":
        return [case for file in FIRST_COMPANY_LABELLED for case in load_dataset(file)]
    return load_rows(company(name).questions)


@contextmanager
def company_pipeline(
    docs: Path, settings: Settings | None = None, embedder: Any = None
) -> Iterator[tuple[AssistantPipeline, IngestReport]]:
    """The whole pipeline over a fresh index of a company's documents (a temporary data
    folder), ingested exactly as `fund-assistant ingest --docs evals/kbN/docs` would."""
    base = settings or Settings()
    with fresh_settings(base.model_copy(update={"docs_dir": docs})) as kb_settings:
        report, embedder = ingest_fresh(kb_settings, embedder)
        with closing(AssistantPipeline(build_components(kb_settings, embedder=embedder))) as p:
            yield p, report


def run_kb2(
    settings: Settings,
    embedder: Any = None,
    docs: Path | None = None,
    name: str = SUITE,
    question_set: str = "main",
) -> SuiteResult:
    """Ingest a company's documents into a fresh data folder and run one question set's two
    files (answerable and unanswerable)."""
    kb = company(name, question_set)
    with company_pipeline(docs or kb.docs, settings, embedder) as (pipeline, report):
        if report.failed:
            raise RuntimeError(f"{name} documents failed to ingest: {report.failed}")
        result = run_kb2_on(
            pipeline, load_rows(kb.questions), load_rows(kb.unanswerable), suite=name
        )
        result.extra["ingest"] = {"documents": len(report.added), "chunks": report.chunks}
        return result


def run_kb2_on(
    pipeline: AssistantPipeline,
    answerable: list[dict[str, Any]],
    unanswerable: list[dict[str, Any]],
    suite: str = SUITE,
) -> SuiteResult:
    answers = run_answers(pipeline, answerable, suite=suite)
    for case in answers.cases:
        case.groups["set"] = "answerable"
    declined = [_unanswerable_case(pipeline, row, suite) for row in unanswerable]
    outcomes = [c.output["outcome"] for c in declined]
    metrics = {
        key: answers.metrics[key]
        for key in (
            "fact_recall",
            "answered_share",
            "wrong_answer_rate",
            "wrong_answers",
            "asked_back_rate",
            "handoff_rate",
            "not_quoted_rate",
            "source_cited",
            "latency_p95_ms",
        )
    }
    unanswered = outcome_rates(outcomes)
    metrics["unanswerable_answered"] = unanswered["answered_share"]
    metrics["unanswerable_asked_back"] = unanswered["asked_back_rate"]
    metrics["unanswerable_handoff"] = unanswered["handoff_rate"]
    # Both sets together: of everything quoted from the documents, the share that was wrong.
    everything = outcome_rates([c.output["outcome"] for c in answers.cases] + outcomes)
    metrics["wrong_answer_rate_all"] = everything["wrong_answer_rate"]
    by_kind: dict[str, Counter[str]] = {}
    for case in declined:
        by_kind.setdefault(case.groups["kind"], Counter())[case.output["outcome"]] += 1
    return SuiteResult(
        suite,
        metrics,
        answers.cases + declined,
        extra={"unanswerable_by_kind": {k: dict(v) for k, v in sorted(by_kind.items())}},
    )


def _unanswerable_case(pipeline: AssistantPipeline, row: dict[str, Any], suite: str) -> CaseResult:
    reply = pipeline.handle(TurnRequest(message=row["question"]))
    outcome = outcome_of(reply, None, set())
    return CaseResult(
        suite=suite,
        id=row["id"],
        input={"question": row["question"], "kind": row["kind"]},
        output={**reply.model_dump(mode="json"), "outcome": outcome},
        checks={"not_answered": outcome not in (ANSWERED_RIGHT, ANSWERED_WRONG)},
        score=float(outcome not in (ANSWERED_RIGHT, ANSWERED_WRONG)),
        groups={
            "set": "unanswerable",
            "kind": row["kind"],
            "language": row["language"],
            "intent": reply.intent,
            "route": reply.route,
        },
    )
