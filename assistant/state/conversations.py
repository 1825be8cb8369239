"""Sessions, their (redacted) messages, feedback, and the audit record of every reply.

A turn is one transaction (`turn_transaction`): the session opened, the earlier questions read,
then the client message, the reply, the hand-off if any and the audit record written, on one
connection with one commit; they land together or not at all. Under load each round trip to
PostgreSQL costs a turn more than the statement itself (the pool's ping, BEGIN, COMMIT, the
server's CPU): three transactions a turn were a quarter of a worker's time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from assistant.models import Reply
from assistant.state.audit import record_audit
from assistant.state.errors import ConflictError, NotFoundError
from assistant.state.masking import TextMasker
from assistant.state.models import ChatMessage, ChatSession, Feedback, Handoff, new_id, utcnow

__all__ = ["ConflictError", "ConversationStore", "NotFoundError", "reply_message"]


@dataclass
class _Turn:
    db: Session
    created: set[str] = field(default_factory=set)  # sessions this turn opened: no history


_TURN: ContextVar[_Turn | None] = ContextVar("conversation_turn", default=None)


class ConversationStore:
    """Client messages arrive here already redacted (the pipeline masks first); the free text
    this store takes from people directly, a feedback comment, it masks itself."""

    def __init__(self, sessions: sessionmaker[Session], masker: TextMasker) -> None:
        self._sessions = sessions
        self._masker = masker

    @contextmanager
    def turn_transaction(self) -> Iterator[None]:
        """Inside the block, `open_session`, `previous_queries` and `record_turn` share one
        transaction, committed when the block ends (rolled back if it raises). Nothing is
        written before the commit (no autoflush, the new session's id made here): SQLite takes
        its one write lock only then, so a turn waiting for the LLM blocks no other turn."""
        with self._sessions(autoflush=False) as db:
            token = _TURN.set(_Turn(db))
            try:
                yield
                db.commit()
            except BaseException:
                db.rollback()
                raise
            finally:
                _TURN.reset(token)

    @contextmanager
    def _unit(self) -> Iterator[Session]:
        """The turn's transaction, or one of its own outside a turn."""
        turn = _TURN.get()
        if turn is not None:
            yield turn.db
            return
        with self._sessions.begin() as db:
            yield db

    def open_session(
        self, session_id: str | None, *, risk_level: str | None, channel: str
    ) -> tuple[str, str | None]:
        """An existing session (its risk level updated if given) or a new one: its id and the
        client's risk level on record."""
        with self._unit() as db:
            if session_id is None:
                created = ChatSession(id=new_id(), risk_level=risk_level, channel=channel)
                db.add(created)
                if (turn := _TURN.get()) is not None:
                    turn.created.add(created.id)  # written with the turn, at its commit
                return created.id, created.risk_level
            existing = db.get(ChatSession, session_id)
            if existing is None:
                raise NotFoundError(f"unknown session {session_id}")
            if risk_level:
                existing.risk_level = risk_level
            return existing.id, existing.risk_level

    def previous_queries(self, session_id: str, limit: int = 5) -> list[str]:
        """The session's latest standalone client queries, oldest first."""
        turn = _TURN.get()
        if turn is not None and session_id in turn.created:
            return []  # opened by this very turn
        with self._unit() as db:
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
        with self._unit() as db:
            db.flush()  # the turn's new session first: the ORM orders no FK without a relationship
            client = ChatMessage(
                session_id=reply.session_id,
                role="client",
                text=client_text,
                standalone_query=standalone_query,
                intent=reply.intent,
                created_at=utcnow(),  # set here, not by a flush: the reply carries the same
            )
            db.add(client)
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
