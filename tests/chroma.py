"""A real `chroma run` server for the tests whose subject is server mode (ingest through it,
several workers on it, it dying mid-run): one way to start it, wait for it and stop it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port


@contextmanager
def chroma_server(path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """The server process and its URL, once its heartbeat answers; killed on exit."""
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent))
    assert chroma, "the chromadb package installs the `chroma` command"
    port = free_port()
    command = [chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/api/v2/heartbeat", process)
        yield process, url
    finally:
        process.kill()
        process.wait(timeout=30)


def wait_for(url: str, process: subprocess.Popen[bytes], tries: int = 1500) -> None:
    """Until `url` answers 200; fails at once if the process behind it exits."""
    for _ in range(tries):
        assert process.poll() is None, f"the process behind {url} exited"
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{url} did not come up")
