"""Live replies for review: the day's fixed sample plus the handoffs an agent edited or
rejected, and agents' edits as labeled pairs (draft → what was sent)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.analytics import UtcDatetime, on_days
from assistant.review.verdicts import latest_verdicts
from assistant.state.models import AuditRecord, ChatMessage, Handoff


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
    ids = db.scalars(
        select(ChatMessage.id).where(
            ChatMessage.role == "assistant", on_days(ChatMessage.created_at, day, day)
        )
    ).all()
    sampled = set(sorted(ids, key=lambda i: hashlib.sha256(i.encode()).hexdigest())[:size])
    reworked = db.scalars(
        select(Handoff.message_id).where(
            on_days(Handoff.resolved_at, day, day),
            Handoff.resolution.in_(("edited", "rejected")),
        )
    ).all()
    items = _live_replies(db, sampled.union(reworked), sampled)
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
        _live_reply(
            m, audits.get(m.id, {}), handoffs.get(m.id), m.id in sampled, verdicts.get(m.id)
        )
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
    verdict: str | None,
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
        verdict=verdict,
    )


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
