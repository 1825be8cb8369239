"""Sessions, their (redacted) messages, feedback, and the audit record of every reply.

A turn is written in one transaction: the client message, the reply, the handoff if any and the
audit record land together or not at all.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from assistant.models import Reply
from assistant.state.models import AuditRecord, ChatMessage, ChatSession, Feedback, Handoff


class NotFoundError(LookupError):
    """An id that names nothing (404 at the HTTP edge)."""


class ConflictError(RuntimeError):
    """A state change that the current state does not allow (409 at the HTTP edge)."""


class ConversationStore:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def open_session(
        self, session_id: str | None, *, risk_level: str | None, channel: str
    ) -> tuple[str, str | None]:
        """An existing session (its risk level updated if given) or a new one: its id and the
        client's risk level on record."""
        with self._sessions.begin() as db:
            if session_id is None:
                created = ChatSession(risk_level=risk_level, channel=channel)
                db.add(created)
                db.flush()
                return created.id, created.risk_level
            existing = db.get(ChatSession, session_id)
            if existing is None:
                raise NotFoundError(f"unknown session {session_id}")
            if risk_level:
                existing.risk_level = risk_level
            return existing.id, existing.risk_level

    def previous_queries(self, session_id: str, limit: int = 5) -> list[str]:
        """The session's latest standalone client queries, oldest first."""
        with self._sessions() as db:
            rows = db.scalars(
                select(ChatMessage.standalone_query)
                .where(ChatMessage.session_id == session_id, ChatMessage.role == "client")
                .order_by(ChatMessage.created_at.desc())
                .limit(limit)
            ).all()
        return [r for r in reversed(rows) if r]

    def messages(self, session_id: str) -> list[ChatMessage]:
        with self._sessions() as db:
            if db.get(ChatSession, session_id) is None:
                raise NotFoundError(f"unknown session {session_id}")
            return list(
                db.scalars(
                    select(ChatMessage)
                    .where(ChatMessage.session_id == session_id)
                    .order_by(ChatMessage.created_at, ChatMessage.role.desc())
                )
            )

    def record_turn(
        self,
        *,
        reply: Reply,
        client_text: str,
        standalone_query: str,
        handoff_priority: int,
        audit: dict[str, Any],
    ) -> None:
        """Client message, assistant reply, handoff and audit record: one transaction."""
        with self._sessions.begin() as db:
            client = ChatMessage(
                session_id=reply.session_id,
                role="client",
                text=client_text,
                standalone_query=standalone_query,
                intent=reply.intent,
            )
            db.add(client)
            db.flush()
            db.add(
                ChatMessage(
                    id=reply.message_id,
                    session_id=reply.session_id,
                    role="assistant",
                    text=reply.answer,
                    route=reply.route,
                    intent=reply.intent,
                    created_at=client.created_at,
                )
            )
            if reply.route == "handoff" and reply.handoff_id:
                db.add(
                    Handoff(
                        id=reply.handoff_id,
                        session_id=reply.session_id,
                        message_id=reply.message_id,
                        priority=handoff_priority,
                        reasons=list(reply.reasons),
                        intent=reply.intent,
                        language=reply.language,
                        draft=reply.draft or "",
                        citations=[c.model_dump() for c in reply.citations],
                    )
                )
            db.add(
                AuditRecord(
                    kind="reply",
                    actor="assistant",
                    session_id=reply.session_id,
                    message_id=reply.message_id,
                    data=audit,
                )
            )

    def add_feedback(self, message_id: str, rating: int, comment: str | None) -> str:
        with self._sessions.begin() as db:
            reply_message(db, message_id)
            row = Feedback(message_id=message_id, rating=rating, comment=comment)
            db.add(row)
            db.flush()
            return row.id


def reply_message(db: Session, message_id: str) -> ChatMessage:
    """An assistant reply by id; a client's own message or an unknown id is NotFound."""
    message = db.get(ChatMessage, message_id)
    if message is None or message.role == "client":
        raise NotFoundError(f"unknown reply message {message_id}")
    return message
