"""The agents' queue: highest priority first, then longest waiting.

Claiming and resolving are compare-and-set updates (`UPDATE … WHERE id = :id AND status = …`,
checked by the row count), so that exactly one of several agents acting at the same moment wins,
on SQLite (which ignores `SELECT … FOR UPDATE`) and PostgreSQL alike. The winner's update, the
agent message it sends and the audit record are one transaction; a loser changes nothing and
gets a ConflictError naming who holds the handoff.
"""

from __future__ import annotations

from typing import Any, Literal, cast

from sqlalchemy import CursorResult, and_, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from assistant.state.audit import record_audit
from assistant.state.errors import ConflictError, NotFoundError
from assistant.state.masking import TextMasker
from assistant.state.models import ChatMessage, Handoff, utcnow

Action = Literal["accept", "edit", "reject"]
Status = Literal["open", "claimed", "resolved"]
RESOLUTIONS = {"accept": "accepted", "edit": "edited", "reject": "rejected"}
QUEUE_ORDER = (Handoff.priority.desc(), Handoff.created_at.asc(), Handoff.id.asc())


class HandoffQueue:
    def __init__(self, sessions: sessionmaker[Session], masker: TextMasker) -> None:
        self._sessions = sessions
        self._masker = masker

    # --- reading -----------------------------------------------------------------------------

    def list(
        self, status: Status | None = "open", limit: int = 50, offset: int = 0
    ) -> list[Handoff]:
        """One page in queue order (the id breaks ties, so pages never overlap or skip)."""
        query = select(Handoff).order_by(*QUEUE_ORDER).limit(limit).offset(offset)
        if status:
            query = query.where(Handoff.status == status)
        with self._sessions() as db:
            return list(db.scalars(query))

    def count(self, status: Status | None = "open") -> int:
        query = select(func.count()).select_from(Handoff)
        if status:
            query = query.where(Handoff.status == status)
        with self._sessions() as db:
            return int(db.scalar(query) or 0)

    def open_by_priority(self) -> dict[int, int]:
        """Open handoffs per priority, highest first."""
        query = (
            select(Handoff.priority, func.count())
            .where(Handoff.status == "open")
            .group_by(Handoff.priority)
        )
        with self._sessions() as db:
            rows = db.execute(query).all()
        return {int(p): int(n) for p, n in sorted(rows, reverse=True)}

    def get(self, handoff_id: str) -> Handoff:
        with self._sessions() as db:
            return _row(db, handoff_id)

    # --- changing ----------------------------------------------------------------------------

    def claim(self, handoff_id: str, agent: str) -> Handoff:
        """open → claimed by `agent`. Claiming one's own claim again is harmless."""
        with self._sessions.begin() as db:
            won = _set_if(
                db,
                handoff_id,
                Handoff.status == "open",
                status="claimed",
                claimed_by=agent,
                claimed_at=utcnow(),
            )
            row = _row(db, handoff_id)
            if won:
                record_audit(db, "handoff_claimed", agent, {"handoff_id": row.id}, **_ids(row))
                return row
            if row.status == "claimed" and row.claimed_by == agent:
                return row
            raise ConflictError(_held(row))

    def resolve(self, handoff_id: str, agent: str, action: Action, text: str | None) -> Handoff:
        """Accept the draft, send an edited text, or reject the draft (sending `text` if given).

        Allowed on an open handoff (claimed and resolved in one step) or on one `agent` claimed;
        the text is masked before it is stored or sent."""
        if action == "edit" and not (text and text.strip()):
            raise ValueError("an edit needs the text to send")
        masked = None if action == "accept" else self._masker.masked(text)
        now = utcnow()
        with self._sessions.begin() as db:
            won = _set_if(
                db,
                handoff_id,
                or_(
                    Handoff.status == "open",
                    and_(Handoff.status == "claimed", Handoff.claimed_by == agent),
                ),
                status="resolved",
                resolution=RESOLUTIONS[action],
                resolved_by=agent,
                resolved_at=now,
                sent_text=Handoff.draft if action == "accept" else masked,
                claimed_by=agent,
                claimed_at=func.coalesce(Handoff.claimed_at, now),
            )
            row = _row(db, handoff_id)
            if not won:
                raise ConflictError(_held(row))
            if row.sent_text:
                db.add(ChatMessage(session_id=row.session_id, role="agent", text=row.sent_text))
            data = {
                "handoff_id": row.id,
                "resolution": row.resolution,
                "draft": row.draft,
                "sent": row.sent_text,
            }
            record_audit(db, "handoff_resolved", agent, data, **_ids(row))
            return row


def _set_if(db: Session, handoff_id: str, condition: Any, **values: Any) -> bool:
    """Compare-and-set: update the handoff only if `condition` holds; whether it did."""
    statement = (
        update(Handoff)
        .where(Handoff.id == handoff_id, condition)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    result = cast(CursorResult[Any], db.execute(statement))
    return result.rowcount == 1


def _row(db: Session, handoff_id: str) -> Handoff:
    row = db.get(Handoff, handoff_id, populate_existing=True)
    if row is None:
        raise NotFoundError(f"unknown handoff {handoff_id}")
    return row


def _held(row: Handoff) -> str:
    if row.status == "resolved":
        return f"handoff {row.id} is already resolved ({row.resolution}) by {row.resolved_by}"
    return f"handoff {row.id} is claimed by {row.claimed_by}; only that agent can resolve it"


def _ids(row: Handoff) -> dict[str, str]:
    return {"session_id": row.session_id, "message_id": row.message_id}
