"""The reliability benchmark (issue 13): the real service, a real `chroma run` server and an
OpenAI-compatible LLM stub, all on loopback, under bounded load while things fail.

    python -m evals.reliability [--clients 50] [--seconds 60] [--fuzz-examples 25]

Phases, while `--clients` clients chat for `--seconds`: the LLM hangs (turns must end by the
deadline), the LLM is killed, the Chroma server is killed and restarted, the service is killed
(SIGKILL) and restarted. Then two agents race on the same hand-offs, and schemathesis fuzzes the
OpenAPI schema with and without a staff token. At the end every acknowledged turn and every
hand-off is looked up in the state database. Not part of `make test`: it is a benchmark.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from assistant.state.models import ChatMessage, Handoff
from evals.llm_stub import MisbehavingLlm

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
AGENTS = ("agent:agent-one-token-1", "agent:agent-two-token-2")
STAFF = "admin:admin-token-00001"
QUESTIONS = [
    "纯债C类赎回费怎么收",
    "定投最少投多少钱",
    "怎么修改绑定的银行卡",
    "What is the subscription fee of the CSI 300 enhanced index fund?",
    "我要投诉，赎回款一直没到账",
    "基金净值什么时候更新",
]
FOLLOW_UPS = ["那A类呢", "扣款那天要是放假呢", "要多久"]
# A slice of the knowledge base, so that ingesting it takes seconds (`--docs` for another).
DOCS = (
    "products/tongli_pure_bond.md",
    "products/csi300_enhanced_index.md",
    "faq/trading_faq.md",
    "faq/account_faq.md",
    "service/complaints.md",
    "en/products_trading_faq_en.md",
)


@dataclass
class Tally:
    acknowledged: list[dict[str, str]] = field(default_factory=list)  # session, message|spool
    statuses: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _wait(url: str, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return True
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    return False


class Processes:
    """The Chroma server and the service as real processes, killed and restarted at will."""

    def __init__(self, root: Path, llm_url: str, args: argparse.Namespace) -> None:
        self.root = root
        self.chroma_port, self.port = args.chroma_port, args.port
        self.chroma_url = f"http://127.0.0.1:{self.chroma_port}"
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "FA_DATA_DIR": str(root / "data"),
            "FA_CHROMA_URL": self.chroma_url,
            "FA_LLM_BASE_URL": llm_url,
            "FA_LLM_MODEL": "stub",
            "FA_LLM_TIMEOUT_S": str(args.llm_timeout),
            "FA_API_KEYS": ",".join([*AGENTS, STAFF]),
            "FA_CHAT__RATE_PER_MINUTE": "0",
            "FA_EVAL_DIR": str(root / "runs"),
        }
        self.chroma: subprocess.Popen[bytes] | None = None
        self.service: subprocess.Popen[bytes] | None = None

    def start_chroma(self) -> None:
        self.chroma = subprocess.Popen(
            [BIN / "chroma", "run", "--path", str(self.root / "chroma"), "--host", "127.0.0.1",
             "--port", str(self.chroma_port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        assert _wait(f"{self.chroma_url}/api/v2/heartbeat", 60), "chroma did not start"

    def start_service(self) -> float:
        started = time.monotonic()
        log = open(self.root / "service.log", "ab")  # noqa: SIM115 (the process keeps it)
        self.service = subprocess.Popen(
            [sys.executable, "-m", "assistant", "serve", "--port", str(self.port)],
            env=self.env, stdout=log, stderr=log, cwd=REPO,
        )  # fmt: skip
        assert _wait(f"{self.url}/healthz", 300), "the service did not start"
        return time.monotonic() - started

    @staticmethod
    def kill(process: subprocess.Popen[bytes] | None) -> None:
        if process and process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)

    def stop(self) -> None:
        for process in (self.service, self.chroma):
            if process and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    self.kill(process)


def _client(url: str, stop: threading.Event, tally: Tally, number: int) -> None:
    with httpx.Client(base_url=url, timeout=60) as http:
        session: str | None = None
        turn = 0
        while not stop.is_set():
            follow = session is not None and turn % 3 != 0
            message = FOLLOW_UPS[turn % 3] if follow else QUESTIONS[(number + turn) % 6]
            body = {"message": message, "session_id": session if follow else None}
            started = time.monotonic()
            try:
                response = http.post("/v1/chat", json=body)
            except httpx.TransportError as exc:
                with tally.lock:
                    tally.failures[type(exc).__name__] += 1
                time.sleep(0.5)
                session, turn = None, 0
                continue
            took = time.monotonic() - started
            with tally.lock:
                tally.statuses[response.status_code] += 1
                if response.status_code == 200:
                    reply = response.json()
                    tally.latencies.append(took)
                    tally.acknowledged.append(
                        {"session": reply["session_id"], "message": reply["message_id"],
                         "route": reply["route"], "handoff": reply["handoff_id"] or ""}
                    )  # fmt: skip
                    session = reply["session_id"]
                elif response.status_code == 503 and response.json()["error"].get("kept"):
                    kept = response.json()["error"]
                    tally.acknowledged.append({"session": kept["session_id"], "spool": "1"})
                    session = None
            turn += 1


def load(
    procs: Processes, llm: MisbehavingLlm, args: argparse.Namespace
) -> tuple[Tally, list[str]]:
    tally, events = Tally(), []
    stop = threading.Event()
    threads = [
        threading.Thread(target=_client, args=(procs.url, stop, tally, i), daemon=True)
        for i in range(args.clients)
    ]
    for thread in threads:
        thread.start()
    start = time.monotonic()

    def at(fraction: float, what: str) -> None:
        time.sleep(max(0.0, start + fraction * args.seconds - time.monotonic()))
        events.append(f"t={time.monotonic() - start:5.1f}s {what}")

    at(0.15, "LLM hangs")
    llm.behaviour = "hang"
    at(0.30, "LLM answers again")
    llm.behaviour = "ok"
    at(0.35, "LLM fails (503) for a while")
    llm.behaviour = "fail"
    at(0.45, "LLM answers again; Chroma server killed")
    llm.behaviour = "ok"
    procs.kill(procs.chroma)
    at(0.60, "Chroma server restarted")
    procs.start_chroma()
    at(0.70, "service killed (SIGKILL)")
    procs.kill(procs.service)
    restart = procs.start_service()
    events.append(f"t={time.monotonic() - start:5.1f}s service back after {restart:.1f}s")
    at(1.0, "load stops")
    stop.set()
    for thread in threads:
        thread.join(timeout=90)
    events.append(f"load ran {time.monotonic() - start:.1f}s")
    return tally, events


def _at_once(url: str, handoff: str, action: str, body: object) -> list[int]:
    """Both agents send `action` on the hand-off, released together by a barrier."""
    barrier, results = threading.Barrier(2), []

    def act(token: str) -> None:
        headers = {"Authorization": f"Bearer {token.split(':')[1]}"}
        barrier.wait()
        response = httpx.post(
            f"{url}/v1/handoffs/{handoff}/{action}", json=body, headers=headers, timeout=60
        )
        results.append(response.status_code)

    pair = [threading.Thread(target=act, args=(t,)) for t in AGENTS]
    for thread in pair:
        thread.start()
    for thread in pair:
        thread.join()
    return results


def race(url: str, rounds: int) -> dict[str, int]:
    """Two agents claim, then resolve, the same hand-off at the same moment."""
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
                counts[f"{action}: granted to {sum(1 for s in results if s == 200)}"] += 1
                counts.update(f"{action}: 5xx" for s in results if s >= 500)
            messages = http.get(f"/v1/sessions/{reply['session_id']}/messages").json()
            agent = sum(1 for m in messages if m["role"] == "agent")
            counts[f"agent replies in the session: {agent}"] += 1
    return dict(counts)


def fuzz(url: str, examples: int) -> dict[str, str]:
    results = {}
    for name, headers in (
        ("anonymous", []),
        ("staff", ["-H", f"Authorization: Bearer {STAFF.split(':')[1]}"]),
    ):
        process = subprocess.run(
            [BIN / "schemathesis", "run", f"{url}/openapi.json", "--checks", "not_a_server_error",
             "-n", str(examples), "--request-timeout", "60", *headers],
            capture_output=True, text=True, timeout=1800,
        )  # fmt: skip
        tail = [line for line in process.stdout.splitlines() if line.strip()][-3:]
        results[name] = f"exit {process.returncode}: " + " | ".join(tail)
    return results


def responses(url: str) -> Counter[str]:
    """HTTP responses the service counted, by status (since its last start)."""
    counts: Counter[str] = Counter()
    for line in httpx.get(f"{url}/metrics", timeout=30).text.splitlines():
        if line.startswith("fa_http_responses_total{"):
            status = line.split('status="')[1].split('"')[0]
            counts[status] += int(float(line.rsplit(" ", 1)[1]))
    return counts


def audit(root: Path, tally: Tally) -> dict[str, int]:
    """What became of every acknowledged turn, looked up in the state database."""
    engine = create_engine(f"sqlite:///{root / 'data' / 'state.db'}")
    outcome: Counter[str] = Counter()
    with Session(engine) as db:
        stored = set(db.scalars(select(ChatMessage.id)))
        sessions_with_client = set(
            db.scalars(select(ChatMessage.session_id).where(ChatMessage.role == "client"))
        )
        handoffs = {h.id: h.status for h in db.scalars(select(Handoff))}
    for turn in tally.acknowledged:
        if "spool" in turn:
            ok = turn["session"] in sessions_with_client
            outcome["503 kept in spool → stored" if ok else "503 kept in spool → LOST"] += 1
        elif turn["message"] not in stored:
            outcome["answered → LOST"] += 1
        elif turn["route"] == "handoff":
            ok = turn["handoff"] in handoffs
            outcome[
                "handed off → stored with its hand-off" if ok else "handed off → hand-off LOST"
            ] += 1
        else:
            outcome["answered → stored"] += 1
    outcome.update(f"hand-offs in the database: {s}" for s in handoffs.values())
    return dict(outcome)


def hanging_llm_turn(procs: Processes, llm: MisbehavingLlm, behaviour: str) -> float:
    llm.behaviour = behaviour  # type: ignore[assignment]
    started = time.monotonic()
    with httpx.Client(base_url=procs.url, timeout=120) as http:
        first = http.post("/v1/chat", json={"message": "纯债C类赎回费怎么收"}).json()
        http.post("/v1/chat", json={"message": "那A类呢", "session_id": first["session_id"]})
    llm.behaviour = "ok"
    return (time.monotonic() - started) / 2


def _slice(folder: Path) -> Path:
    for name in DOCS:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "knowledge_docs" / name, folder / name)
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--fuzz-examples", type=int, default=25)
    parser.add_argument("--race-rounds", type=int, default=20)
    parser.add_argument("--llm-timeout", type=float, default=3.0)
    parser.add_argument("--port", type=int, default=18731)
    parser.add_argument("--chroma-port", type=int, default=18732)
    parser.add_argument("--docs", type=Path, help="a knowledge folder (default: a slice)")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="fa-reliability-"))
    llm = MisbehavingLlm("ok", content="纯债基金C类份额持有满7天赎回不收赎回费【1】。").__enter__()
    procs = Processes(root, llm.url, args)
    try:
        docs = args.docs or _slice(root / "docs")
        procs.start_chroma()
        subprocess.run([sys.executable, "-m", "assistant", "ingest", "--docs", str(docs)],
                       env=procs.env, cwd=REPO, check=True, capture_output=True)  # fmt: skip
        print(f"service up in {procs.start_service():.1f}s")
        hang = hanging_llm_turn(procs, llm, "hang")
        trickle = hanging_llm_turn(procs, llm, "trickle")
        print(f"turn with a hanging LLM: {hang:.2f}s, trickling: {trickle:.2f}s "
              f"(FA_LLM_TIMEOUT_S={args.llm_timeout:g}; a follow-up makes two calls)")  # fmt: skip
        tally, events = load(procs, llm, args)
        print("\n".join(events))
        answered = tally.statuses.get(200, 0)
        latencies = sorted(tally.latencies) or [0.0]
        print(f"clients {args.clients}: {sum(tally.statuses.values())} responses, "
              f"by status {dict(sorted(tally.statuses.items()))}, transport failures "
              f"{dict(tally.failures)}")  # fmt: skip
        print(f"answers/s {answered / args.seconds:.1f}, p50 {latencies[len(latencies) // 2]:.2f}s, "
              f"p95 {latencies[int(len(latencies) * 0.95)]:.2f}s")  # fmt: skip
        print("race:", json.dumps(race(procs.url, args.race_rounds), ensure_ascii=False))
        print("fuzz:", json.dumps(fuzz(procs.url, args.fuzz_examples), ensure_ascii=False))
        counted = responses(procs.url)
        print(f"responses since the last restart: {sum(counted.values())}, "
              f"5xx: {sum(n for s, n in counted.items() if s.startswith('5') and s != '503')}, "
              f"503: {counted.get('503', 0)}, by status {dict(sorted(counted.items()))}")  # fmt: skip
        time.sleep(3)  # the spool drains every 2 s
        print("acknowledged turns:", json.dumps(audit(root, tally), ensure_ascii=False))
    finally:
        procs.stop()
        llm.__exit__()
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
