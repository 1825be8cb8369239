"""Clients of the reliability benchmark: chat load (repeated or all-distinct questions), two
agents racing on the same hand-offs, schemathesis fuzzing, and the audit of every acknowledged
turn against the state database."""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from assistant.settings import Settings
from assistant.state.database import database_url
from assistant.state.models import ChatMessage, Handoff
from evals.reliability_procs import BIN, REPO

AGENTS = ("agent:agent-one:agent-one-token-1", "agent:agent-two:agent-two-token-2")
STAFF = "admin:admin:admin-token-00001"
QUESTIONS = [
    "纯债C类赎回费怎么收",
    "定投最少投多少钱",
    "怎么修改绑定的银行卡",
    "What is the subscription fee of the CSI 300 enhanced index fund?",
    "我要投诉，赎回款一直没到账",
    "基金净值什么时候更新",
]
FOLLOW_UPS = ["那A类呢", "扣款那天要是放假呢", "要多久"]
FUZZ_LIMIT_S = 300  # per run: a stuck request must not stop the benchmark
DATASETS = ("routing.jsonl", "routing_train.jsonl", "routing_train_2.jsonl", "retrieval.jsonl")


def token(spec: str) -> str:
    return spec.rsplit(":", 1)[1]


class DistinctQuestions:
    """Every call a question no client asked before in this run: the dev and training sets'
    texts, then the same texts numbered (so no cache can answer twice)."""

    def __init__(self) -> None:
        texts: dict[str, None] = {}
        for name in DATASETS:
            for line in (REPO / "evals" / "datasets" / name).read_text().splitlines():
                row = json.loads(line)
                texts[row.get("text") or row["question"]] = None
        self.texts = [t for t in texts if len(t) <= 200]
        self.count = 0
        self.lock = threading.Lock()

    def __call__(self) -> str:
        with self.lock:
            n, self.count = self.count, self.count + 1
        text = self.texts[n % len(self.texts)]
        return text if n < len(self.texts) else f"{text}（{n // len(self.texts)}）"


@dataclass
class Tally:
    acknowledged: list[dict[str, str]] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    routes: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    done: list[tuple[float, float]] = field(default_factory=list)  # (finished at, seconds)
    lock: threading.Lock = field(default_factory=threading.Lock)
    phase: str = "normal"  # what is down while the turn is sent (set by the benchmark)

    def record(self, response: httpx.Response, started: float, phase: str) -> str | None:
        """Counts a response to a turn sent during `phase`; the session to continue, if any."""
        finished = time.monotonic()
        body = response.json() if response.headers.get("content-type", "").startswith(
            "application/json") else {}  # fmt: skip
        with self.lock:
            self.statuses[response.status_code] += 1
            if response.status_code == 200:
                self.done.append((finished, finished - started))
                self.routes[body["route"]] += 1
                self.acknowledged.append(
                    {"session": body["session_id"], "message": body["message_id"],
                     "route": body["route"], "handoff": body["handoff_id"] or "",
                     "phase": phase, "reasons": ",".join(body["reasons"]) or "-"}
                )  # fmt: skip
                return str(body["session_id"])
            kept = body.get("error", {}) if response.status_code == 503 else {}
            if kept.get("kept"):
                self.acknowledged.append(
                    {"session": kept["session_id"], "spool": "1", "phase": phase}
                )
        return None

    def window(self, start: float, end: float) -> tuple[int, float, float]:
        """Answers finished in [start, end): their count, p50 and p95 in seconds."""
        took = sorted(s for at, s in self.done if start <= at < end) or [0.0]
        return len(took), took[len(took) // 2], took[min(len(took) - 1, int(len(took) * 0.95))]


def chat_client(
    url: str, stop: threading.Event, tally: Tally, number: int, distinct: DistinctQuestions | None
) -> None:
    """One client: a question, two follow-ups in its session, a new question, … (with
    `distinct`, only new questions, each in a new session)."""
    with httpx.Client(base_url=url, timeout=60) as http:
        session: str | None = None
        turn = 0
        while not stop.is_set():
            follow = distinct is None and session is not None and turn % 3 != 0
            if distinct is not None:
                message = distinct()
            else:
                message = FOLLOW_UPS[turn % 3] if follow else QUESTIONS[(number + turn) % 6]
            body = {"message": message, "session_id": session if follow else None}
            started, phase = time.monotonic(), tally.phase
            try:
                session = tally.record(http.post("/v1/chat", json=body), started, phase)
            except httpx.TransportError as exc:
                with tally.lock:
                    tally.failures[type(exc).__name__] += 1
                time.sleep(0.5)
                session, turn = None, 0
                continue
            turn += 1


def run_clients(
    url: str, clients: int, tally: Tally, distinct: DistinctQuestions | None
) -> Callable[[], None]:
    """Starts the clients; returns the function that stops them and waits for them."""
    stop = threading.Event()
    threads = [
        threading.Thread(target=chat_client, args=(url, stop, tally, i, distinct), daemon=True)
        for i in range(clients)
    ]
    for thread in threads:
        thread.start()

    def halt() -> None:
        stop.set()
        for thread in threads:
            thread.join(timeout=90)

    return halt


def _at_once(url: str, handoff: str, action: str, body: object) -> list[int]:
    """Both agents send `action` on the hand-off, released together by a barrier, each on a
    connection of its own."""
    barrier, results = threading.Barrier(2), []

    def act(agent: str) -> None:
        with httpx.Client(base_url=url, timeout=60) as http:
            barrier.wait()
            response = http.post(
                f"/v1/handoffs/{handoff}/{action}",
                json=body,
                headers={"Authorization": f"Bearer {token(agent)}"},
            )
        results.append(response.status_code)

    pair = [threading.Thread(target=act, args=(agent,)) for agent in AGENTS]
    for thread in pair:
        thread.start()
    for thread in pair:
        thread.join()
    return results


def race(url: str, rounds: int) -> dict[str, int]:
    """Two agents claim, then resolve, the same hand-off at the same moment; then how many
    agent replies reached the client's session."""
    counts: Counter[str] = Counter()
    with httpx.Client(base_url=url, timeout=60) as http:
        for _ in range(rounds):
            reply = http.post("/v1/chat", json={"message": "我要投诉，你们的客服太差了"}).json()
            handoff = reply.get("handoff_id")
            if not handoff:
                counts["no hand-off"] += 1
                continue
            for action, body in (("claim", None), ("resolve", {"action": "accept"})):
                results = _at_once(url, handoff, action, body)
                granted = sum(1 for s in results if s == 200)
                counts[f"{action} granted to {granted}"] += 1
                counts.update(f"{action}: status {s}" for s in results if s >= 500)
            messages = http.get(f"/v1/sessions/{reply['session_id']}/messages").json()
            agent = sum(1 for m in messages if m["role"] == "agent")
            counts[f"agent replies in the session: {agent}"] += 1
    return dict(sorted(counts.items()))


def fuzz(url: str, examples: int) -> dict[str, str]:
    """schemathesis against the live OpenAPI schema, anonymous and with a staff token."""
    results = {}
    for name, headers in (
        ("anonymous", []),
        ("staff", ["-H", f"Authorization: Bearer {token(STAFF)}"]),
    ):
        try:
            process = subprocess.run(
                [BIN / "schemathesis", "run", f"{url}/openapi.json", "--checks",
                 "not_a_server_error", "-n", str(examples), "--request-timeout", "60", *headers],
                capture_output=True, text=True, timeout=FUZZ_LIMIT_S,
            )  # fmt: skip
            returncode, stdout = process.returncode, process.stdout
        except subprocess.TimeoutExpired as stopped:
            out = stopped.stdout
            stdout = out.decode(errors="replace") if isinstance(out, bytes) else out or ""
            returncode = f"stopped after {FUZZ_LIMIT_S} s"  # type: ignore[assignment]
        lines = [line.strip() for line in stdout.splitlines() if line.strip()]
        summary = [
            line
            for line in lines
            if any(word in line.lower() for word in ("requests", "passed", "error", "failed"))
        ]
        results[name] = f"exit {returncode}: " + " | ".join((summary or lines)[-8:])
    return results


def responses(url: str) -> Counter[str]:
    """HTTP responses the service counted (all workers), by status, since its last start."""
    return by_label(url, "fa_http_responses_total", "status")


def by_label(url: str, name: str, label: str) -> Counter[str]:
    """A counter's values (all workers) summed by one of its labels."""
    counts: Counter[str] = Counter()
    for line in httpx.get(f"{url}/metrics", timeout=30).text.splitlines():
        if line.startswith(name + "{"):
            value = line.split(f'{label}="')[1].split('"')[0]
            counts[value] += int(float(line.rsplit(" ", 1)[1]))
    return counts


def metric(url: str, name: str) -> float:
    """The sum of a counter's samples over its labels (all workers)."""
    total = 0.0
    for line in httpx.get(f"{url}/metrics", timeout=30).text.splitlines():
        if line.startswith(name) and not line.startswith("#"):
            total += float(line.rsplit(" ", 1)[1])
    return total


def audit(settings: Settings, tally: Tally) -> dict[str, dict[str, int]]:
    """What became of every acknowledged turn, looked up in the state database, by what was
    down when it was sent; and the hand-offs in the database by status."""
    engine = create_engine(database_url(settings))
    with Session(engine) as db:
        stored = set(db.scalars(select(ChatMessage.id)))
        sessions_with_client = set(
            db.scalars(select(ChatMessage.session_id).where(ChatMessage.role == "client"))
        )
        handoffs = {h.id: h.status for h in db.scalars(select(Handoff))}
    engine.dispose()
    outcome: dict[str, Counter[str]] = {}
    for turn in tally.acknowledged:
        counts = outcome.setdefault(turn["phase"], Counter())
        if "spool" in turn:
            ok = turn["session"] in sessions_with_client
            counts["503 kept in spool → stored" if ok else "503 kept in spool → LOST"] += 1
        elif turn["message"] not in stored:
            counts["acknowledged → LOST"] += 1
        elif turn["route"] == "handoff":
            ok = turn["handoff"] in handoffs
            counts["stored, handed off" if ok else "stored, hand-off LOST"] += 1
            counts[f"  hand-off reasons {turn['reasons']}"] += 1
        else:
            counts["stored, answered"] += 1
    result = {phase: dict(counts) for phase, counts in outcome.items()}
    result["hand-offs in the database"] = dict(Counter(handoffs.values()))
    return result


def slice_docs(folder: Path, names: tuple[str, ...]) -> Path:
    import shutil

    for name in names:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "knowledge_docs" / name, folder / name)
    return folder
