"""The client asks for a person (the 转人工 button): a hand-off built from the session's last
question, outside the chat turn. The client gets the usual holding message; the agent gets a
draft for that question, written and checked as a turn's draft would be.

Asking twice while a person is already on the way returns the pending hand-off: one button
press too many must not put the client in the queue twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.components import Components
from assistant.handoff_draft import draft_reply, holding_message
from assistant.state.audit import record_audit
from assistant.state.conversations import ConflictError, NotFoundError
from assistant.state.models import ChatMessage, ChatSession, Handoff
from assistant.understanding import Understanding
from assistant.understanding.models import SignalVerdict
from assistant.vocabulary import REASON_PRIORITY, Reason
from assistant.writers.base import WriteRequest, WrittenAnswer

REASON: Reason = "human_requested"
PENDING = ("open", "claimed")


@dataclass(frozen=True)
class HandoffStatus:
    """What the client may know of its hand-off: where it stands, never who or what was drafted."""

    handoff_id: str
    status: str  # open | claimed | resolved
    resolution: str | None


def pending_handoff(db: Session, session_id: str) -> Handoff | None:
    return db.scalars(
        select(Handoff)
        .where(Handoff.session_id == session_id, Handoff.status.in_(PENDING))
        .order_by(Handoff.created_at.desc())
        .limit(1)
    ).first()


def latest_status(components: Components, session_id: str) -> HandoffStatus | None:
    """The session's newest hand-off as the client sees it; None when it never had one."""
    with components.sessions() as db:
        if db.get(ChatSession, session_id) is None:
            raise NotFoundError(f"unknown session {session_id}")
        row = db.scalars(
            select(Handoff)
            .where(Handoff.session_id == session_id)
            .order_by(Handoff.created_at.desc())
            .limit(1)
        ).first()
        return None if row is None else HandoffStatus(row.id, row.status, row.resolution)


def request_human(components: Components, session_id: str, note: str | None) -> Handoff:
    """Hand the session to a person. `note` (what the client adds, masked here) is stored as a
    client message; the draft answers the latest client question."""
    masked_note = components.redactor.masked(note.strip()) if note and note.strip() else None
    with components.sessions() as db:
        if db.get(ChatSession, session_id) is None:
            raise NotFoundError(f"unknown session {session_id}")
        pending = pending_handoff(db, session_id)
        if pending is not None:
            return pending
        question = _last_question(db, session_id) or masked_note
    if question is None:
        raise ConflictError("the session holds no question yet: say what a person should help with")
    understanding = components.understander.understand(question)
    language = understanding.language
    messages = components.prompts.rules("messages")
    crises = _crises(components, understanding, masked_note)
    reasons: list[Reason] = ["crisis", REASON] if crises else [REASON]
    draft = _draft(components, question, language, understanding.emotion.label, messages, reasons)
    priority = max(REASON_PRIORITY[r] for r in reasons)
    holding_text = holding_message(
        messages,
        components.company,
        priority=priority,
        language=language,
        reasons=reasons,
        crisis_in_words=any(c.in_words for c in crises),
    )
    with components.sessions.begin() as db:
        pending = pending_handoff(db, session_id)  # a second press that raced this one
        if pending is not None:
            return pending
        if masked_note:
            db.add(ChatMessage(session_id=session_id, role="client", text=masked_note))
            db.flush()
        holding = ChatMessage(
            session_id=session_id,
            role="assistant",
            text=holding_text,
            route="handoff",
            intent=understanding.intent,
        )
        db.add(holding)
        db.flush()
        row = Handoff(
            session_id=session_id,
            message_id=holding.id,
            priority=priority,
            reasons=list(reasons),
            intent=understanding.intent,
            language=language,
            draft=draft.text,
            citations=[c.model_dump() for c in draft.citations],
        )
        db.add(row)
        db.flush()
        record_audit(
            db,
            "handoff_requested",
            "client",
            {"handoff_id": row.id, "reasons": list(reasons), "note": masked_note is not None},
            session_id=session_id,
            message_id=holding.id,
        )
        return row


def _crises(
    components: Components, understanding: Understanding, masked_note: str | None
) -> list[SignalVerdict]:
    """The crisis verdicts on the question and on the note: a client who writes of self-harm on
    the way to a person goes to the head of the queue."""
    readings = [understanding]
    if masked_note:
        readings.append(components.understander.understand(masked_note))
    return [c for u in readings if (c := u.signal("crisis")) is not None]


def _last_question(db: Session, session_id: str) -> str | None:
    row = db.scalars(
        select(ChatMessage)
        .where(ChatMessage.session_id == session_id, ChatMessage.role == "client")
        .order_by(ChatMessage.created_at.desc())
        .limit(1)
    ).first()
    return None if row is None else (row.standalone_query or row.text)


def _draft(
    components: Components,
    question: str,
    language: str,
    emotion: str,
    messages: dict[str, object],
    reasons: list[Reason],
) -> WrittenAnswer:
    """The agent's draft: the passages an answer would quote, the usual opener, the compliance
    rules applied; the writer's text replaced by the composed draft. In a crisis, the fixed
    opener alone, written by no LLM (as in a turn: `Components.write`)."""
    chunks = components.retriever.search(question, own_words=question)
    request = WriteRequest(
        question=question,
        language="en" if language == "en" else "zh",
        chunks=chunks,
        purpose="draft",
        reasons=list(reasons),
        emotion=emotion,
    )
    written = components.write(request)
    text = draft_reply(messages, written, reasons=list(reasons), emotion=emotion, language=language)
    if "crisis" in reasons:
        return written.model_copy(update={"text": text, "citations": []})
    doc_types = [str(c.metadata.get("doc_type")) for c in written.used_chunks]
    checked = components.compliance.check(
        text, language=language, intent="other", doc_types=doc_types, fund=None, client_level=None
    )
    composed = "\n\n".join(p for p in (checked.text, checked.disclaimer) if p)
    return written.model_copy(update={"text": composed})
