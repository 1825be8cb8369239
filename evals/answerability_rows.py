"""Labelled (question, quote) rows for the answerability model, one company at a time.

`python -m evals.answerability_rows --company kb1|kb2|kb4|kb6|kb7 [--cache DIR]`

Each question goes through the whole pipeline (`handle`) on its own company's index, with the
gate told to answer whatever it may (threshold 0), so the reply is exactly what a client would
get were the model to accept it: the row is labelled right or wrong as the company suites score
replies (`evals.suites.outcome_of`: every fact held and an accepted source cited; for a question
no document answers, any quote is wrong). A row also keeps what the gate decides on besides the
model (the writer's support, the reasons that hand off whatever the model says) and the
in-force model's score, so a new model is judged against the old one on the same rows.

`kb1` is the first company: its labelled sets and real text no fund document answers (the
trainer's `cases`). `kb2`, `kb4`, `kb6` and `kb7` are the other companies' two question files
(kb6 and kb7 written blind as training data). The held-out companies (`HELD_OUT`) are never run
here. Rows are appended as they are made, so a run resumes; the index of each company is built once
under the cache folder. The shipped pair reader has read the other
companies' questions, so each company's rows are made with one trained without it
(`--pair-reader`, from `python -m evals.train_pair_reader --folds DIR`): its quotes are then
chosen as an unseen company's would be.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from assistant.answerability import Answerability, AnswerabilityModel
from assistant.components import build_components
from assistant.models import TurnRequest
from assistant.pipeline import AssistantPipeline
from assistant.settings import Settings
from assistant.writers.pair_reader import PairReader
from evals.common import accepted_sources, ingest_fresh, required_facts
from evals.kb2.suite import HELD_OUT, TRAINABLE, company, company_docs
from evals.kb2.validate import load_rows
from evals.metrics import ANSWERED_RIGHT, ANSWERED_WRONG, fact_recall
from evals.suites import outcome_of


def company_cases(name: str, shared: Path, n_lcqmc: int, n_weibo: int) -> list[dict[str, Any]]:
    """Every question of one company with its kind (answerable, no_answer, off_topic)."""
    if name in HELD_OUT:
        raise ValueError(f"{name} is held out")
    if name == "kb1":
        from evals.train_answerability import cases

        return cases(shared, n_lcqmc, n_weibo)
    kb = company(name)
    rows = [{**r, "kind": "answerable"} for r in load_rows(kb.questions)]
    return rows + [{**r, "kind": "no_answer"} for r in load_rows(kb.unanswerable)]


def row_of(
    pipeline: AssistantPipeline, case: dict[str, Any], seen: list[dict[str, Any]]
) -> dict[str, Any]:
    """One question through the pipeline; `seen` receives the features the gate computed."""
    seen.clear()
    reply = pipeline.handle(TurnRequest(message=case["question"]))
    parts = reply.explanation.confidence_parts if reply.explanation else {}
    if case["kind"] == "answerable":
        outcome = outcome_of(
            reply, fact_recall(reply.answer, required_facts(case)), accepted_sources(case)
        )
    else:
        outcome = outcome_of(reply, None, set())
    return {
        "id": case["id"],
        "kind": case["kind"],
        "question": case["question"],
        "features": seen[0] if seen else {},
        "judged": seen[1] if seen else {},
        "old_probability": parts.get("answerability"),
        "support": parts.get("support", 0.0),
        "outcome": outcome,
        # answered at threshold 0: the model alone decides; otherwise handed off whatever it says
        "open": outcome in (ANSWERED_RIGHT, ANSWERED_WRONG),
        "reasons": list(reply.reasons),
        "label": int(outcome == ANSWERED_RIGHT),
    }


def permissive(pipeline: AssistantPipeline, model: AnswerabilityModel) -> list[dict[str, Any]]:
    """Put `model` in the gate at threshold 0 and record every feature dict it is shown."""
    seen: list[dict[str, Any]] = []
    gate = pipeline.c.gate
    features = gate.features
    assert features is not None
    model.threshold = 0.0
    gate.model = model

    def judge(context: Any, chunks: Any, written: Any, live_terms: Any) -> Answerability:
        computed = features.compute(context, chunks, written, live_terms)
        seen.append(computed)
        seen.append(_what_was_judged(chunks, written))
        return model.judge(computed)

    gate.judge = judge  # type: ignore[method-assign]
    return seen


def _what_was_judged(chunks: Any, written: Any) -> dict[str, Any]:
    """The quote and the top five passages, for trying features without re-running."""
    return {
        "quote": written.text,
        "quoted": [c.id for c in written.used_chunks],
        "top": [
            {
                "id": c.id,
                "source": c.source,
                "section": c.section,
                "text": c.text[:600],
                "dense": c.dense_similarity,
                "bm25": c.bm25_score,
                "score": c.score,
            }
            for c in chunks[:5]
        ],
    }


def read_pairs_with(pipeline: AssistantPipeline, reader: PairReader) -> None:
    """The writer's passage ranker reads pairs with `reader`: one trained without this
    company's questions, so that the quotes in the rows are chosen as an unseen company's would
    be (the shipped reader has read the other companies' questions)."""
    ranker = getattr(pipeline.c.writer, "ranker", None)
    if ranker is not None:
        ranker.reader = reader


def collect(
    name: str,
    cases: list[dict[str, Any]],
    cache: Path,
    old_model: Path,
    reader: PairReader | None = None,
) -> Path:
    out = cache / f"rows.{name}.jsonl"
    done = set()
    if out.exists():
        done = {json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()}
    todo = [c for c in cases if c["id"] not in done]
    if not todo:
        return out
    data = cache.parent / f"index-{cache.name}-{name}"
    base = Settings()
    settings = base.model_copy(
        update={
            "docs_dir": company_docs(name),
            "data_dir": data,
            "database_url": None,
            "chroma_url": None,
        }
    )
    embedder = None
    if not data.exists():
        report, embedder = ingest_fresh(settings)
        if report.failed:
            raise RuntimeError(f"{name} documents failed to ingest: {report.failed}")
    pipeline = AssistantPipeline(build_components(settings, embedder=embedder))
    if reader is not None:
        read_pairs_with(pipeline, reader)
    seen = permissive(pipeline, AnswerabilityModel(json.loads(old_model.read_text())))
    with out.open("a", encoding="utf-8") as sink:
        for i, case in enumerate(todo):
            sink.write(json.dumps(row_of(pipeline, case, seen), ensure_ascii=False) + "\n")
            sink.flush()
            if i % 100 == 0:
                print(f"  {name}: {i}/{len(todo)}", flush=True)
    return out


def main() -> None:
    from evals.train_answerability import SHARED

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--company", choices=TRAINABLE, required=True)
    parser.add_argument("--cache", type=Path, required=True, help="rows folder (per commit)")
    parser.add_argument("--old-model", type=Path, required=True, help="the in-force model file")
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument(
        "--pair-reader",
        type=Path,
        help="a pair reader trained without this company (`evals.train_pair_reader --folds`)",
    )
    parser.add_argument("--lcqmc", type=int, default=700)
    parser.add_argument("--weibo", type=int, default=500)
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    cases = company_cases(args.company, args.shared, args.lcqmc, args.weibo)
    reader = PairReader(args.pair_reader) if args.pair_reader else None
    print(collect(args.company, cases, args.cache, args.old_model, reader))


if __name__ == "__main__":
    main()
