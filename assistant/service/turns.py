"""Runs a chat turn so that no failing dependency loses the client's message.

- The LLM shares one deadline per turn (`FA_LLM_TIMEOUT_S`); past it the extractive writer
  answers (the pipeline's own fallback).
- The vector store down: retrieval gives nothing (`guarded_search`), so the gate hands off.
- Anything else failing inside the pipeline: the message is stored, masked, as a hand-off with
  the holding message (one traceback in the log).
- The state database down: the masked message goes to the local spool and the caller gets
  `StateUnavailableError` (503 with Retry-After at the HTTP edge); the drain thread writes the
  spool to the database once it answers again.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import exc as sa

from assistant.handoff_draft import holding_message
from assistant.language import detect_language
from assistant.models import Emotion, Reply, TurnRequest
from assistant.pipeline import AssistantPipeline
from assistant.service import metrics
from assistant.service.deadline import llm_deadline
from assistant.service.spool import SpooledTurn, TurnSpool
from assistant.state.conversations import ConflictError, NotFoundError
from assistant.state.models import ChatSession

log = logging.getLogger(__name__)

# The state database is down, locked, full or unreachable: not a bug, an outage.
DATABASE_ERRORS = (sa.OperationalError, sa.InterfaceError, sa.TimeoutError)
# The client's own mistakes, which the HTTP edge turns into 4xx.
CLIENT_ERRORS = (NotFoundError, ConflictError)
FALLBACK_PRIORITY = 1
DRAIN_INTERVAL_S = 2.0


class StateUnavailableError(RuntimeError):
    """The state database did not take the turn; `kept` says whether the spool did."""

    def __init__(self, kept: bool, session_id: str | None, retry_after_s: int) -> None:
        self.kept = kept
        self.session_id = session_id
        self.retry_after_s = retry_after_s
        super().__init__(
            "the service cannot store messages right now; your message was kept and will reach "
            "an agent, no need to send it again"
            if kept
            else "the service cannot store messages right now and did not keep yours; "
            "please send it again later"
        )


class TurnRunner:
    def __init__(self, pipeline: AssistantPipeline, spool: TurnSpool) -> None:
        self.pipeline = pipeline
        self.c = pipeline.c
        self.spool = spool

    def handle(self, turn: TurnRequest) -> Reply:
        started = time.perf_counter()
        with llm_deadline(self.c.settings.llm_timeout_s):
            try:
                with self.c.conversations.turn_transaction():
                    reply = self.pipeline.handle(turn)
            except DATABASE_ERRORS as exc:
                raise self._spooled(turn, exc) from None
            except CLIENT_ERRORS:
                raise
            except Exception:
                log.exception("turn failed inside the pipeline; stored as a hand-off")
                try:
                    reply = self._stored_handoff(turn)
                except DATABASE_ERRORS as exc:
                    raise self._spooled(turn, exc) from None
        self._count(reply, time.perf_counter() - started)
        return reply

    # --- failure paths ------------------------------------------------------------------------

    def _spooled(self, turn: TurnRequest, error: Exception) -> StateUnavailableError:
        metrics.DEPENDENCY_ERRORS.labels("database").inc()
        log.warning("state database unavailable (%s)", type(error).__name__)
        masked = self.c.redactor.redact(turn.message).text
        kept_turn = SpooledTurn(
            session_id=turn.session_id or uuid.uuid4().hex,
            new_session=turn.session_id is None,
            masked_text=masked,
            channel=turn.channel,
            risk_level=turn.risk_level,
        )
        kept = self.spool.max_messages > 0 and self.spool.put(kept_turn)
        metrics.SPOOLED.labels("kept" if kept else "refused").inc()
        return StateUnavailableError(
            kept,
            kept_turn.session_id if kept else None,
            self.c.settings.database_retry_after_s,
        )

    def _stored_handoff(self, turn: TurnRequest) -> Reply:
        text = self.c.redactor.redact(turn.message).text
        session_id, _ = self.c.conversations.open_session(
            turn.session_id, risk_level=turn.risk_level, channel=turn.channel
        )
        return self._record_handoff(session_id, text)

    def _record_handoff(self, session_id: str, text: str) -> Reply:
        """The masked message stored with a hand-off and the holding message: an agent answers."""
        language = detect_language(text)
        reply = Reply(
            session_id=session_id,
            message_id=uuid.uuid4().hex,
            route="handoff",
            answer=holding_message(
                self.pipeline.messages,
                self.c.company,
                priority=FALLBACK_PRIORITY,
                language=language,
            ),
            draft="",
            handoff_id=uuid.uuid4().hex,
            intent="other",
            emotion=Emotion(),
            confidence=0.0,
            reasons=["low_confidence"],
            language=language,
        )
        self.c.conversations.record_turn(
            reply=reply,
            client_text=text,
            standalone_query=text,
            handoff_priority=FALLBACK_PRIORITY,
            audit={"question": text, "route": "handoff", "dependency_down": True},
        )
        return reply

    def deliver(self, kept: SpooledTurn) -> None:
        """Write one spooled message to the database (the drain's step)."""
        with self.c.sessions.begin() as db:
            if db.get(ChatSession, kept.session_id) is None:
                db.add(
                    ChatSession(
                        id=kept.session_id, channel=kept.channel, risk_level=kept.risk_level
                    )
                )
        self._record_handoff(kept.session_id, kept.masked_text)
        metrics.SPOOLED.labels("delivered").inc()

    def drain_spool(self) -> int:
        try:
            return self.spool.drain(self.deliver)
        except DATABASE_ERRORS:
            return 0

    @contextmanager
    def draining(self, interval_s: float = DRAIN_INTERVAL_S) -> Iterator[TurnRunner]:
        """A thread that writes the spool to the database whenever there is something in it."""
        stop = threading.Event()

        def loop() -> None:
            while not stop.wait(interval_s):
                if self.spool.depth():
                    delivered = self.drain_spool()
                    if delivered:
                        log.info("spool: %d kept messages written to the database", delivered)

        thread = threading.Thread(target=loop, name="spool-drain", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            stop.set()
            thread.join(timeout=5)

    # --- counting -----------------------------------------------------------------------------

    def _count(self, reply: Reply, seconds: float) -> None:
        for reason in [str(r) for r in reply.reasons] or ["none"]:
            metrics.TURNS.labels(reply.route, reason).inc()
        metrics.TURN_SECONDS.labels(reply.route).observe(seconds)
        writer = reply.explanation.writer if reply.explanation else None
        if self.c.writer.name == "llm" and writer not in (None, "llm"):
            metrics.LLM_FALLBACKS.inc()
