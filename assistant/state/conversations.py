"""Sessions, their (redacted) messages, feedback, and the audit record of every reply.

A turn is written in one transaction: the client message, the reply, the handoff if any and the
audit record land together or not at all.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from assistant.models import Reply
from assistant.state.audit import record_audit
from assistant.state.errors import ConflictError, NotFoundError
from assistant.state.masking import TextMasker
from assistant.state.models import ChatMessage, ChatSession, Feedback, Handoff

__all__ = ["ConflictError", "ConversationStore", "NotFoundError", "reply_message"]


class ConversationStore:
    """Client messages arrive here already redacted (the pipeline masks first); the free text
    this store takes from people directly, a feedback comment, it masks itself."""

    def __init__(self, sessions: sessionmaker[Session], masker: TextMasker) -> None:
        self._sessions = sessions
        self._masker = masker

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
            record_audit(
                db,
                "reply",
                "assistant",
                audit,
                session_id=reply.session_id,
                message_id=reply.message_id,
            )

    def add_feedback(self, message_id: str, rating: int, comment: str | None) -> str:
        """A client's rating of a reply; the comment is masked before it is stored."""
        masked = self._masker.masked(comment)
        with self._sessions.begin() as db:
            reply_message(db, message_id)
            row = Feedback(message_id=message_id, rating=rating, comment=masked)
            db.add(row)
            db.flush()
            return row.id


def reply_message(db: Session, message_id: str) -> ChatMessage:
    """An assistant reply by id; a client's own message or an unknown id is NotFound."""
    message = db.get(ChatMessage, message_id)
    if message is None or message.role == "client":
        raise NotFoundError(f"unknown reply message {message_id}")
    return message
