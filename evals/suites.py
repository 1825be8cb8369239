"""The evaluation suites. Each runs its dev set through the real parts and returns the metrics
and, for every case, the input, the output and a verdict per check — so a reviewer can see why.
Used by `python -m evals.answering` (the benchmark) and `fund-assistant eval` (the report)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from assistant.models import Reply, TurnRequest
from assistant.pipeline import AssistantPipeline
from assistant.redaction import Redactor
from assistant.vocabulary import ESCALATIONS, REASONS
from evals.common import accepted_sources, percentile, required_facts
from evals.metrics import (
    ANSWERED_RIGHT,
    ANSWERED_WRONG,
    citation_precision,
    counts_to_scores,
    fact_recall,
    groundedness,
    outcome_rates,
    precision_recall_f1,
    scored_outcome,
    span_matches,
)

PII_HEADLINE = ("CN_ID_CARD", "PHONE_NUMBER", "BANK_CARD", "EMAIL_ADDRESS")


@dataclass
class CaseResult:
    suite: str
    id: str
    input: dict[str, Any]
    output: dict[str, Any]
    checks: dict[str, bool]
    score: float = 1.0
    groups: dict[str, str] = field(default_factory=dict)  # intent, language, route...

    @property
    def passed(self) -> bool:
        return all(self.checks.values())


@dataclass
class SuiteResult:
    name: str
    metrics: dict[str, float]
    cases: list[CaseResult]
    extra: dict[str, Any] = field(default_factory=dict)


def _reply_output(reply: Reply) -> dict[str, Any]:
    return reply.model_dump(mode="json")


def _passage_texts(pipeline: AssistantPipeline) -> dict[tuple[str, str | None], str]:
    """Full passage text by (source, section), to check a reply's citations against. A long
    section is several chunks (a table and its text): a citation names the section, so all."""
    texts: dict[tuple[str, str | None], list[str]] = {}
    for c in pipeline.c.retriever.chunks:
        key = (str(c.metadata.get("source")), c.metadata.get("section") or None)
        texts.setdefault(key, []).append(c.text)
    return {key: "\n".join(parts) for key, parts in texts.items()}


def _cited_passages(passages: dict[tuple[str, str | None], str], reply: Reply) -> list[str]:
    return [passages.get((c.source, c.section), c.snippet) for c in reply.citations]


def _our_wording_removed(pipeline: AssistantPipeline, text: str, reply: Reply) -> str:
    """The quoted answer alone: the disclaimer and the cross-language note are our own fixed
    wording, not claims a passage must support."""
    note = pipeline.messages["cross_language_note"][reply.language]
    return text.replace(reply.disclaimer or "", "").replace(note, "")


def outcome_of(reply: Reply, recall: float | None, accepted: set[str]) -> str:
    """What the client got: a right or wrong answer (every fact and an accepted source cited),
    a question back, a hand-off. `recall` None: no document answers the question."""
    cited = [c.source for c in reply.citations]
    return scored_outcome(reply.route, cited, reply.suggestions, recall, accepted)


def run_answers(
    pipeline: AssistantPipeline, cases: list[dict[str, Any]], suite: str = "answers"
) -> SuiteResult:
    results, latencies = [], []
    banned = advice = 0
    texts = _passage_texts(pipeline)
    for case in cases:
        started = time.perf_counter()
        reply = pipeline.handle(TurnRequest(message=case["question"]))
        latencies.append((time.perf_counter() - started) * 1000)
        passages = _cited_passages(texts, reply)
        text = reply.answer
        body = _our_wording_removed(pipeline, text, reply)
        recall = fact_recall(text, required_facts(case))
        needs_disclaimer = case.get("topic") in ("product", "transaction")
        said = text + (reply.draft or "")  # the answer and, on a handoff, the agent's draft
        banned_found = pipeline.c.compliance.banned_claims(said)
        advice_found = pipeline.c.compliance.advice_claims(said)
        banned += len(banned_found)
        advice += len(advice_found)
        accepted = accepted_sources(case)
        checks = {
            "answered": reply.route == "answered" and bool(reply.citations),
            "facts": recall == 1.0,
            "source_cited": any(c.source in accepted for c in reply.citations),
            "disclosed": reply.disclaimer is not None or not needs_disclaimer,
            "no_banned_claim": not banned_found,
            "no_advice": not advice_found,
        }
        results.append(
            CaseResult(
                suite=suite,
                id=case["id"],
                input={
                    "question": case["question"],
                    "facts": case["facts"],
                    "source": case["source"],
                },
                output={
                    **_reply_output(reply),
                    "outcome": outcome_of(reply, recall, accepted),
                    "fact_recall": recall,
                    "groundedness": groundedness(body, passages)
                    if reply.route == "answered"
                    else None,
                    "citation_precision": citation_precision(body, passages) if passages else None,
                },
                checks=checks,
                score=recall,
                groups={
                    "intent": reply.intent,
                    "language": case["language"],
                    "topic": case.get("topic", ""),
                    "route": reply.route,
                },
            )
        )
    answered = [r for r in results if r.output["outcome"] in (ANSWERED_RIGHT, ANSWERED_WRONG)]
    product_trading = [r for r in answered if r.groups["topic"] in ("product", "transaction")]
    return SuiteResult(
        suite,
        {
            "fact_recall": _mean(r.score for r in results),
            **outcome_rates([r.output["outcome"] for r in results]),
            "source_cited": _mean(float(r.checks["source_cited"]) for r in results),
            "groundedness": _mean(r.output["groundedness"] for r in answered),
            "citation_precision": _mean(
                r.output["citation_precision"]
                for r in answered
                if r.output["citation_precision"] is not None
            ),
            "disclaimer_product_trading": _mean(
                float(r.output["disclaimer"] is not None) for r in product_trading
            ),
            "banned_claims": float(banned),
            "advice_violations": float(advice),
            "latency_p50_ms": percentile(latencies, 50),
            "latency_p95_ms": percentile(latencies, 95),
        },
        results,
    )


def run_routing(pipeline: AssistantPipeline, cases: list[dict[str, Any]]) -> SuiteResult:
    results = []
    for case in cases:
        reply = pipeline.handle(TurnRequest(message=case["text"]))
        expected, got = set(case["reasons"]), set(reply.reasons)
        checks = {
            "route": reply.route == case["route"],
            "escalations": expected & set(ESCALATIONS) <= got,
        }
        if "calm_alarming" in case.get("tags", []):
            checks["calm_answered"] = reply.route == "answered"
        results.append(
            CaseResult(
                suite="routing",
                id=case["id"],
                input={
                    "text": case["text"],
                    "route": case["route"],
                    "reasons": case["reasons"],
                    "intent": case["intent"],
                    "emotion": case["emotion"],
                },
                output=_reply_output(reply),
                checks=checks,
                score=float(checks["route"]),
                groups={
                    "intent": case["intent"],
                    "language": case["language"],
                    "route": reply.route,
                    "expected_route": case["route"],
                },
            )
        )
    expected_sets = [set(r.input["reasons"]) for r in results]
    got_sets = [set(r.output["reasons"]) for r in results]
    metrics: dict[str, float] = {}
    per_reason = {
        reason: precision_recall_f1(expected_sets, got_sets, reason) for reason in REASONS
    }
    for reason, values in per_reason.items():
        for key in ("precision", "recall", "f1"):
            metrics[f"{reason}_{key}"] = values[key]
    escalated = [r for r in results if set(r.input["reasons"]) & set(ESCALATIONS)]
    metrics["escalation_recall"] = _mean(float(r.output["route"] == "handoff") for r in escalated)
    handoffs = [r for r in results if r.output["route"] == "handoff"]
    metrics["handoff_precision"] = _mean(float(r.input["route"] == "handoff") for r in handoffs)
    expected_handoffs = [r for r in results if r.input["route"] == "handoff"]
    metrics["handoff_recall"] = _mean(
        float(r.output["route"] == "handoff") for r in expected_handoffs
    )
    calm = [r for r in results if "calm_answered" in r.checks]
    metrics["calm_alarming_answered"] = _mean(float(r.checks["calm_answered"]) for r in calm)
    metrics.update(_answered_from_documents(results))
    metrics["route_accuracy"] = _mean(r.score for r in results)
    metrics["intent_accuracy"] = _mean(
        float(r.output["intent"] == r.input["intent"]) for r in results
    )
    confusion: dict[str, dict[str, int]] = {}
    for r in results:
        row = confusion.setdefault(r.input["route"], {"answered": 0, "handoff": 0})
        row[r.output["route"]] += 1
    return SuiteResult(
        "routing", metrics, results, extra={"confusion": confusion, "per_reason": per_reason}
    )


def _answered_from_documents(results: list[CaseResult]) -> dict[str, float]:
    """How much text no document should answer got a quote anyway: off-topic and out-of-scope
    messages, and questions beyond the documents (the client's own records, live data)."""

    def share(reason: str) -> float:
        cases = [r for r in results if reason in r.input["reasons"]]
        return _mean(
            float(r.output["route"] == "answered" and bool(r.output["citations"])) for r in cases
        )

    return {
        "out_of_scope_answered": share("out_of_scope"),
        "beyond_documents_answered": share("low_confidence"),
    }


def run_pii(redactor: Redactor, cases: list[dict[str, Any]]) -> SuiteResult:
    results = []
    totals: dict[str, list[int]] = {}
    for case in cases:
        found = [(r.entity_type, r.start, r.end) for r in redactor.find(case["text"])]
        expected = [(e["type"], e["start"], e["end"]) for e in case["entities"]]
        for kind in {k for k, _, _ in expected} | {k for k, _, _ in found}:
            tp, fp, fn = span_matches(
                [x for x in expected if x[0] == kind], [x for x in found if x[0] == kind]
            )
            bucket = totals.setdefault(kind, [0, 0, 0])
            bucket[0] += tp
            bucket[1] += fp
            bucket[2] += fn
        tp, fp, fn = span_matches(expected, found)
        results.append(
            CaseResult(
                suite="pii",
                id=case["id"],
                input={"text": case["text"], "entities": case["entities"]},
                output={"found": [{"type": k, "start": s, "end": e} for k, s, e in found]},
                checks={"all_found": fn == 0, "no_false_positive": fp == 0},
                groups={
                    "language": case["language"],
                    "kind": "hard_negative"
                    if "hard_negative" in case.get("tags", [])
                    else "positive",
                },
            )
        )
    metrics: dict[str, float] = {}
    head = [totals.get(k, [0, 0, 0]) for k in PII_HEADLINE]
    headline = [sum(column) for column in zip(*head, strict=True)]
    for name, (tp, fp, fn) in [*sorted(totals.items()), ("headline", headline)]:
        scores = counts_to_scores(tp, fp, fn)
        metrics[f"{name}_recall"] = scores["recall"]
        metrics[f"{name}_precision"] = scores["precision"]
    return SuiteResult("pii", metrics, results)


def run_multiturn(pipeline: AssistantPipeline, conversations: list[dict[str, Any]]) -> SuiteResult:
    results = []
    for conversation in conversations:
        session_id = None
        for turn_index, turn in enumerate(conversation["turns"]):
            reply = pipeline.handle(TurnRequest(message=turn["user"], session_id=session_id))
            session_id = reply.session_id
            if "facts" not in turn:
                continue
            accepted = accepted_sources(turn)
            recall = fact_recall(reply.answer, required_facts(turn))
            results.append(
                CaseResult(
                    suite="multiturn",
                    id=f"{conversation['id']}#{turn_index}",
                    input={
                        "turns": [t["user"] for t in conversation["turns"][: turn_index + 1]],
                        "facts": turn["facts"],
                    },
                    output={
                        **_reply_output(reply),
                        "outcome": outcome_of(reply, recall, accepted),
                    },
                    checks={
                        "facts": recall == 1.0,
                        "source_cited": any(c.source in accepted for c in reply.citations),
                    },
                    score=recall,
                    groups={
                        "language": conversation["language"],
                        "intent": reply.intent,
                        "route": reply.route,
                    },
                )
            )
    return SuiteResult(
        "multiturn",
        {
            "fact_recall": _mean(r.score for r in results),
            "source_cited": _mean(float(r.checks["source_cited"]) for r in results),
            **outcome_rates([r.output["outcome"] for r in results]),
        },
        results,
    )


def _mean(values: Any) -> float:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else 0.0


def run_compliance(pipeline: AssistantPipeline, cases: list[dict[str, Any]]) -> SuiteResult:
    """Suitability both ways for every single-fund question: a client one category below the
    product's level gets the warning, a client at its level does not; plus disclaimers."""
    results = []
    for case in cases:
        level = case.get("product_risk_level")
        if not level:
            continue
        n = int(level[1])
        for client_level, expect_warning in ((f"C{n - 1}", True), (f"C{n}", False)):
            if client_level == "C0":
                continue
            reply = pipeline.handle(TurnRequest(message=case["question"], risk_level=client_level))
            warned = "适当性提示" in reply.answer or "Suitability notice" in reply.answer
            checks = {
                "suitability": warned == expect_warning or reply.route == "handoff",
                "disclosed": reply.disclaimer is not None or reply.route == "handoff",
                "no_banned_claim": not pipeline.c.compliance.banned_claims(
                    reply.answer + (reply.draft or "")
                ),
            }
            results.append(
                CaseResult(
                    suite="compliance",
                    id=f"{case['id']}@{client_level}",
                    input={
                        "question": case["question"],
                        "risk_level": client_level,
                        "product_risk_level": level,
                        "expect_warning": expect_warning,
                    },
                    output=_reply_output(reply),
                    checks=checks,
                    score=float(all(checks.values())),
                    groups={
                        "language": case["language"],
                        "intent": reply.intent,
                        "route": reply.route,
                    },
                )
            )
    return SuiteResult(
        "compliance",
        {
            "suitability_correct": _mean(float(r.checks["suitability"]) for r in results),
            "disclaimer_compliance": _mean(float(r.checks["disclosed"]) for r in results),
            "banned_claims": float(sum(not r.checks["no_banned_claim"] for r in results)),
        },
        results,
    )


def run_pii_leakage(
    pipeline: AssistantPipeline, cases: list[dict[str, Any]], captured_logs: list[str]
) -> SuiteResult:
    """Send texts with personal data through the whole service; no value may appear in the reply,
    the draft, the stored messages, the audit records or the logs."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from assistant.state.models import AuditRecord, ChatMessage
    from evals.pii_bench import leaks, obfuscated_cases

    results = []
    for case in [*cases, *obfuscated_cases(cases)]:  # also invisible/full-width spellings
        values = [e["value"] for e in case["entities"]]
        if not values:
            continue
        reply = pipeline.handle(TurnRequest(message=case["text"]))
        with Session(pipeline.c.engine) as db:
            stored = " ".join(
                db.scalars(
                    select(ChatMessage.text).where(ChatMessage.session_id == reply.session_id)
                )
            )
            audit = " ".join(
                str(r.data)
                for r in db.scalars(
                    select(AuditRecord).where(AuditRecord.session_id == reply.session_id)
                )
            )
        places = {
            "reply": reply.answer,
            "draft": reply.draft or "",
            "stored": stored,
            "audit": audit,
            "logs": "\n".join(captured_logs),
        }
        checks = {
            f"no_leak_{name}": not any(leaks(v, text) for v in values)
            for name, text in places.items()
        }
        results.append(
            CaseResult(
                suite="pii_leakage",
                id=case["id"],
                input={"entity_types": [e["type"] for e in case["entities"]]},  # never the values
                output={
                    "route": reply.route,
                    "redactions": [r.entity_type for r in reply.redactions],
                },
                checks=checks,
                score=float(all(checks.values())),
                groups={"language": case["language"]},
            )
        )
    return SuiteResult(
        "pii_leakage",
        {"leaks": float(sum(not r.passed for r in results)), "cases": float(len(results))},
        results,
    )
