"""Compliance review (role compliance): eval runs and cases, the day's sample of live replies,
verdicts, agents' edits as labeled pairs, and CSV/JSONL exports."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from api.deps import ComplianceDep, ComponentsDep, SessionsDep, in_session
from api.routers.analytics import EARLIEST, LATEST
from assistant import review
from assistant.analytics import service_today
from assistant.components import Components

router = APIRouter(prefix="/v1/review", tags=["review"])


class ReviewRequest(BaseModel):
    target_type: review.TargetType
    target_id: str = Field(
        min_length=1,
        max_length=512,
        description="eval case: `<run_id>:<suite>:<case_id>`; live reply: its message id.",
    )
    verdict: review.Verdict
    comment: str | None = Field(None, max_length=4000, description="Redacted before storing.")


def _runs(components: Components) -> review.EvalRuns:
    return review.EvalRuns(components.settings.eval_dir)


def _download(lines: Iterator[str], media_type: str, filename: str) -> StreamingResponse:
    return StreamingResponse(
        lines,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/runs", response_model=list[review.RunSummary])
async def runs(actor: ComplianceDep, components: ComponentsDep) -> list[review.RunSummary]:
    """Eval runs in FA_EVAL_DIR, newest first: metrics, failed thresholds, case counts."""
    return await run_in_threadpool(_runs(components).summaries)


@router.get("/runs/{run_id}/cases", response_model=list[review.ReviewedCase])
async def cases(
    run_id: str,
    where: Annotated[review.CaseFilter, Query()],
    actor: ComplianceDep,
    components: ComponentsDep,
    sessions: SessionsDep,
) -> list[review.ReviewedCase]:
    """A run's cases, filtered by verdict (pass|fail), suite, intent, route and language."""
    return await in_session(
        sessions, lambda db: review.review_cases(_runs(components), db, run_id, where)
    )


@router.get("/samples", response_model=list[review.LiveReply])
async def samples(
    actor: ComplianceDep,
    components: ComponentsDep,
    sessions: SessionsDep,
    day: Annotated[date | None, Query(alias="date", ge=EARLIEST, le=LATEST)] = None,
) -> list[review.LiveReply]:
    """The day's live replies to review (Beijing day, default today): a fixed sample of
    FA_REVIEW__SAMPLES_PER_DAY replies plus every handoff whose draft was edited or rejected."""
    size = components.settings.review.samples_per_day
    return await in_session(
        sessions, lambda db: review.daily_sample(db, day or service_today(), size)
    )


@router.post("/reviews", response_model=review.ReviewOut, status_code=201)
async def add_review(
    body: ReviewRequest, reviewer: ComplianceDep, components: ComponentsDep
) -> review.ReviewOut:
    """Record a verdict on an eval case or a live reply; also written to the audit log."""
    return await run_in_threadpool(
        lambda: components.reviews.add(
            _runs(components),
            target_type=body.target_type,
            target_id=body.target_id,
            verdict=body.verdict,
            comment=body.comment,
            reviewer=reviewer.actor,
        )
    )


@router.get("/reviews", response_model=list[review.ReviewOut])
async def reviews(
    actor: ComplianceDep,
    sessions: SessionsDep,
    verdict: review.Verdict | None = None,
    target_type: review.TargetType | None = None,
    history: Annotated[bool, Query(description="Also the reviews a later one superseded.")] = False,
) -> list[review.ReviewOut]:
    """Reviews, newest first; by default each target's latest only."""
    return await in_session(
        sessions,
        lambda db: review.list_reviews(
            db, verdict=verdict, target_type=target_type, latest_only=not history
        ),
    )


@router.get("/edit-pairs", response_model=list[review.EditPair])
async def edit_pairs(actor: ComplianceDep, sessions: SessionsDep) -> list[review.EditPair]:
    """Every handoff resolved by editing the draft: the question, the draft and what was sent."""
    return await in_session(sessions, review.edit_pairs)


@router.get("/export/edit-pairs.jsonl")
async def export_edit_pairs(actor: ComplianceDep, sessions: SessionsDep) -> StreamingResponse:
    """The edit pairs as eval cases, one JSON object a line (like evals/datasets/answers.jsonl)."""
    pairs = await in_session(sessions, review.edit_pairs)
    lines = review.jsonl(p.as_eval_case() for p in pairs)
    return _download(lines, "application/x-ndjson; charset=utf-8", "edit-pairs.jsonl")


@router.get("/export/reviews.csv")
async def export_reviews(actor: ComplianceDep, sessions: SessionsDep) -> StreamingResponse:
    """Every review, superseded ones included, as CSV (UTF-8 with BOM for Excel)."""
    lines = review.csv_lines(review.REVIEW_COLUMNS, review.review_rows(sessions))
    return _download(lines, "text/csv; charset=utf-8", "reviews.csv")


@router.get("/export/audit.csv")
async def export_audit(
    actor: ComplianceDep,
    sessions: SessionsDep,
    start: Annotated[date | None, Query(alias="from", ge=EARLIEST, le=LATEST)] = None,
    end: Annotated[date | None, Query(alias="to", ge=EARLIEST, le=LATEST)] = None,
) -> StreamingResponse:
    """Audit records of the Beijing days from..to (inclusive; either may be left open) as CSV."""
    if start and end and start > end:
        raise HTTPException(422, "from is after to")
    lines = review.csv_lines(review.AUDIT_COLUMNS, review.audit_rows(sessions, start, end))
    return _download(lines, "text/csv; charset=utf-8", "audit.csv")
