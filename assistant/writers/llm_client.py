"""Calls to an OpenAI-compatible chat endpoint that end by the turn's deadline, whatever the
server does.

The body is streamed and read piece by piece (`iter_raw`), the deadline checked after each
piece, so a server trickling a byte at a time is cut off as surely as one that hangs (each read
waits at most the budget left when the call began). The call runs on a small executor of its
own: the turn's thread waits at most until the deadline even if a read is still blocked, and LLM
calls never take the threads that serve reads. Leaving early closes the stream, which tells a
llama.cpp or vLLM server to stop generating. Every call carries `max_tokens`. A circuit breaker
skips an LLM that keeps failing.

Two ways of not answering, which the turn treats differently: an LLM that is *slow* (past the
turn's deadline, however it got there) raises `LlmSlowError`, and the extractive writer answers;
an LLM that is *down* (refused, a 5xx or another failure, or skipped while the circuit it opened
is open) raises `LlmDownError`, and the turn is stored and handed off, the extractive text as the
draft. A circuit opened by timeouts stays "slow": the LLM is skipped and the extractive writer
answers.
"""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

import httpx

from assistant.service import metrics
from assistant.service.circuit import CircuitBreaker, State
from assistant.settings import Settings


class LlmUnavailableError(RuntimeError):
    """The LLM failed, timed out or is being skipped; the caller falls back."""


class LlmSlowError(LlmUnavailableError):
    """The LLM did not finish by the turn's deadline."""


class LlmDownError(LlmUnavailableError):
    """The LLM failed (refused, an error status, a broken answer) or its circuit is open."""


# Reads cut off by the deadline: the call's own budget, or a read that waited it out.
_SLOW = (TimeoutError, httpx.TimeoutException)


class LlmClient:
    def __init__(self, settings: Settings) -> None:
        self.url = (settings.llm_base_url or "").rstrip("/") + "/chat/completions"
        self.model = settings.llm_model or ""
        self.timeout_s = settings.llm_timeout_s
        self.max_tokens = settings.llm_max_tokens
        headers = {"Authorization": f"Bearer {settings.llm_api_key or 'not-needed'}"}
        self._http = httpx.Client(headers=headers)
        self._pool = ThreadPoolExecutor(settings.llm_concurrency, thread_name_prefix="llm")
        self._failing = ""
        self._opened_by = ""  # the failure that opened the circuit: "timeout" or "error"
        self.breaker = CircuitBreaker(
            settings.llm_breaker_failures,
            settings.llm_breaker_reset_s,
            on_change=self._circuit_changed,
        )

    def _circuit_changed(self, state: State) -> None:
        if state == "open":  # late timeouts of calls already in flight do not reopen it
            self._opened_by = self._failing
        metrics.LLM_CIRCUIT_OPEN.set(1 if state == "open" else 0)

    @property
    def circuit(self) -> State:
        return self.breaker.state

    def chat(
        self, messages: list[dict[str, str]], *, deadline: float, purpose: str, max_tokens: int
    ) -> str:
        """The assistant message's text, or LlmUnavailableError by `deadline` (monotonic)."""
        if not self.breaker.allow():
            metrics.LLM_CALLS.labels(purpose, "skipped").inc()
            if self._opened_by == "timeout":  # opened by slowness: still only slow
                raise LlmSlowError("the LLM circuit is open (it kept timing out)")
            raise LlmDownError("the LLM circuit is open")
        body = {
            "model": self.model,
            "messages": messages,
            "stream": True,
            "temperature": 0.1,
            "max_tokens": min(max_tokens, self.max_tokens),
        }
        stop = threading.Event()
        future: Future[str] = self._pool.submit(self._read, body, deadline, stop)
        try:
            text = future.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            stop.set()
            future.cancel()
            self._failed(purpose, "timeout")
            raise LlmSlowError("the LLM did not answer within the turn's deadline") from None
        except _SLOW as exc:
            self._failed(purpose, "timeout")
            raise LlmSlowError(
                f"the LLM was cut off at the deadline ({type(exc).__name__})"
            ) from exc
        except Exception as exc:
            self._failed(purpose, "error")
            raise LlmDownError(f"the LLM failed: {type(exc).__name__}") from exc
        self.breaker.succeeded()
        metrics.LLM_CALLS.labels(purpose, "ok").inc()
        return text

    def _failed(self, purpose: str, outcome: str) -> None:
        self._failing = outcome  # read by _circuit_changed if this failure opens the circuit
        self.breaker.failed()
        metrics.LLM_CALLS.labels(purpose, outcome).inc()
        metrics.DEPENDENCY_ERRORS.labels("llm").inc()

    def _read(self, body: dict[str, object], deadline: float, stop: threading.Event) -> str:
        budget = deadline - time.monotonic()
        if budget <= 0 or stop.is_set():
            raise TimeoutError("no time left")
        timeout = httpx.Timeout(budget, connect=min(budget, 3.0))
        with self._http.stream("POST", self.url, json=body, timeout=timeout) as response:
            response.raise_for_status()
            raw = bytearray()
            for piece in response.iter_raw():
                raw += piece
                if stop.is_set() or time.monotonic() > deadline:
                    raise TimeoutError("past the turn's deadline")
        text = raw.decode("utf-8", errors="replace")
        if response.headers.get("content-type", "").startswith("text/event-stream"):
            return _from_events(text)
        return str(json.loads(text)["choices"][0]["message"].get("content") or "")

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._http.close()


def _from_events(text: str) -> str:
    """The content deltas of a server-sent-event stream of chat completion chunks."""
    parts: list[str] = []
    for line in text.splitlines():
        data = line.removeprefix("data:").strip() if line.startswith("data:") else ""
        if not data or data == "[DONE]":
            continue
        choices = json.loads(data).get("choices") or [{}]
        parts.append(str((choices[0].get("delta") or {}).get("content") or ""))
    return "".join(parts)
