"""Compliance review: eval runs and their cases, the day's sample of live replies, reviewers'
verdicts (each also an audit record), agents' edits as labeled pairs, and CSV exports.

Eval runs are the JSON files `fund-assistant eval` writes; they are read, never written, here.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from assistant.analytics import as_utc, day_bounds
from assistant.state.conversations import NotFoundError
from assistant.state.models import AuditRecord, ChatMessage, Handoff
from assistant.state.review_models import Review

log = logging.getLogger(__name__)

TargetType = Literal["eval_case", "live_reply"]
Verdict = Literal["approved", "flagged"]
RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")
BOM = "\ufeff"  # so that Excel reads the CSV as UTF-8 and shows Chinese
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# Times leave as UTC with an offset, whatever the database handed back (SQLite: naive).
UtcDatetime = Annotated[datetime, AfterValidator(as_utc)]


# --- eval runs --------------------------------------------------------------------------------


class EvalCase(BaseModel):
    suite: str
    id: str
    input: dict[str, Any] = {}
    output: dict[str, Any] = {}
    checks: dict[str, bool] = {}
    passed: bool
    score: float = 1.0
    groups: dict[str, str] = {}

    def group(self, name: str) -> str | None:
        """A grouping (intent, route, language) from the case's groups, else its reply."""
        value = self.groups.get(name) or self.output.get(name)
        return value if isinstance(value, str) else None


class EvalRun(BaseModel):
    id: str
    started_at: UtcDatetime
    finished_at: UtcDatetime | None = None
    git_commit: str | None = None
    metrics: dict[str, dict[str, float]] = {}
    failed_thresholds: list[str] = []
    cases: list[EvalCase] = []


class CaseCounts(BaseModel):
    total: int
    passed: int
    failed: int
    by_suite: dict[str, dict[str, int]]  # suite → {"total", "failed"}


class RunSummary(BaseModel):
    id: str
    started_at: UtcDatetime
    finished_at: UtcDatetime | None
    git_commit: str | None
    metrics: dict[str, dict[str, float]]
    failed_thresholds: list[str]
    cases: CaseCounts

    @classmethod
    def of(cls, run: EvalRun) -> RunSummary:
        suites: dict[str, dict[str, int]] = {}
        for case in run.cases:
            tally = suites.setdefault(case.suite, {"total": 0, "failed": 0})
            tally["total"] += 1
            tally["failed"] += not case.passed
        failed = sum(not c.passed for c in run.cases)
        counts = CaseCounts(
            total=len(run.cases), passed=len(run.cases) - failed, failed=failed, by_suite=suites
        )
        return cls(**run.model_dump(exclude={"cases"}), cases=counts)


class CaseFilter(BaseModel):
    verdict: Literal["pass", "fail"] | None = None
    suite: str | None = None
    intent: str | None = None
    route: str | None = None
    language: str | None = None

    def keeps(self, case: EvalCase) -> bool:
        if self.verdict and case.passed != (self.verdict == "pass"):
            return False
        if self.suite and case.suite != self.suite:
            return False
        wanted = {"intent": self.intent, "route": self.route, "language": self.language}
        return all(case.group(k) == v for k, v in wanted.items() if v)


class EvalRuns:
    """The run files in one folder; a run id is a file stem and nothing else."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def summaries(self) -> list[RunSummary]:
        """Every readable run, newest first; an unreadable file is logged and skipped."""
        runs = []
        for path in sorted(self.directory.glob("*.json")):
            try:
                runs.append(_summary(path, *_stamp(path)))
            except (OSError, ValueError, ValidationError) as exc:
                log.warning("skipping eval run %s: %s", path.name, type(exc).__name__)
        return sorted(runs, key=lambda r: (r.started_at, r.id), reverse=True)

    def run(self, run_id: str) -> EvalRun:
        path = self.directory / f"{run_id}.json"
        if not RUN_ID.fullmatch(run_id) or ".." in run_id or not path.is_file():
            raise NotFoundError(f"unknown eval run {run_id}")
        try:
            return _load_run(path, *_stamp(path))
        except (OSError, ValueError, ValidationError) as exc:
            raise NotFoundError(f"eval run {run_id} is unreadable") from exc

    def cases(self, run_id: str, where: CaseFilter) -> list[EvalCase]:
        return [c for c in self.run(run_id).cases if where.keeps(c)]

    def has_case(self, target_id: str) -> bool:
        """`<run_id>:<suite>:<case_id>` names a case of a run in this folder."""
        run_id, _, rest = target_id.partition(":")
        suite, _, case_id = rest.partition(":")
        try:
            cases = self.run(run_id).cases
        except NotFoundError:
            return False
        return any(c.suite == suite and c.id == case_id for c in cases)


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


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=16)
def _load_run(path: Path, _mtime_ns: int, _size: int) -> EvalRun:
    """Parsed once per file version: a full run holds every case's reply and can be large."""
    return EvalRun.model_validate_json(path.read_bytes())


@lru_cache(maxsize=1024)
def _summary(path: Path, mtime_ns: int, size: int) -> RunSummary:
    """Summaries are small, so every run's stays cached and listing does not re-parse runs."""
    return RunSummary.of(_load_run(path, mtime_ns, size))


# --- reviews ----------------------------------------------------------------------------------


class ReviewOut(BaseModel):
    id: str
    target_type: str
    target_id: str
    verdict: str
    comment: str | None
    reviewer: str
    created_at: UtcDatetime


def add_review(
    sessions: sessionmaker[Session],
    runs: EvalRuns,
    *,
    target_type: TargetType,
    target_id: str,
    verdict: Verdict,
    comment: str | None,
    reviewer: str,
) -> ReviewOut:
    """The review and its audit record land together or not at all."""
    with sessions.begin() as db:
        message = _live_target(db, target_id) if target_type == "live_reply" else None
        if target_type == "eval_case" and not runs.has_case(target_id):
            raise NotFoundError(f"unknown eval case {target_id}")
        row = Review(
            target_type=target_type,
            target_id=target_id,
            verdict=verdict,
            comment=comment,
            reviewer=reviewer,
        )
        db.add(row)
        db.flush()
        db.add(
            AuditRecord(
                kind="review",
                actor=reviewer,
                session_id=message.session_id if message else None,
                message_id=message.id if message else None,
                data={
                    "review_id": row.id,
                    "target_type": target_type,
                    "target_id": target_id,
                    "verdict": verdict,
                    "comment": comment,
                },
            )
        )
        return ReviewOut.model_validate(row, from_attributes=True)


def _live_target(db: Session, message_id: str) -> ChatMessage:
    message = db.get(ChatMessage, message_id)
    if message is None or message.role == "client":
        raise NotFoundError(f"unknown reply message {message_id}")
    return message


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


# --- live replies -----------------------------------------------------------------------------


class LiveReply(BaseModel):
    message_id: str
    session_id: str
    created_at: UtcDatetime
    sampled: bool  # chosen by the day's sample (else here as an edited or rejected handoff)
    question: str | None  # the client's message, redacted
    answer: str
    route: str | None
    intent: str | None
    language: str | None
    confidence: float | None
    reasons: list[str]
    citations: list[str]
    sources: list[dict[str, Any]]
    handoff_id: str | None = None
    resolution: str | None = None
    draft: str | None = None
    sent_text: str | None = None
    verdict: str | None = None  # the latest review's


def daily_sample(db: Session, day: date, size: int) -> list[LiveReply]:
    """`size` of the day's replies, the ones whose id hashes lowest (the same day always gives
    the same sample, and a reply arriving later only enters by displacing one), plus every
    handoff resolved that day whose draft the agent edited or rejected."""
    low, high = day_bounds(day, day)
    ids = db.scalars(
        select(ChatMessage.id)
        .where(ChatMessage.role == "assistant", ChatMessage.created_at >= low)
        .where(ChatMessage.created_at < high)
    ).all()
    sampled = set(sorted(ids, key=lambda i: hashlib.sha256(i.encode()).hexdigest())[:size])
    handoffs = db.scalars(
        select(Handoff).where(
            Handoff.resolved_at >= low,
            Handoff.resolved_at < high,
            Handoff.resolution.in_(("edited", "rejected")),
        )
    ).all()
    items = _live_replies(db, sampled | {h.message_id for h in handoffs}, sampled)
    return sorted(items, key=lambda i: (i.created_at, i.message_id))


def _live_replies(db: Session, message_ids: set[str], sampled: set[str]) -> list[LiveReply]:
    messages = db.scalars(select(ChatMessage).where(ChatMessage.id.in_(message_ids))).all()
    audits = _reply_audits(db, message_ids)
    handoffs = {
        h.message_id: h
        for h in db.scalars(select(Handoff).where(Handoff.message_id.in_(message_ids)))
    }
    verdicts = latest_verdicts(db, "live_reply", message_ids)
    return [
        _live_reply(m, audits.get(m.id, {}), handoffs.get(m.id), m.id in sampled, verdicts)
        for m in messages
    ]


def _reply_audits(db: Session, message_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    rows = db.scalars(
        select(AuditRecord).where(
            AuditRecord.kind == "reply", AuditRecord.message_id.in_(list(message_ids))
        )
    )
    return {r.message_id: r.data for r in rows if r.message_id}


def _live_reply(
    message: ChatMessage,
    audit: dict[str, Any],
    handoff: Handoff | None,
    sampled: bool,
    verdicts: dict[str, str],
) -> LiveReply:
    return LiveReply(
        message_id=message.id,
        session_id=message.session_id,
        created_at=message.created_at,
        sampled=sampled,
        question=audit.get("question"),
        answer=message.text,
        route=message.route,
        intent=message.intent,
        language=audit.get("language"),
        confidence=audit.get("confidence"),
        reasons=list(audit.get("reasons") or []),
        citations=list(audit.get("citations") or []),
        sources=list(audit.get("sources") or []),
        handoff_id=handoff.id if handoff else None,
        resolution=handoff.resolution if handoff else None,
        draft=handoff.draft if handoff else None,
        sent_text=handoff.sent_text if handoff else None,
        verdict=verdicts.get(message.id),
    )


# --- agents' edits as labeled pairs -----------------------------------------------------------


class EditPair(BaseModel):
    handoff_id: str
    question: str | None
    draft: str
    sent: str
    reasons: list[str]
    language: str
    resolved_at: UtcDatetime | None

    def as_eval_case(self) -> dict[str, Any]:
        """A line in the style of evals/datasets/answers.jsonl: the agent's text is the
        reference answer the assistant should have given."""
        return {
            "id": f"edit-{self.handoff_id}",
            "question": self.question,
            "language": self.language,
            "reference_answer": self.sent,
            "draft": self.draft,
            "reasons": self.reasons,
        }


def edit_pairs(db: Session) -> list[EditPair]:
    """Every handoff an agent resolved by editing the draft, oldest first."""
    rows = db.scalars(
        select(Handoff).where(Handoff.resolution == "edited").order_by(Handoff.resolved_at)
    ).all()
    audits = _reply_audits(db, [r.message_id for r in rows])
    return [
        EditPair(
            handoff_id=r.id,
            question=audits.get(r.message_id, {}).get("question"),
            draft=r.draft,
            sent=r.sent_text or "",
            reasons=list(r.reasons),
            language=r.language,
            resolved_at=r.resolved_at,
        )
        for r in rows
    ]


def jsonl(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"


# --- CSV exports ------------------------------------------------------------------------------

REVIEW_COLUMNS = ["id", "created_at", "reviewer", "target_type", "target_id", "verdict", "comment"]
AUDIT_COLUMNS = [
    "id",
    "created_at",
    "kind",
    "actor",
    "session_id",
    "message_id",
    "route",
    "intent",
    "confidence",
    "reasons",
    "question",
    "data",
]


def csv_lines(header: list[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """CSV text line by line, starting with a byte-order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield BOM + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_cell(value) for value in row])
        yield buffer.getvalue()


def _cell(value: Any) -> Any:
    """Client text that starts like a formula (=HYPERLINK(…)) would run when a reviewer opens
    the export in Excel; a leading apostrophe makes it plain text (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def review_rows(sessions: sessionmaker[Session]) -> Iterator[list[Any]]:
    """Every review, superseded ones included, oldest first: the export is the full record."""
    with sessions() as db:
        for r in db.scalars(select(Review).order_by(Review.created_at)):
            yield [
                r.id,
                as_utc(r.created_at).isoformat(),
                r.reviewer,
                r.target_type,
                r.target_id,
                r.verdict,
                r.comment or "",
            ]


def audit_rows(
    sessions: sessionmaker[Session], start: date | None, end: date | None
) -> Iterator[list[Any]]:
    """Audit records in [start, end] (Beijing days, either end open), oldest first, streamed."""
    query = select(AuditRecord).order_by(AuditRecord.id)
    if start:
        query = query.where(AuditRecord.created_at >= day_bounds(start, start)[0])
    if end:
        query = query.where(AuditRecord.created_at < day_bounds(end, end)[1])
    with sessions() as db:
        for record in db.scalars(query.execution_options(yield_per=500)):
            yield _audit_row(record)


def _audit_row(record: AuditRecord) -> list[Any]:
    """The fields a reviewer filters on in Excel, then the whole record as JSON."""
    data = record.data or {}
    reasons = data.get("reasons")
    return [
        record.id,
        as_utc(record.created_at).isoformat(),
        record.kind,
        record.actor,
        record.session_id or "",
        record.message_id or "",
        data.get("route", ""),
        data.get("intent", ""),
        data.get("confidence", ""),
        ";".join(map(str, reasons)) if isinstance(reasons, list) else "",
        data.get("question", ""),
        json.dumps(data, ensure_ascii=False, sort_keys=True),
    ]
