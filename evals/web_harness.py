"""A real server and Debian's Chromium for the browser tests and the page benchmark.

The server is uvicorn on 127.0.0.1 in a thread of this process, over already-built components
(a real index in a temporary folder). The browser is Debian's `chromium` driven by Playwright
through `executable_path`: Playwright's own browser download cannot run here, so it is never
used (`make test` installs `chromium` and `fonts-wqy-microhei` with apt when they are missing).
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from api.app import create_app
from assistant.components import Components
from assistant.settings import Settings

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """Debian's Chromium, if it is installed."""
    for name in ("/usr/bin/chromium", "chromium"):
        found = shutil.which(name)
        if found:
            return found
    return None


def launch_chromium(playwright: Any) -> Any:
    path = chromium_path()
    if path is None:
        raise RuntimeError("chromium is not installed: apt-get install chromium fonts-wqy-microhei")
    return playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_server(settings: Settings, components: Components) -> Iterator[str]:
    """The app served on a free local port for the life of the block; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, components), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the live server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def kb_slice(root: Path, docs: Path, names: tuple[str, ...]) -> None:
    """Copy part of the knowledge folder `root` into `docs` (a temporary index's source)."""
    for name in names:
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(root / name, docs / name)
