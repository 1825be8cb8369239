"""The real processes of the reliability benchmark: a PostgreSQL cluster from Debian's binaries,
a `chroma run` server and the service (`fund-assistant serve`, one or several workers), each
started, waited for and killed at will."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def wait_until_up(url: str, seconds: float, process: subprocess.Popen[bytes]) -> bool:
    """Until `url` answers below 500; False after `seconds` or as soon as `process` exits."""
    end = time.monotonic() + seconds
    while time.monotonic() < end and process.poll() is None:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return True
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    return False


@contextmanager
def postgres_cluster(port: int) -> Iterator[str]:
    """A fresh PostgreSQL server in a temporary folder (as the `postgres` user when root, which
    PostgreSQL requires); its `postgresql://` URL of database `fa`. Stopped and removed on exit."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise SystemExit("needs Debian's postgresql package: apt-get install postgresql")
    bindir = Path(found[-1]).parent
    root = Path(tempfile.mkdtemp(prefix="fa-soak-pg-"))
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_user:
        shutil.chown(root, "postgres", "postgres")
    data = root / "data"
    subprocess.run(
        [*as_user, bindir / "initdb", "-D", data, "-U", "fa", "-A", "trust", "-E", "UTF8"],
        check=True, capture_output=True,
    )  # fmt: skip
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=300"
    pg_ctl: list[str | Path] = [*as_user, bindir / "pg_ctl", "-D", data, "-l", root / "log", "-w"]
    subprocess.run([*pg_ctl, "-o", options, "start"], check=True, capture_output=True)
    try:
        server = f"postgresql://fa@127.0.0.1:{port}"
        subprocess.run(
            [bindir / "psql", f"{server}/postgres", "-qc", "CREATE DATABASE fa"],
            check=True, capture_output=True,
        )  # fmt: skip
        yield f"{server}/fa"
    finally:
        subprocess.run([*pg_ctl, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


class Processes:
    """The Chroma server and the service as real processes, killed and restarted at will."""

    def __init__(
        self, root: Path, env: dict[str, str], port: int, chroma_port: int, workers: int
    ) -> None:
        self.root, self.port, self.chroma_port, self.workers = root, port, chroma_port, workers
        root.mkdir(parents=True, exist_ok=True)
        self.chroma_url = f"http://127.0.0.1:{chroma_port}"
        self.url = f"http://127.0.0.1:{port}"
        self.env = {**os.environ, **env, "FA_CHROMA_URL": self.chroma_url}
        self.chroma: subprocess.Popen[bytes] | None = None
        self.service: subprocess.Popen[bytes] | None = None

    def start_chroma(self) -> None:
        self.chroma = subprocess.Popen(
            [BIN / "chroma", "run", "--path", str(self.root / "chroma"), "--host", "127.0.0.1",
             "--port", str(self.chroma_port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        up = wait_until_up(f"{self.chroma_url}/api/v2/heartbeat", 60, self.chroma)
        assert up, "chroma did not start"

    def ingest(self, docs: Path) -> None:
        subprocess.run([sys.executable, "-m", "assistant", "ingest", "--docs", str(docs)],
                       env=self.env, cwd=REPO, check=True, capture_output=True)  # fmt: skip

    def start_service(self) -> float:
        """Starts `serve` and waits until every worker answers; the seconds it took."""
        started = time.monotonic()
        log = open(self.root / "service.log", "ab")  # noqa: SIM115 (the process keeps it)
        self.service = subprocess.Popen(
            [sys.executable, "-m", "assistant", "serve", "--port", str(self.port),
             "--workers", str(self.workers)],
            env=self.env, stdout=log, stderr=log, cwd=REPO, start_new_session=True,
        )  # fmt: skip
        if not wait_until_up(f"{self.url}/healthz", 600, self.service):
            log.close()
            lines = (self.root / "service.log").read_text(errors="replace").splitlines()
            tail = "\n".join([x for x in lines if "rror" in x or "arn" in x][-10:] + lines[-3:])
            raise AssertionError(f"the service did not start:\n{tail}")
        return time.monotonic() - started

    def kill_service(self) -> None:
        """SIGKILL to the whole process group: the supervisor and every worker at once."""
        if self.service and self.service.poll() is None:
            os.killpg(self.service.pid, signal.SIGKILL)
            self.service.wait(timeout=30)

    def kill_chroma(self) -> None:
        if self.chroma and self.chroma.poll() is None:
            self.chroma.send_signal(signal.SIGKILL)
            self.chroma.wait(timeout=30)

    def stop(self) -> None:
        """SIGTERM to the service's process group (the supervisor and its workers) and to the
        Chroma server; SIGKILL to what is still there after 30 s."""
        for process, group in ((self.service, True), (self.chroma, False)):
            if process is None or process.poll() is not None:
                continue
            os.killpg(process.pid, signal.SIGTERM) if group else process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL) if group else process.kill()
                process.wait(timeout=30)
        if self.service is not None:
            with contextlib.suppress(ProcessLookupError):  # workers left by a dead supervisor
                os.killpg(self.service.pid, signal.SIGKILL)
