"""The state database at its limits, through the real HTTP app: a PostgreSQL pool with every
connection taken, a PostgreSQL server that goes away (a real server behind a TCP relay the test
cuts) or never answers, and an SQLite database whose WAL files cannot be written. Each gives a
503 with Retry-After or a clear refusal at start, never a hang, a 500 or a silent crash."""

from __future__ import annotations

import contextlib
import dataclasses
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import exc as sa

from api.app import create_app
from assistant.cli import main
from assistant.settings import Settings
from assistant.state.conversations import ConversationStore
from assistant.state.database import StateDatabaseUnusableError, make_engine, make_sessionmaker
from assistant.state.handoff_queue import HandoffQueue
from tests.conftest import AGENT
from tests.postgres import create_database


class Relay:
    """A TCP relay to the real server: `cut()` closes every relayed connection and refuses new
    ones, as a PostgreSQL server that was killed would."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass

    def cut(self) -> None:
        for sock in [self.listener, *self.sockets]:
            with contextlib.suppress(OSError):  # shutdown wakes the threads blocked on it
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


def on_database(components, settings):  # type: ignore[no-untyped-def]
    """`components` with their state database (engine, sessions and stores) opened anew from
    `settings`."""
    engine = make_engine(settings)
    sessions = make_sessionmaker(engine)
    return dataclasses.replace(
        components,
        settings=settings,
        engine=engine,
        sessions=sessions,
        conversations=ConversationStore(sessions, components.redactor),
        handoffs=HandoffQueue(sessions, components.redactor),
    )


@pytest.fixture
def postgres_components(components, postgres_server: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The test run's components with their state on a fresh PostgreSQL database reached
    through a relay, with a pool of one connection (and one more on a burst)."""
    url = create_database(postgres_server)
    host, rest = url.removeprefix("postgresql://").split("@")[1].split(":")
    port, name = rest.split("/")
    relay = Relay((host, int(port)))
    settings = components.settings.model_copy(
        update={
            "data_dir": tmp_path / "data",
            "database_url": f"postgresql://fa@127.0.0.1:{relay.port}/{name}",
            "database_pool_size": 1,
            "database_pool_timeout_s": 0.5,
        }
    )
    built = on_database(components, settings)
    yield built, relay
    relay.cut()
    built.engine.dispose()


@pytest.fixture
def pg_client(postgres_components) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    built, _ = postgres_components
    with TestClient(create_app(components=built), raise_server_exceptions=False) as client:
        yield client


@pytest.mark.postgres
def test_an_exhausted_pool_is_a_503_with_retry_after_then_serves_again(
    postgres_components, pg_client: TestClient
) -> None:
    built, _ = postgres_components
    held = [built.engine.connect() for _ in range(2)]  # the pool and its one overflow
    try:
        queue = pg_client.get("/v1/handoffs", headers=AGENT)
        turn = pg_client.post("/v1/chat", json={"message": "定投最少投多少钱"})
    finally:
        for connection in held:
            connection.close()

    assert queue.status_code == 503 and int(queue.headers["retry-after"]) >= 1
    assert queue.json()["error"]["code"] == "database_unavailable"
    assert turn.status_code == 503 and turn.json()["error"]["kept"] is True
    assert pg_client.get("/v1/handoffs", headers=AGENT).status_code == 200


@pytest.mark.postgres
def test_a_postgres_server_gone_is_a_503_with_retry_after_and_readyz_says_so(
    postgres_components, pg_client: TestClient
) -> None:
    _, relay = postgres_components
    assert pg_client.get("/v1/handoffs", headers=AGENT).status_code == 200
    relay.cut()

    queue = pg_client.get("/v1/handoffs", headers=AGENT)
    turn = pg_client.post("/v1/chat", json={"message": "定投最少投多少钱"})
    ready = pg_client.get("/readyz")

    assert queue.status_code == 503 and int(queue.headers["retry-after"]) >= 1
    assert turn.status_code == 503 and turn.json()["error"]["kept"] is True
    assert ready.status_code == 503 and ready.json()["database"]["ok"] is False


@pytest.mark.postgres
def test_a_statement_the_server_does_not_finish_is_a_503_not_a_hung_worker(
    postgres_components, postgres_server: str
) -> None:
    """Another connection holds the queue's table locked (a migration gone wrong, an operator's
    open transaction): the queue read and the turn's write wait in the server, which cancels
    them at the statement timeout; the client message goes to the spool."""
    built, _ = postgres_components
    settings = built.settings.model_copy(update={"database_statement_timeout_s": 1.0})
    parts = on_database(built, settings)
    results: dict[str, object] = {}

    def requests(client: TestClient) -> None:
        results["queue"] = client.get("/v1/handoffs", headers=AGENT)
        results["turn"] = client.post("/v1/chat", json={"message": "我要投诉，赎回款没到账"})

    with TestClient(create_app(components=parts), raise_server_exceptions=False) as client:
        locker = parts.engine.connect()  # its own connection, straight to the server
        locker.exec_driver_sql("LOCK TABLE handoffs, chat_sessions IN ACCESS EXCLUSIVE MODE")
        try:
            worker = threading.Thread(target=requests, args=(client,), daemon=True)
            worker.start()
            worker.join(timeout=60)  # a bound on waiting, not a timing target
            finished = not worker.is_alive()
        finally:
            locker.rollback()
            locker.close()
        worker.join(timeout=60)
    parts.engine.dispose()
    assert finished, "a request waited on the locked tables with no end"
    queue, turn = results["queue"], results["turn"]
    assert queue.status_code == 503 and int(queue.headers["retry-after"]) >= 1  # type: ignore[attr-defined]
    assert turn.status_code == 503 and turn.json()["error"]["kept"] is True  # type: ignore[attr-defined]


def test_a_postgres_server_that_never_answers_fails_the_connection_instead_of_hanging(
    tmp_path: Path,
) -> None:
    silent = socket.create_server(("127.0.0.1", 0))  # accepts (in the kernel), never speaks
    url = f"postgresql://fa@127.0.0.1:{silent.getsockname()[1]}/fa"
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, data_dir=tmp_path, database_url=url, database_pool_timeout_s=1
    )
    try:
        with pytest.raises(sa.OperationalError, match="timeout"):
            make_engine(settings)
    finally:
        silent.close()


def test_an_sqlite_shared_memory_file_that_cannot_be_written_is_refused_at_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    settings = Settings(_env_file=None, data_dir=data)  # type: ignore[call-arg]
    make_engine(settings).dispose()
    (data / "state.db-shm").unlink(missing_ok=True)
    (data / "state.db-shm").mkdir()  # cannot be opened for writing, even by root

    with pytest.raises(StateDatabaseUnusableError, match=r"state\.db-shm"):
        make_engine(settings)

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FA_DATA_DIR", str(data))
    monkeypatch.delenv("FA_DATABASE_URL", raising=False)
    assert main(["serve", "--port", "9"]) == 1
    assert "state.db-shm cannot be opened for writing" in capsys.readouterr().err
