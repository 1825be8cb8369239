"""One deadline for all the LLM calls of a turn, against stub servers that hang or trickle;
then the extractive writer answers. Bounds are generous (timeout + 3 s): the benchmark
(`python -m evals.reliability`) prints the real figures."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from assistant.models import Reply, TurnRequest
from assistant.pipeline import AssistantPipeline
from assistant.service.circuit import CircuitBreaker
from assistant.service.spool import TurnSpool
from assistant.service.turns import TurnRunner
from assistant.state.models import ChatMessage, Handoff
from assistant.writers.llm import LlmWriter
from evals.llm_stub import Behaviour, MisbehavingLlm
from tests.conftest import free_port

TIMEOUT_S = 2.0


@pytest.fixture
def runner_with(components, tmp_path: Path) -> Iterator:  # type: ignore[no-untyped-def, type-arg]
    stubs: list[MisbehavingLlm] = []

    def make(behaviour: Behaviour, **settings: object) -> tuple[TurnRunner, MisbehavingLlm]:
        stub = MisbehavingLlm(behaviour).__enter__()
        stubs.append(stub)
        llm_settings = components.settings.model_copy(
            update={
                "llm_base_url": stub.url,
                "llm_model": "stub",
                "llm_timeout_s": TIMEOUT_S,
                "llm_max_tokens": 300,
                **settings,
            }
        )
        parts = replace(
            components,
            settings=llm_settings,
            writer=LlmWriter(llm_settings, components.prompts),
        )
        return TurnRunner(AssistantPipeline(parts), TurnSpool(tmp_path / "spool", 10)), stub

    yield make
    for stub in stubs:
        stub.__exit__()


@pytest.mark.parametrize("behaviour", ["hang", "trickle"])
def test_a_hanging_or_trickling_llm_costs_one_deadline_then_extractive_answers(
    runner_with, behaviour: Behaviour
) -> None:  # type: ignore[no-untyped-def]
    runner, stub = runner_with(behaviour)
    first = runner.handle(TurnRequest(message="纯债C类赎回费怎么收"))
    started = time.monotonic()
    follow_up = runner.handle(TurnRequest(message="那A类呢", session_id=first.session_id))
    took = time.monotonic() - started
    assert took < TIMEOUT_S + 3, f"a follow-up (two LLM calls) took {took:.1f} s"
    assert follow_up.explanation is not None and follow_up.explanation.writer == "extractive"
    assert follow_up.answer
    assert stub.requests and all(r["max_tokens"] <= 300 for r in stub.requests)


def test_every_llm_call_carries_max_tokens(runner_with) -> None:  # type: ignore[no-untyped-def]
    runner, stub = runner_with("ok")
    runner.handle(TurnRequest(message="纯债C类赎回费怎么收"))
    assert stub.requests and all(0 < int(r["max_tokens"]) <= 300 for r in stub.requests)  # type: ignore[call-overload]


def _stored_handoff(runner: TurnRunner, reply: Reply) -> Handoff:
    """The reply is a hand-off with the holding message, stored with the client's message."""
    assert reply.route == "handoff" and reply.handoff_id and reply.reasons == ["low_confidence"]
    assert reply.answer and not reply.citations
    with runner.c.sessions() as db:
        handoff = db.get(Handoff, reply.handoff_id)
        texts = list(
            db.scalars(select(ChatMessage.text).where(ChatMessage.session_id == reply.session_id))
        )
    assert handoff is not None and handoff.status == "open"
    assert "纯债C类赎回费怎么收" in texts
    return handoff


def test_a_failing_llm_hands_the_turn_off_with_the_extractive_text_as_draft_and_is_skipped_once_the_circuit_opens(
    runner_with,
) -> None:  # type: ignore[no-untyped-def]
    runner, stub = runner_with("fail", llm_breaker_failures=2, llm_breaker_reset_s=600)
    for _ in range(4):
        reply = runner.handle(TurnRequest(message="纯债C类赎回费怎么收"))
        handoff = _stored_handoff(runner, reply)
        assert reply.explanation is not None and reply.explanation.writer == "extractive"
        assert "赎回费" in handoff.draft and reply.draft == handoff.draft
    assert len(stub.requests) == 2  # the last two turns did not call it (circuit open)
    assert runner.c.writer.llm.circuit == "open"  # type: ignore[attr-defined]


def test_an_llm_refusing_connections_hands_the_turn_off(runner_with) -> None:  # type: ignore[no-untyped-def]
    runner, _ = runner_with("ok", llm_base_url=f"http://127.0.0.1:{free_port()}/v1")
    reply = runner.handle(TurnRequest(message="纯债C类赎回费怎么收"))
    assert "赎回费" in _stored_handoff(runner, reply).draft


def test_a_slow_llm_is_not_down_the_extractive_writer_answers_even_once_its_circuit_opens(
    runner_with,
) -> None:  # type: ignore[no-untyped-def]
    runner, stub = runner_with("hang", llm_breaker_failures=1, llm_breaker_reset_s=600)
    for _ in range(2):  # the first times out and opens the circuit, the second skips the LLM
        reply = runner.handle(TurnRequest(message="纯债C类赎回费怎么收"))
        assert reply.route == "answered" and reply.citations and "赎回费" in reply.answer
        assert reply.explanation is not None and reply.explanation.writer == "extractive"
    assert len(stub.requests) == 1 and runner.c.writer.llm.circuit == "open"  # type: ignore[attr-defined]


def test_circuit_half_opens_after_the_reset_and_closes_on_success() -> None:
    now = [0.0]
    breaker = CircuitBreaker(2, 10.0, clock=lambda: now[0])
    breaker.failed()
    assert breaker.allow()
    breaker.failed()
    assert breaker.state == "open" and not breaker.allow()
    now[0] = 11.0
    assert breaker.allow() and not breaker.allow()  # one trial only
    breaker.succeeded()
    assert breaker.state == "closed" and breaker.allow()
