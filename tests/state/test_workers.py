"""`serve --workers N`: refused without a shared database and vector store; with PostgreSQL
and a real `chroma run`, N real worker processes share the queue (two agents racing through
them still get one claim each) and every worker serves a new index generation without a restart."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from assistant.cli import THREAD_VARIABLES, main
from assistant.cores import CORES
from assistant.index.knowledge_index import KnowledgeIndex
from assistant.settings import Settings
from assistant.state.database import make_engine, make_sessionmaker
from ingestion.pipeline import Ingestor
from tests.chroma import chroma_server, wait_for
from tests.conftest import REPO, free_port
from tests.postgres import create_database
from tests.state.conftest import race, seed_handoffs

KEYS = "agent:alice:alice-token-0001,agent:bob:bob-token-000001"
AGENT_TOKENS = ("alice-token-0001", "bob-token-000001")
NEW_DOC = "faq/trading_faq.md"


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, ["FA_DATABASE_URL", "FA_CHROMA_URL"]),
        ({"FA_CHROMA_URL": "http://127.0.0.1:9"}, ["FA_DATABASE_URL"]),
        ({"FA_DATABASE_URL": "postgresql://u@127.0.0.1:9/fa"}, ["FA_CHROMA_URL"]),
        (
            {"FA_DATABASE_URL": "sqlite:////tmp/x.db", "FA_CHROMA_URL": "http://h:1"},
            ["FA_DATABASE_URL"],
        ),
    ],
)
def test_several_workers_without_shared_state_are_refused(
    env: dict[str, str],
    missing: list[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env
    for name in ("FA_DATABASE_URL", "FA_CHROMA_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    assert main(["serve", "--workers", "3"]) == 1

    message = capsys.readouterr().err
    assert "--workers 3 refused" in message
    assert all(name in message for name in missing)
    assert main(["serve", "--workers", "0"]) == 2


@pytest.mark.postgres
def test_the_supervisor_waits_the_configured_time_for_a_busy_worker(
    postgres_server: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """uvicorn kills a worker that misses its health ping for 5 s: on a loaded machine that
    restarted busy workers. `serve` hands uvicorn FA_WORKER_PING_TIMEOUT_S instead. The real
    shared-state check and migration run (PostgreSQL); only uvicorn's start is recorded."""
    import uvicorn

    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("FA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FA_DATABASE_URL", create_database(postgres_server))
    monkeypatch.setenv("FA_CHROMA_URL", "http://127.0.0.1:9")  # named, not contacted by serve
    monkeypatch.setenv("FA_WORKER_PING_TIMEOUT_S", "45")
    for name in ("FA_SUPERVISOR_PID", "PROMETHEUS_MULTIPROC_DIR", *THREAD_VARIABLES):
        monkeypatch.setenv(name, os.environ.get(name, "1"))  # restored after the test
    monkeypatch.setenv("FA_CORES", "1")
    monkeypatch.delenv("FA_CORES")  # unset for `serve`, and so again after the test
    started: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.update(options))

    assert main(["serve", "--workers", "2", "--port", "0"]) == 0

    assert started["workers"] == 2
    assert started["timeout_worker_healthcheck"] == 45
    assert Settings(_env_file=None).worker_ping_timeout_s == 45
    # two workers on the machine's cores: each may count on half of them, not on borrowing
    assert Settings(_env_file=None).cores == max(1, CORES.cores // 2)


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    with chroma_server(tmp_path / "chroma") as (_, url):
        yield url


def _ingest(settings: Settings, docs: Path, e5) -> None:  # type: ignore[no-untyped-def]
    report = Ingestor(settings, KnowledgeIndex(settings, make_engine(settings)), e5).run(docs)
    assert not report.failed


@pytest.mark.slow
@pytest.mark.postgres
def test_workers_share_the_queue_and_pick_up_a_new_index_generation(
    postgres_server: str, chroma_url: str, tmp_path: Path, e5
) -> None:
    docs = tmp_path / "docs"
    (docs / "products").mkdir(parents=True)
    shutil.copy(REPO / "knowledge_docs/products/tongli_pure_bond.md", docs / "products")
    env = {
        "FA_DATABASE_URL": create_database(postgres_server),
        "FA_CHROMA_URL": chroma_url,
        "FA_DATA_DIR": str(tmp_path / "data"),
        "FA_DOCS_DIR": str(docs),
        "FA_API_KEYS": KEYS,
    }
    settings = Settings(_env_file=None, **{k[3:].lower(): v for k, v in env.items()})  # type: ignore[arg-type]
    _ingest(settings, docs, e5)
    port = free_port()
    unpinned = {k: v for k, v in os.environ.items() if k not in THREAD_VARIABLES}
    server = subprocess.Popen(
        [sys.executable, "-m", "assistant", "serve", "--workers", "2", "--port", str(port)],
        env={**unpinned, **env, "PYTHONPATH": str(REPO)},
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/healthz", server)
        _each_worker_has_one_thread_and_shared_metrics(server.pid)
        _two_agents_race_through_the_workers(base, settings)
        _a_new_generation_reaches_every_worker(base, settings, docs, e5)
        _workers_end_with_a_killed_supervisor(server)
    finally:
        server.terminate()
        server.wait(timeout=60)


def _workers_end_with_a_killed_supervisor(server: subprocess.Popen[bytes]) -> None:
    """kill -9 of `serve` used to leave its workers running, orphaned, holding the port."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    assert children
    server.kill()
    server.wait(timeout=30)
    deadline = time.monotonic() + 30  # a bound on waiting for the condition, not a timing target
    while time.monotonic() < deadline and any(_alive(int(pid)) for pid in children):
        time.sleep(0.2)
    assert not [pid for pid in children if _alive(int(pid))]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits to be read


def _each_worker_has_one_thread_and_shared_metrics(supervisor: int) -> None:
    """serve pinned one OpenMP/BLAS thread in every worker (the test's environment did not)
    and gave them one Prometheus folder."""
    children = Path(f"/proc/{supervisor}/task/{supervisor}/children").read_text().split()
    environs = []
    for pid in children:
        raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        environs.append(dict(e.decode().split("=", 1) for e in raw if b"=" in e))
    workers = [e for e in environs if "FA_DATABASE_URL" in e]
    assert len(workers) >= 2
    assert all(e[name] == "1" for e in workers for name in THREAD_VARIABLES)
    assert len({e["PROMETHEUS_MULTIPROC_DIR"] for e in workers}) == 1


def _two_agents_race_through_the_workers(base: str, settings: Settings) -> None:
    ids = seed_handoffs(make_sessionmaker(make_engine(settings)), 20)
    for handoff_id in ids:
        codes = race(*(_claim(base, handoff_id, token) for token in AGENT_TOKENS))
        assert sorted(codes) == [200, 409]


def _claim(base: str, handoff_id: str, token: str) -> Callable[[], int]:
    def call() -> int:
        with httpx.Client(base_url=base, timeout=60) as client:  # a connection each
            headers = {"Authorization": f"Bearer {token}"}
            return client.post(f"/v1/handoffs/{handoff_id}/claim", headers=headers).status_code

    return call


def _a_new_generation_reaches_every_worker(base: str, settings: Settings, docs: Path, e5) -> None:  # type: ignore[no-untyped-def]
    (docs / "faq").mkdir()
    shutil.copy(REPO / "knowledge_docs" / NEW_DOC, docs / "faq")
    _ingest(settings, docs, e5)  # while the service runs, as the CLI would
    time.sleep(1.5)  # past the workers' refresh interval
    with httpx.Client(base_url=base, timeout=120) as client:
        for _ in range(6):  # new connections land on either worker; each must serve the new doc
            reply = client.post(
                "/v1/chat",
                json={"message": "基金交易的截止时间是几点？"},
                headers={"Connection": "close"},
            ).json()
            assert NEW_DOC in {c["source"] for c in reply["citations"]}, reply
