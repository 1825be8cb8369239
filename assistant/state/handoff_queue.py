"""The agents' queue: highest priority first, then longest waiting. Claiming and resolving are
checked state transitions, so a handoff cannot be resolved twice."""

from __future__ import annotations

from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from assistant.state.conversations import ConflictError, NotFoundError
from assistant.state.models import AuditRecord, ChatMessage, Handoff, utcnow

Action = Literal["accept", "edit", "reject"]
RESOLUTIONS = {"accept": "accepted", "edit": "edited", "reject": "rejected"}


class HandoffQueue:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def list(self, status: str | None = "open", limit: int = 100) -> list[Handoff]:
        query = select(Handoff).order_by(Handoff.priority.desc(), Handoff.created_at.asc())
        if status:
            query = query.where(Handoff.status == status)
        with self._sessions() as db:
            return list(db.scalars(query.limit(limit)))

    def get(self, handoff_id: str) -> Handoff:
        with self._sessions() as db:
            row = db.get(Handoff, handoff_id)
            if row is None:
                raise NotFoundError(f"unknown handoff {handoff_id}")
            return row

    def claim(self, handoff_id: str, agent: str) -> Handoff:
        with self._sessions.begin() as db:
            row = self._locked(db, handoff_id)
            if row.status == "claimed" and row.claimed_by == agent:
                return row  # claiming twice is harmless
            if row.status != "open":
                raise ConflictError(f"handoff {handoff_id} is {row.status}")
            row.status, row.claimed_by, row.claimed_at = "claimed", agent, utcnow()
            db.add(_audit("handoff_claimed", agent, row, {"handoff_id": row.id}))
            return row

    def resolve(self, handoff_id: str, agent: str, action: Action, text: str | None) -> Handoff:
        """Accept the draft, send an edited text, or reject the draft (sending `text` if given)."""
        with self._sessions.begin() as db:
            row = self._locked(db, handoff_id)
            if row.status == "resolved":
                raise ConflictError(f"handoff {handoff_id} is already resolved ({row.resolution})")
            if row.status == "claimed" and row.claimed_by != agent:
                raise ConflictError(f"handoff {handoff_id} is claimed by another agent")
            sent = row.draft if action == "accept" else text
            if action == "edit" and not (text and text.strip()):
                raise ValueError("an edit needs the text to send")
            now = utcnow()
            row.status, row.resolution = "resolved", RESOLUTIONS[action]
            row.resolved_by, row.resolved_at, row.sent_text = agent, now, sent
            if row.claimed_at is None:
                row.claimed_by, row.claimed_at = agent, now
            if sent:
                db.add(ChatMessage(session_id=row.session_id, role="agent", text=sent))
            db.add(
                _audit(
                    "handoff_resolved",
                    agent,
                    row,
                    {
                        "handoff_id": row.id,
                        "resolution": row.resolution,
                        "draft": row.draft,
                        "sent": sent,
                    },
                )
            )
            return row

    @staticmethod
    def _locked(db: Session, handoff_id: str) -> Handoff:
        row = db.scalars(
            select(Handoff).where(Handoff.id == handoff_id).with_for_update()
        ).one_or_none()
        if row is None:
            raise NotFoundError(f"unknown handoff {handoff_id}")
        return row


def _audit(kind: str, actor: str, row: Handoff, data: dict[str, object]) -> AuditRecord:
    return AuditRecord(
        kind=kind, actor=actor, session_id=row.session_id, message_id=row.message_id, data=data
    )
