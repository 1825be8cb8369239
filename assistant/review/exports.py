"""Downloads for reviewers: CSV that Excel opens as UTF-8 with formula-like cells defused, and
JSONL. Rows are generators so that a large audit log streams instead of filling memory."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from assistant.analytics import as_utc, day_bounds
from assistant.state.models import AuditRecord
from assistant.state.review_models import Review

BOM = "\ufeff"  # so that Excel reads the CSV as UTF-8 and shows Chinese
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
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


def jsonl(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"


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
