"""The one way an audit record is written: inside the caller's transaction, so the record and
the change it describes land together or not at all."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from assistant.state.models import AuditRecord


def record_audit(
    db: Session,
    kind: str,
    actor: str,
    data: Mapping[str, object],
    *,
    session_id: str | None = None,
    message_id: str | None = None,
) -> AuditRecord:
    """Append one record (reply, handoff_claimed, handoff_resolved, review) to the session."""
    record = AuditRecord(
        kind=kind, actor=actor, session_id=session_id, message_id=message_id, data=dict(data)
    )
    db.add(record)
    return record
