"""The queue through the library alone (no router in between): claims and resolutions are
compare-and-set, pages cover every handoff once, and staff text is masked by the store."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from assistant.review.runs import EvalRuns
from assistant.review.verdicts import ReviewStore
from assistant.state.conversations import ConflictError, ConversationStore, NotFoundError
from assistant.state.handoff_queue import HandoffQueue
from assistant.state.models import AuditRecord, ChatMessage, Feedback
from tests.redaction.conftest import resident_id
from tests.state.conftest import seed_handoffs

PHONE, ID_NUMBER = "13812345678", resident_id()


@pytest.fixture
def queue(sessions: sessionmaker[Session], redactor) -> HandoffQueue:  # type: ignore[no-untyped-def]
    return HandoffQueue(sessions, redactor)


def _agent_messages(sessions: sessionmaker[Session], session_id: str) -> list[str]:
    with sessions() as db:
        return list(
            db.scalars(
                select(ChatMessage.text).where(
                    ChatMessage.session_id == session_id, ChatMessage.role == "agent"
                )
            )
        )


def test_a_claim_held_by_another_agent_is_a_conflict_naming_the_holder(queue: HandoffQueue) -> None:
    handoff_id = seed_handoffs(queue._sessions, 1)[0]

    assert queue.claim(handoff_id, "agent:alice").claimed_by == "agent:alice"
    assert queue.claim(handoff_id, "agent:alice").status == "claimed"  # again: harmless
    with pytest.raises(ConflictError, match="claimed by agent:alice"):
        queue.claim(handoff_id, "agent:bob")
    with pytest.raises(ConflictError, match="only that agent can resolve"):
        queue.resolve(handoff_id, "agent:bob", "accept", None)
    with pytest.raises(NotFoundError):
        queue.claim("no-such-handoff", "agent:bob")


def test_resolving_an_open_handoff_claims_it_in_the_same_step(
    queue: HandoffQueue, sessions: sessionmaker[Session]
) -> None:
    handoff_id = seed_handoffs(sessions, 1)[0]

    row = queue.resolve(handoff_id, "agent:bob", "accept", None)

    assert (row.status, row.resolution, row.claimed_by, row.resolved_by) == (
        "resolved",
        "accepted",
        "agent:bob",
        "agent:bob",
    )
    assert row.sent_text == "草稿 0" and row.claimed_at is not None
    assert _agent_messages(sessions, row.session_id) == ["草稿 0"]
    with pytest.raises(ConflictError, match="already resolved"):
        queue.resolve(handoff_id, "agent:bob", "reject", "再见")
    with sessions() as db:
        kinds = db.scalars(
            select(AuditRecord.actor).where(AuditRecord.session_id == row.session_id)
        ).all()
    assert kinds == ["agent:bob"]


def test_an_agents_text_written_through_the_store_is_stored_masked(
    queue: HandoffQueue, sessions: sessionmaker[Session]
) -> None:
    handoff_id = seed_handoffs(sessions, 1)[0]
    queue.claim(handoff_id, "agent:alice")

    row = queue.resolve(handoff_id, "agent:alice", "edit", f"已回电 {PHONE}，证件 {ID_NUMBER}")

    for stored in (row.sent_text or "", *_agent_messages(sessions, row.session_id)):
        assert PHONE not in stored and ID_NUMBER not in stored
        assert stored.startswith("已回电 <")
    with sessions() as db:
        audit = db.scalars(select(AuditRecord).where(AuditRecord.kind == "handoff_resolved")).one()
    assert PHONE not in str(audit.data) and ID_NUMBER not in str(audit.data)


def test_feedback_and_review_comments_written_through_the_stores_are_stored_masked(
    sessions: sessionmaker[Session],
    redactor,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    seed_handoffs(sessions, 1)
    with sessions() as db:
        reply = db.scalars(select(ChatMessage).where(ChatMessage.role == "assistant")).one()

    ConversationStore(sessions, redactor).add_feedback(reply.id, 2, f"回电 {PHONE}")
    review = ReviewStore(sessions, redactor).add(
        EvalRuns(tmp_path),
        target_type="live_reply",
        target_id=reply.id,
        verdict="flagged",
        comment=f"客户证件 {ID_NUMBER}",
        reviewer="compliance:carol",
    )

    with sessions() as db:
        feedback = db.scalars(select(Feedback.comment)).one()
        audit = db.scalars(select(AuditRecord).where(AuditRecord.kind == "review")).one()
    assert feedback and PHONE not in feedback and feedback.startswith("回电 <")
    assert review.comment and ID_NUMBER not in review.comment
    assert ID_NUMBER not in str(audit.data) and audit.actor == "compliance:carol"


def test_every_open_handoff_is_reachable_through_pages(
    queue: HandoffQueue, sessions: sessionmaker[Session]
) -> None:
    ids = seed_handoffs(sessions, 230, priorities=(1, 3, 2, 3))
    queue.claim(ids[5], "agent:alice")  # no longer open

    pages, offset = [], 0
    while page := queue.list("open", limit=50, offset=offset):
        pages.append(page)
        offset += 50
    seen = [row for page in pages for row in page]

    assert queue.count("open") == 229 and len(pages) == 5
    assert sorted(r.id for r in seen) == sorted(set(ids) - {ids[5]})
    order = [(-r.priority, r.created_at) for r in seen]
    assert order == sorted(order)  # highest priority, then longest waiting, across pages
    assert queue.open_by_priority() == {3: 114, 2: 57, 1: 58}
    assert queue.count(None) == 230


def test_an_empty_queue_has_no_pages_and_no_counts(queue: HandoffQueue) -> None:
    assert queue.list("open") == [] and queue.count("open") == 0
    assert queue.open_by_priority() == {}
