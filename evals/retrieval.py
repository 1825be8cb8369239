"""Retrieval benchmark: `python -m evals.retrieval` (part of `make bench`).

Prints hit@1, hit@5 and MRR for dense only, BM25 only and hybrid on evals/datasets/retrieval.jsonl,
full and unchanged re-ingest times, ingest throughput beside the embedder's own rate, and hybrid
query latency. A question hits when a retrieved chunk comes from its labeled source or from one
of the other files labeled as answering it fully (`also`).
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from assistant.components import make_retriever
from assistant.index.knowledge_index import KnowledgeIndex
from assistant.prompts import PromptLibrary
from assistant.retrieval.hybrid import HybridRetriever, Mode
from assistant.state.database import make_engine
from evals.common import (
    accepted_sources,
    fresh_settings,
    ingest_fresh,
    load_dataset,
    percentile,
)
from ingestion.pipeline import Ingestor

MODES: tuple[Mode, ...] = ("dense", "bm25", "hybrid")


def rank_of_answer(case: dict[str, Any], sources: list[str]) -> int | None:
    """1-based rank of the first chunk from an answering file, None when absent."""
    accepted = accepted_sources(case)
    for rank, source in enumerate(sources, start=1):
        if source in accepted:
            return rank
    return None


def score(ranks: list[int | None]) -> dict[str, float]:
    n = len(ranks) or 1
    return {
        "hit@1": sum(1 for r in ranks if r == 1) / n,
        "hit@5": sum(1 for r in ranks if r is not None and r <= 5) / n,
        "mrr": sum(1.0 / r for r in ranks if r is not None) / n,
    }


def evaluate(retriever: HybridRetriever, cases: list[dict[str, Any]]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    latencies: list[float] = []
    for mode in MODES:
        ranks = []
        for case in cases:
            started = time.perf_counter()
            chunks = retriever.search(case["question"], mode=mode, top_k=10)
            if mode == "hybrid":
                latencies.append((time.perf_counter() - started) * 1000)
            ranks.append(rank_of_answer(case, [c.source for c in chunks]))
        results[mode] = score(ranks)
        results[mode]["by_language"] = {
            lang: score([r for r, c in zip(ranks, cases, strict=True) if c["language"] == lang])
            for lang in ("zh", "en")
        }
        results[mode]["misses"] = [
            c["id"] for r, c in zip(ranks, cases, strict=True) if r is None or r > 5
        ]
    results["latency_ms"] = {"p50": percentile(latencies, 50), "p95": percentile(latencies, 95)}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    cases = load_dataset("retrieval.jsonl")
    with fresh_settings() as settings:
        full, embedder = ingest_fresh(settings)
        started = time.perf_counter()
        index = KnowledgeIndex(settings, make_engine(settings))
        again = Ingestor(settings, index, embedder).run(settings.docs_dir)
        unchanged_s = time.perf_counter() - started
        retriever = make_retriever(settings, index, embedder, PromptLibrary())
        for case in cases[:5]:  # warm-up: jieba's dictionary, the engine's first call
            retriever.search(case["question"])
        results = evaluate(retriever, cases)

    n_zh = sum(1 for c in cases if c["language"] == "zh")
    print(f"retrieval dev set: {len(cases)} questions ({n_zh} zh, {len(cases) - n_zh} en)")
    print(f"{'mode':<8} {'hit@1':>6} {'hit@5':>6} {'MRR':>6}   zh hit@1/hit@5   en hit@1/hit@5")
    for mode in MODES:
        r = results[mode]
        zh, en = r["by_language"]["zh"], r["by_language"]["en"]
        print(
            f"{mode:<8} {r['hit@1']:>6.3f} {r['hit@5']:>6.3f} {r['mrr']:>6.3f}"
            f"   {zh['hit@1']:.3f}/{zh['hit@5']:.3f}      {en['hit@1']:.3f}/{en['hit@5']:.3f}"
        )
    print(
        f"ingest: {full.chunks} chunks from {len(full.added)} documents in {full.seconds:.1f} s "
        f"= {full.chunks / full.seconds:.1f} chunks/s end to end; "
        f"embedder alone {full.embedded / full.embed_seconds:.1f} chunks/s"
    )
    print(
        f"re-ingest unchanged: {unchanged_s:.2f} s = {100 * unchanged_s / full.seconds:.1f}% "
        f"of a full ingest ({len(again.unchanged)} unchanged, {again.embedded} embedded)"
    )
    latency = results["latency_ms"]
    print(f"hybrid query latency: p50 {latency['p50']:.1f} ms, p95 {latency['p95']:.1f} ms")
    if args.show_misses:
        by_id = {c["id"]: c for c in cases}
        for case_id in results["hybrid"]["misses"]:
            case = by_id[case_id]
            print(f"  miss {case_id}: {case['question']} -> {case['source']}")


if __name__ == "__main__":
    main()
