"""What the service's start and end do to the library's own resources."""

from __future__ import annotations

import threading

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.models import TurnRequest


def test_the_services_end_stops_the_side_readers_and_a_later_turn_reads_both_itself(
    components, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """A message read both ways reads its second reading on a side reader while the service
    runs (`AssistantPipeline._read_aside`); the service's end stops those threads, and a turn
    handled after it (a script holding the pipeline) still answers, reading both itself."""
    app = create_app(components=components)
    names: list[str] = []
    with TestClient(app) as client:
        pipeline = app.state.pipeline  # type: ignore[attr-defined]
        attempt = pipeline.attempt

        def recorded(opened, understood):  # type: ignore[no-untyped-def]
            names.append(threading.current_thread().name)
            return attempt(opened, understood)

        monkeypatch.setattr(pipeline, "attempt", recorded)
        first = pipeline.handle(TurnRequest(message="通利纯债C类赎回费怎么收"))
        names.clear()
        during = pipeline.handle(TurnRequest(message="管理费多少", session_id=first.session_id))
        assert len(names) == 2 and len(set(names)) == 2, names  # read side by side
        assert client.get("/healthz").status_code == 200
    names.clear()
    after = pipeline.handle(TurnRequest(message="管理费多少", session_id=first.session_id))
    assert names == [threading.current_thread().name] * 2
    assert after.route == during.route == "answered"
    assert after.answer == during.answer
