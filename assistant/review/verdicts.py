"""Reviewers' verdicts on eval cases and live replies. A target may be reviewed again: the latest
review is the verdict that counts, and every review is also an audit record."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from assistant.analytics import UtcDatetime
from assistant.review.runs import CaseFilter, EvalCase, EvalRuns
from assistant.state.audit import record_audit
from assistant.state.conversations import NotFoundError, reply_message
from assistant.state.masking import TextMasker
from assistant.state.review_models import Review

TargetType = Literal["eval_case", "live_reply"]
Verdict = Literal["approved", "flagged"]


class ReviewOut(BaseModel):
    id: str
    target_type: str
    target_id: str
    verdict: str
    comment: str | None
    reviewer: str
    created_at: UtcDatetime


class ReviewStore:
    """Writes reviewers' verdicts. The comment is masked here, whoever the caller is."""

    def __init__(self, sessions: sessionmaker[Session], masker: TextMasker) -> None:
        self._sessions = sessions
        self._masker = masker

    def add(
        self,
        runs: EvalRuns,
        *,
        target_type: TargetType,
        target_id: str,
        verdict: Verdict,
        comment: str | None,
        reviewer: str,
    ) -> ReviewOut:
        """The review and its audit record land together or not at all."""
        masked = self._masker.masked(comment)
        with self._sessions.begin() as db:
            message = reply_message(db, target_id) if target_type == "live_reply" else None
            if target_type == "eval_case" and not runs.has_case(target_id):
                raise NotFoundError(f"unknown eval case {target_id}")
            row = Review(
                target_type=target_type,
                target_id=target_id,
                verdict=verdict,
                comment=masked,
                reviewer=reviewer,
            )
            db.add(row)
            db.flush()
            data = {
                "review_id": row.id,
                "target_type": target_type,
                "target_id": target_id,
                "verdict": verdict,
                "comment": masked,
            }
            record_audit(
                db,
                "review",
                reviewer,
                data,
                session_id=message.session_id if message else None,
                message_id=message.id if message else None,
            )
            return ReviewOut.model_validate(row, from_attributes=True)


def list_reviews(
    db: Session,
    *,
    verdict: Verdict | None = None,
    target_type: TargetType | None = None,
    latest_only: bool = True,
) -> list[ReviewOut]:
    """Newest first. By default only each target's latest review: a later verdict replaces an
    earlier one (the earlier stays in the table, the audit log and the CSV export)."""
    query = select(Review).order_by(Review.created_at.desc())
    if target_type:
        query = query.where(Review.target_type == target_type)
    rows, seen = [], set()
    for row in db.scalars(query):
        key = (row.target_type, row.target_id)
        if latest_only and key in seen:
            continue
        seen.add(key)
        if verdict is None or row.verdict == verdict:
            rows.append(ReviewOut.model_validate(row, from_attributes=True))
    return rows


def latest_verdicts(db: Session, target_type: TargetType, ids: Iterable[str]) -> dict[str, str]:
    """target id → its latest verdict, for the ids that have one."""
    wanted = list(ids)
    rows = db.execute(
        select(Review.target_id, Review.verdict)
        .where(Review.target_type == target_type, Review.target_id.in_(wanted))
        .order_by(Review.created_at)
    ).all()
    return {target_id: verdict for target_id, verdict in rows}


class ReviewedCase(EvalCase):
    target_id: str  # what POST /v1/review/reviews takes for this case
    verdict: str | None  # the latest review's, if any


def review_cases(runs: EvalRuns, db: Session, run_id: str, where: CaseFilter) -> list[ReviewedCase]:
    """A run's cases that pass the filter, each with the id to review it by and its verdict."""
    cases = runs.cases(run_id, where)
    targets = [f"{run_id}:{c.suite}:{c.id}" for c in cases]
    verdicts = latest_verdicts(db, "eval_case", targets)
    return [
        ReviewedCase(**c.model_dump(), target_id=t, verdict=verdicts.get(t))
        for c, t in zip(cases, targets, strict=True)
    ]
