"""OpenAI-compatible stub servers that misbehave the ways real ones do: one that hangs, one that
trickles its answer a byte at a time, one that answers at once. They also record whether each
request carried max_tokens and when the client went away."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal

Behaviour = Literal["hang", "trickle", "ok", "fail"]


class MisbehavingLlm:
    def __init__(self, behaviour: Behaviour, content: str = "好的。") -> None:
        self.behaviour: Behaviour = behaviour
        self.content = content
        self.requests: list[dict[str, object]] = []
        self.disconnects = 0
        self.stopping = threading.Event()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                try:
                    body = json.loads(self.rfile.read(int(self.headers["content-length"])))
                except ValueError:  # the caller was killed mid-request
                    return
                stub.requests.append(body)
                if stub.behaviour == "hang":
                    stub.stopping.wait(120)
                    return
                if stub.behaviour == "fail":
                    self.send_response(503)
                    self.send_header("content-length", "0")
                    self.end_headers()
                    return
                chunk = {"choices": [{"index": 0, "delta": {"content": stub.content}}]}
                stream = f"data: {json.dumps(chunk)}\n\ndata: [DONE]\n\n".encode()
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.send_header("content-length", str(len(stream)))
                self.end_headers()
                if stub.behaviour == "ok":
                    try:
                        self.wfile.write(stream)
                    except (BrokenPipeError, ConnectionResetError):  # past the turn's deadline
                        stub.disconnects += 1
                    return
                try:  # trickle: a byte every 50 ms, a long preamble first
                    for byte in b": " + b"." * 5000 + b"\n\n" + stream:
                        if stub.stopping.is_set():
                            return
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(0.05)
                except (BrokenPipeError, ConnectionResetError):
                    stub.disconnects += 1

            def log_message(self, *args: object) -> None:
                pass

            def handle(self) -> None:
                try:
                    super().handle()
                except (BrokenPipeError, ConnectionResetError):  # the client left (a deadline)
                    stub.disconnects += 1

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> MisbehavingLlm:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()
