"""`fund-assistant eval`: every suite on a fresh ingest in a temporary data folder, written as a
run (JSON with every case and the metrics) and a self-contained HTML report beside it.

`--fast` is the CI subset: a slice of the knowledge folder and the dev-set cases it can answer,
so that `make test` fails when quality drops without spending minutes on a full ingest.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from assistant.company import PROFILE_NAME
from assistant.components import build_components
from assistant.pipeline import AssistantPipeline
from assistant.retrieval.hybrid import HybridRetriever
from assistant.settings import Settings
from evals.common import accepted_sources, fresh_settings, ingest_fresh, load_dataset
from evals.crisis_bench import BLIND as CRISIS_BLIND
from evals.crisis_bench import run_crisis
from evals.kb2.suite import run_kb2
from evals.retrieval import MODES
from evals.retrieval import evaluate as evaluate_retrieval
from evals.suites import (
    CaseResult,
    SuiteResult,
    run_answers,
    run_compliance,
    run_multiturn,
    run_pii,
    run_pii_leakage,
    run_routing,
)

THRESHOLDS = Path(__file__).resolve().parent / "thresholds.yaml"
FAST_FOLDERS = ("faq", "en", "products")  # the CI slice of the knowledge folder
FAST_LIMITS = {"retrieval": 80, "answers": 40, "routing": 120, "pii": 226, "multiturn": 12}


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def run_eval(settings: Settings, *, fast: bool = False, progress: bool = False) -> dict[str, Any]:
    started = datetime.now(UTC)
    clock = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fa-eval-docs-") as tmp:
        docs = _docs_for(settings.docs_dir, Path(tmp), fast)
        base = settings.model_copy(update={"docs_dir": docs})
        with fresh_settings(base) as eval_settings:
            report, embedder = ingest_fresh(eval_settings)
            components = build_components(eval_settings, embedder=embedder)
            pipeline = AssistantPipeline(components)
            capture = _Capture()
            logging.getLogger().addHandler(capture)
            logging.getLogger().setLevel(logging.INFO)
            try:
                suites = _run_suites(
                    pipeline, components.retriever, docs, fast, capture.lines, progress
                )
                if not fast:  # the crisis blind set; the other companies' documents
                    suites.append(run_crisis(pipeline, load_dataset(CRISIS_BLIND)))
                    suites.append(run_kb2(base, embedder))
                    suites.append(run_kb2(base, embedder, name="kb3"))
            finally:
                logging.getLogger().removeHandler(capture)
    return {
        "id": started.strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6],
        "started_at": started.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "seconds": round(time.perf_counter() - clock, 1),
        "fast": fast,
        "git_commit": _git_commit(),
        "ingest": {
            "documents": len(report.added),
            "chunks": report.chunks,
            "seconds": report.seconds,
        },
        "metrics": {s.name: s.metrics for s in suites},
        "extra": {s.name: s.extra for s in suites if s.extra},
        "cases": [_case_dict(c) for s in suites for c in s.cases],
    }


def _run_suites(
    pipeline: AssistantPipeline,
    retriever: HybridRetriever,
    docs: Path,
    fast: bool,
    logs: list[str],
    progress: bool,
) -> list[SuiteResult]:
    from tqdm import tqdm

    def cases(name: str) -> list[dict[str, Any]]:
        """The dev set; under `--fast`, its first cases that the slice of the knowledge folder
        can answer (unlabeled ones, as in routing and PII, always can)."""
        rows = load_dataset(f"{name}.jsonl")
        if fast:
            rows = [r for r in rows if _answerable(r, docs)][: FAST_LIMITS.get(name)]
        return rows

    answer_cases, pii_cases = cases("answers"), cases("pii")
    suites: list[Callable[[], SuiteResult]] = [  # in the order the report shows them
        lambda: _retrieval_suite(retriever, cases("retrieval")),
        lambda: run_answers(pipeline, answer_cases),
        lambda: run_routing(pipeline, cases("routing")),
        lambda: run_pii(pipeline.c.redactor, pii_cases),
        lambda: run_compliance(pipeline, answer_cases),
        lambda: run_pii_leakage(pipeline, pii_cases[: 60 if fast else None], logs),
        lambda: run_multiturn(pipeline, cases("multiturn")),
    ]
    return [run() for run in tqdm(suites, desc="eval", unit="suite", disable=not progress)]


def _retrieval_suite(retriever: HybridRetriever, cases: list[dict[str, Any]]) -> SuiteResult:
    results = evaluate_retrieval(retriever, cases)
    metrics = {
        f"{mode}_{k}": v
        for mode in MODES
        for k, v in results[mode].items()
        if k in ("hit@1", "hit@5", "mrr")
    }
    metrics["latency_p50_ms"] = results["latency_ms"]["p50"]
    metrics["latency_p95_ms"] = results["latency_ms"]["p95"]
    misses = set(results["hybrid"]["misses"])
    case_results = [
        CaseResult(
            suite="retrieval",
            id=c["id"],
            input={"question": c["question"], "source": c["source"]},
            output={},
            checks={"hit@5": c["id"] not in misses},
            score=float(c["id"] not in misses),
            groups={"language": c["language"]},
        )
        for c in cases
    ]
    return SuiteResult("retrieval", metrics, case_results)


def _docs_for(docs: Path, tmp: Path, fast: bool) -> Path:
    if not fast:
        return docs
    target = tmp / "docs"
    for folder in FAST_FOLDERS:
        if (docs / folder).is_dir():
            shutil.copytree(docs / folder, target / folder)
    if (docs / PROFILE_NAME).is_file():  # the company's own contacts stay readable
        shutil.copy(docs / PROFILE_NAME, target / PROFILE_NAME)
    return target


def _answerable(case: dict[str, Any], docs: Path) -> bool:
    """Every labeled question of the case (each labeled turn of a conversation) has one of its
    answering files in `docs`."""
    labeled = [q for q in case.get("turns", [case]) if "source" in q]
    return all(any((docs / s).exists() for s in accepted_sources(q)) for q in labeled)


def _case_dict(case: CaseResult) -> dict[str, Any]:
    data = asdict(case)
    data["passed"] = case.passed
    return data


def _git_commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def load_thresholds(fast: bool) -> dict[str, dict[str, float]]:
    data = yaml.safe_load(THRESHOLDS.read_text(encoding="utf-8"))
    thresholds = dict(data["thresholds"])
    if fast:
        thresholds.update(data.get("fast", {}))
    return thresholds


def failed_thresholds(
    metrics: dict[str, dict[str, float]], thresholds: dict[str, dict[str, float]]
) -> list[str]:
    failures = []
    for key, bound in thresholds.items():
        suite, _, name = key.partition(".")
        value = metrics.get(suite, {}).get(name)
        if value is None:
            failures.append(f"{key}: not measured")
        elif "min" in bound and value < bound["min"]:
            failures.append(f"{key} = {value:.3f} < {bound['min']}")
        elif "max" in bound and value > bound["max"]:
            failures.append(f"{key} = {value:.3f} > {bound['max']}")
    return failures


def previous_run(out_dir: Path, current_id: str) -> dict[str, Any] | None:
    runs = sorted(p for p in out_dir.glob("*.json") if p.stem != current_id)
    if not runs:
        return None
    try:
        return json.loads(runs[-1].read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_run(run: dict[str, Any], out_dir: Path) -> tuple[Path, Path]:
    from evals.report import render_html

    out_dir.mkdir(parents=True, exist_ok=True)
    previous = previous_run(out_dir, run["id"])
    json_path = out_dir / f"{run['id']}.json"
    json_path.write_text(json.dumps(run, ensure_ascii=False, indent=1), encoding="utf-8")
    html_path = out_dir / f"{run['id']}.html"
    html_path.write_text(render_html(run, previous), encoding="utf-8")
    return json_path, html_path
