"""The fault phase of the reliability benchmark: clients chat while the LLM hangs and fails, the
Chroma server is killed and restarted, and the whole service is killed and restarted."""

from __future__ import annotations

import time

import httpx

from evals.llm_stub import Behaviour, MisbehavingLlm
from evals.reliability_load import Tally, run_clients
from evals.reliability_procs import Processes


def faults(
    procs: Processes, llm: MisbehavingLlm, clients: int, seconds: float, settle_s: float
) -> Tally:
    """Runs the clients through the faults; prints the timeline and the statuses. Between two
    LLM faults the LLM answers for `settle_s` (the circuit's reset and a trial call), counted
    as "recovering": each fault then starts from a closed circuit, as it would in service.
    Without it, the failing phase began with the circuit the hanging phase had opened (the LLM
    skipped as slow), and its first seconds were answered, not handed off."""
    tally = Tally()
    halt = run_clients(procs.url, clients, tally, None)
    start = began = time.monotonic()

    def at(fraction: float, what: str) -> None:
        time.sleep(max(0.0, start + fraction * seconds - time.monotonic()))
        print(f"  t={time.monotonic() - began:5.1f}s {what}", flush=True)

    def phase(name: str) -> None:  # what the turns sent from now on are counted under
        tally.phase = name

    def settle() -> None:
        nonlocal start
        llm.behaviour = "ok"
        phase("recovering")
        time.sleep(settle_s)
        start += settle_s  # the later phases keep their length

    print("faults, while the clients chat:")
    at(0.15, "LLM hangs")
    llm.behaviour = "hang"
    phase("LLM hanging")
    at(0.30, "LLM answers again")
    settle()
    print(f"  t={time.monotonic() - began:5.1f}s LLM fails (503)", flush=True)
    llm.behaviour = "fail"
    phase("LLM failing")
    at(0.45, "LLM answers again")
    settle()
    print(f"  t={time.monotonic() - began:5.1f}s Chroma server killed", flush=True)
    phase("Chroma down")
    procs.kill_chroma()
    at(0.60, "Chroma server restarting")
    procs.start_chroma()
    phase("normal")
    at(0.0, "Chroma server answers again")
    at(0.70, "service killed (SIGKILL to every worker)")
    phase("service restarting")
    procs.kill_service()
    took = procs.start_service()
    phase("after the restart")
    at(0.0, f"service back after {took:.1f}s")
    time.sleep(10)  # at least this long on the restarted service
    at(1.0, "load stops")
    halt()
    print(f"  {sum(tally.statuses.values())} responses, by status {dict(tally.statuses)}, "
          f"transport failures {dict(tally.failures)}")  # fmt: skip
    return tally


def hanging_llm_turn(url: str, llm: MisbehavingLlm, behaviour: Behaviour) -> float:
    """Seconds per turn (a question and its follow-up) while the LLM misbehaves."""
    llm.behaviour = behaviour
    started = time.monotonic()
    with httpx.Client(base_url=url, timeout=120) as http:
        first = http.post("/v1/chat", json={"message": "纯债C类赎回费怎么收"}).json()
        http.post("/v1/chat", json={"message": "那A类呢", "session_id": first["session_id"]})
    llm.behaviour = "ok"
    return (time.monotonic() - started) / 2
