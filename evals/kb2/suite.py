"""The `kb2` suite: the second, fictional company's documents served by the unchanged product.

Its documents are ingested into a temporary data folder exactly as `fund-assistant ingest --docs
evals/kb2/docs` would (the same `Ingestor` and `KnowledgeIndex`), and both question files are
run through the whole pipeline. Held out: these figures are measured and reported, never tuned on
(see `evals/kb2/README.md`), so the suite has no thresholds.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from assistant.components import build_components
from assistant.models import TurnRequest
from assistant.pipeline import AssistantPipeline
from assistant.settings import Settings
from evals.common import fresh_settings, ingest_fresh
from evals.kb2.validate import DOCS, QUESTIONS, UNANSWERABLE, load_rows
from evals.metrics import ANSWERED_RIGHT, ANSWERED_WRONG, outcome_rates
from evals.suites import CaseResult, SuiteResult, outcome_of, run_answers

SUITE = "kb2"


def run_kb2(settings: Settings, embedder: Any = None, docs: Path = DOCS) -> SuiteResult:
    """Ingest the kb2 documents into a fresh data folder and run both question sets."""
    with fresh_settings(settings.model_copy(update={"docs_dir": docs})) as kb2_settings:
        report, embedder = ingest_fresh(kb2_settings, embedder)
        if report.failed:
            raise RuntimeError(f"kb2 documents failed to ingest: {report.failed}")
        pipeline = AssistantPipeline(build_components(kb2_settings, embedder=embedder))
        result = run_kb2_on(pipeline, load_rows(QUESTIONS), load_rows(UNANSWERABLE))
        result.extra["ingest"] = {"documents": len(report.added), "chunks": report.chunks}
        return result


def run_kb2_on(
    pipeline: AssistantPipeline,
    answerable: list[dict[str, Any]],
    unanswerable: list[dict[str, Any]],
) -> SuiteResult:
    answers = run_answers(pipeline, answerable, suite=SUITE)
    for case in answers.cases:
        case.groups["set"] = "answerable"
    declined = [_unanswerable_case(pipeline, row) for row in unanswerable]
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
        SUITE,
        metrics,
        answers.cases + declined,
        extra={"unanswerable_by_kind": {k: dict(v) for k, v in sorted(by_kind.items())}},
    )


def _unanswerable_case(pipeline: AssistantPipeline, row: dict[str, Any]) -> CaseResult:
    reply = pipeline.handle(TurnRequest(message=row["question"]))
    outcome = outcome_of(reply, None, set())
    return CaseResult(
        suite=SUITE,
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
