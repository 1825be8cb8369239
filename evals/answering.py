"""Answering benchmark: `python -m evals.answering` (part of `make bench`).

On a fresh ingest of the knowledge folder in a temporary data folder: routing on routing.jsonl,
PII on pii.jsonl, answers on answers.jsonl (fact recall, disclaimers, banned claims, in-process
latency), then the HTTP service in its own process under 8 concurrent clients.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from assistant.components import build_components
from assistant.models import TurnRequest
from assistant.pipeline import AssistantPipeline
from assistant.settings import Settings
from evals.common import fresh_settings, ingest_fresh, load_dataset, percentile
from evals.suites import PII_HEADLINE, REASONS, run_answers, run_pii, run_routing

HTTP_CLIENTS = 8
HTTP_REQUESTS = 400


def http_throughput(settings: Settings, questions: list[str]) -> dict[str, float]:
    """Serve from a separate process (as in production) and load it from 8 client threads."""
    port = 18000 + os.getpid() % 1000
    env = {
        **os.environ,
        "FA_DATA_DIR": str(settings.data_dir),
        "FA_DOCS_DIR": str(settings.docs_dir),
        # One address sends every request: the per-address rate limit would answer 429 and
        # the figure would measure the limiter, not the service.
        "FA_CHAT__RATE_PER_MINUTE": "0",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "assistant", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.5)
        latencies: list[float] = []

        def one(i: int, client: httpx.Client) -> None:
            started = time.perf_counter()
            response = client.post(
                f"{url}/v1/chat", json={"message": questions[i % len(questions)]}
            )
            response.raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)

        with httpx.Client(timeout=30, limits=httpx.Limits(max_connections=HTTP_CLIENTS)) as client:
            for i in range(16):  # warm-up
                one(i, client)
            latencies.clear()
            started = time.perf_counter()
            with ThreadPoolExecutor(HTTP_CLIENTS) as pool:
                list(pool.map(lambda i: one(i, client), range(HTTP_REQUESTS)))
            elapsed = time.perf_counter() - started
        return {
            "answers_per_s": HTTP_REQUESTS / elapsed,
            "p50_ms": percentile(latencies, 50),
            "p95_ms": percentile(latencies, 95),
        }
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP load test")
    args = parser.parse_args()
    with fresh_settings() as settings:
        _, embedder = ingest_fresh(settings)
        components = build_components(settings, embedder=embedder)
        pipeline = AssistantPipeline(components)
        for warm in ("你好", "纯债赎回多久到账"):  # jieba's dictionary, the engines' first calls
            pipeline.handle(TurnRequest(message=warm))
        routing = run_routing(pipeline, load_dataset("routing.jsonl"))
        pii = run_pii(components.redactor, load_dataset("pii.jsonl"))
        answer_cases = load_dataset("answers.jsonl")
        answers = run_answers(pipeline, answer_cases)
        questions = [c["question"] for c in answer_cases]
        http = None if args.no_http else http_throughput(settings, questions)
        _print(routing.metrics, pii.metrics, answers.metrics, http)


def _print(routing: dict, pii: dict, answers: dict, http: dict | None) -> None:  # type: ignore[type-arg]
    print("routing (evals/datasets/routing.jsonl, through the whole pipeline)")
    for reason in REASONS:
        print(
            f"  {reason:<18} recall {routing[f'{reason}_recall']:.3f}  precision "
            f"{routing[f'{reason}_precision']:.3f}  F1 {routing[f'{reason}_f1']:.3f}"
        )
    print(
        f"  escalation recall (complaint/angry/human/advice/guarantee): {routing['escalation_recall']:.3f}"
    )
    print(
        f"  handoff precision {routing['handoff_precision']:.3f}, handoff recall {routing['handoff_recall']:.3f}, "
        f"route accuracy {routing['route_accuracy']:.3f}, intent accuracy {routing['intent_accuracy']:.3f}"
    )
    print(f"  calm messages with alarming words answered: {routing['calm_alarming_answered']:.3f}")
    print(
        f"  answered from the documents: off-topic/out of scope {routing['out_of_scope_answered']:.3f}, "
        f"beyond the documents {routing['beyond_documents_answered']:.3f}"
    )
    print("PII (evals/datasets/pii.jsonl)")
    for kind in PII_HEADLINE:
        print(
            f"  {kind:<14} recall {pii[f'{kind}_recall']:.3f}  precision {pii[f'{kind}_precision']:.3f}"
        )
    print(
        f"  ID+phone+card+email: recall {pii['headline_recall']:.3f}, precision {pii['headline_precision']:.3f}"
    )
    others = sorted({k.rsplit("_", 1)[0] for k in pii} - set(PII_HEADLINE) - {"headline"})
    for kind in others:
        print(
            f"  {kind:<14} recall {pii[f'{kind}_recall']:.3f}  precision {pii[f'{kind}_precision']:.3f}"
        )
    print("answers (evals/datasets/answers.jsonl)")
    print(
        f"  fact recall {answers['fact_recall']:.3f}; answered {answers['answered_share']:.3f}; "
        f"source cited {answers['source_cited']:.3f}; groundedness {answers['groundedness']:.3f}; "
        f"citation precision {answers['citation_precision']:.3f}"
    )
    print(
        f"  wrong of answered {answers['wrong_answer_rate']:.3f} ({answers['wrong_answers']:.0f}); "
        f"asked back {answers['asked_back_rate']:.3f}; handed off {answers['handoff_rate']:.3f}"
    )
    print(
        f"  disclaimer on product/trading answers {answers['disclaimer_product_trading']:.3f}; "
        f"banned claims {answers['banned_claims']:.0f}; advice violations {answers['advice_violations']:.0f}"
    )
    print(
        f"  in-process latency p50 {answers['latency_p50_ms']:.1f} ms, p95 {answers['latency_p95_ms']:.1f} ms"
    )
    if http:
        print(
            f"HTTP, {HTTP_CLIENTS} concurrent clients, {HTTP_REQUESTS} requests: "
            f"{http['answers_per_s']:.1f} answers/s (p50 {http['p50_ms']:.0f} ms, p95 {http['p95_ms']:.0f} ms)"
        )


if __name__ == "__main__":
    main()
