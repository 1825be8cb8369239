"""What an agent sees beside a hand-off: the masked transcript and the client's context.

The turn's own verdicts (confidence, emotion) come from its audit record; the evidence behind
the reasons is re-read from the masked last question by the same understander the turn used
(the audit keeps the verdicts, not the matched words), so it is the current rules' reading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from assistant.components import Components
from assistant.state.conversations import NotFoundError
from assistant.state.models import AuditRecord, ChatMessage, ChatSession, Handoff


@dataclass
class HandoffContext:
    handoff: Handoff
    messages: list[ChatMessage]
    risk_level: str | None
    confidence: float | None
    emotion: str | None
    emotion_score: float | None
    evidence: dict[str, list[str]] = field(default_factory=dict)


def handoff_transcript(
    components: Components, handoff_id: str
) -> tuple[Handoff, list[ChatMessage]]:
    """The hand-off and its session's masked messages, oldest first: all the console's
    transcript refresh needs (no understanding, no audit)."""
    with components.sessions() as db:
        row = db.get(Handoff, handoff_id)
        if row is None:
            raise NotFoundError(f"unknown handoff {handoff_id}")
        messages = list(
            db.scalars(
                select(ChatMessage)
                .where(ChatMessage.session_id == row.session_id)
                .order_by(ChatMessage.created_at, ChatMessage.role.desc())
            )
        )
    return row, messages


def handoff_context(components: Components, handoff_id: str) -> HandoffContext:
    row, messages = handoff_transcript(components, handoff_id)
    with components.sessions() as db:
        session = db.get(ChatSession, row.session_id)
        audit = db.scalars(
            select(AuditRecord)
            .where(AuditRecord.message_id == row.message_id, AuditRecord.kind == "reply")
            .limit(1)
        ).first()
    client_texts = [m.text for m in messages if m.role == "client"]
    stated = components.compliance.stated_level(list(reversed(client_texts)))
    data = audit.data if audit else {}
    raw_emotion = data.get("emotion")
    emotion: dict[str, Any] | None = raw_emotion if isinstance(raw_emotion, dict) else None
    confidence = data.get("confidence")
    return HandoffContext(
        handoff=row,
        messages=messages,
        risk_level=(session.risk_level if session else None) or stated,
        confidence=float(confidence) if isinstance(confidence, int | float) else None,
        emotion=str(emotion["label"]) if emotion else None,
        emotion_score=float(emotion["score"]) if emotion else None,
        evidence=_evidence(components, client_texts),
    )


def _evidence(components: Components, client_texts: list[str]) -> dict[str, list[str]]:
    """The words and patterns behind intent, emotion and each signal in the last question."""
    if not client_texts:
        return {}
    seen = components.understander.understand(client_texts[-1], history=client_texts[:-1])
    evidence = {
        "intent": [e.text for e in seen.intent_evidence],
        "emotion": [e.text for e in seen.emotion.evidence],
    }
    for signal in seen.signals:
        evidence[signal.name] = [e.text for e in signal.evidence]
    return {name: texts[:5] for name, texts in evidence.items() if texts}
