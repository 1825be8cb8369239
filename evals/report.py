"""The HTML report of an eval run: one self-contained file (inline CSS, charts as inline SVG, no
script, no CDN) that opens offline in any browser."""

from __future__ import annotations

from collections import defaultdict
from html import escape
from typing import Any

from evals.metrics import (
    ANSWERED_RIGHT,
    ANSWERED_WRONG,
    expected_calibration_error,
    reliability_bins,
)

CSS = """
body{font-family:-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:24px;color:#1d2733;max-width:1200px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #d7dde4;padding-bottom:4px}
table{border-collapse:collapse;margin:8px 0;font-size:13px}td,th{border:1px solid #d7dde4;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f2f5f8}.num{text-align:right;font-variant-numeric:tabular-nums}
.fail{background:#fde8e8;color:#9b1c1c}.ok{color:#1e6b3a}.box{padding:8px 12px;border-radius:6px;margin:8px 0}
.up{color:#1e6b3a}.down{color:#9b1c1c}.muted{color:#6b7785}small{color:#6b7785}
"""
GROUPED_SUITES = ("answers", "routing", "multiturn", "compliance", "kb2", "kb3")
# What matters first: a confident wrong answer is the costly failure, a hand-off costs a minute.
HEADLINE = {
    "answered_share": "answered (cited)",
    "wrong_answer_rate": "wrong, of answered",
    "asked_back_rate": "asked back",
    "handoff_rate": "handed off",
    "unanswerable_answered": "unanswerable answered",
    "out_of_scope_answered": "off-topic / out of scope answered from the documents",
    "beyond_documents_answered": "beyond the documents answered",
}
LOWER_IS_BETTER = (
    "latency",
    "banned",
    "violations",
    "leaks",
    "wrong",
    "unanswerable_answered",
    "out_of_scope_answered",
    "beyond_documents_answered",
    "lookalikes_flagged",
)
NEITHER_BETTER = ("asked_back", "handoff_rate", "unanswerable_handoff", "not_quoted")


def render_html(run: dict[str, Any], previous: dict[str, Any] | None) -> str:
    parts = [
        "<!doctype html><html lang='zh'><head><meta charset='utf-8'>",
        f"<title>fund-assistant eval {escape(run['id'])}</title><style>{CSS}</style></head><body>",
        _header(run, previous),
        _headline(run, previous),
        _reliability(run),
        _metrics(run, previous),
        _breakdowns(run),
        _routing(run),
        _worst(run),
        "</body></html>",
    ]
    return "\n".join(parts)


def _header(run: dict[str, Any], previous: dict[str, Any] | None) -> str:
    failed = run.get("failed_thresholds", [])
    status = (
        f"<div class='box fail'><b>{len(failed)} threshold(s) failed</b><ul>"
        + "".join(f"<li>{escape(f)}</li>" for f in failed)
        + "</ul></div>"
        if failed
        else "<div class='box ok'><b>All thresholds met.</b></div>"
    )
    ingest = run.get("ingest", {})
    against = (
        f"compared with run {escape(previous['id'])}"
        if previous
        else "no previous run in this folder"
    )
    return (
        f"<h1>fund-assistant evaluation {escape(run['id'])}</h1>"
        f"<p>{escape(run['started_at'])} · commit {escape(str(run.get('git_commit') or '-'))[:12]} · "
        f"{'CI subset' if run.get('fast') else 'full dev sets'} · {run.get('seconds', 0)} s · "
        f"{ingest.get('documents', 0)} documents, {ingest.get('chunks', 0)} chunks · {against}</p>{status}"
    )


def _metrics(run: dict[str, Any], previous: dict[str, Any] | None) -> str:
    before = (previous or {}).get("metrics", {})
    out = ["<h2>Metrics per suite</h2>"]
    for suite, metrics in run["metrics"].items():
        rows = []
        for name, value in metrics.items():
            old = before.get(suite, {}).get(name)
            delta = "" if old is None else _delta(value - old, name)
            rows.append(
                f"<tr><td>{escape(name)}</td><td class='num'>{_fmt(value)}</td>"
                f"<td class='num muted'>{'' if old is None else _fmt(old)}</td><td class='num'>{delta}</td>"
                f"<td>{_bar(value) if 0 <= value <= 1 else ''}</td></tr>"
            )
        out.append(
            f"<h3>{escape(suite)}</h3><table><tr><th>metric</th><th>value</th><th>previous</th>"
            f"<th>change</th><th></th></tr>{''.join(rows)}</table>"
        )
    return "".join(out)


def _headline(run: dict[str, Any], previous: dict[str, Any] | None) -> str:
    before = (previous or {}).get("metrics", {})
    rows = []
    for suite, metrics in run["metrics"].items():
        for name, label in HEADLINE.items():
            if name not in metrics:
                continue
            value, old = metrics[name], before.get(suite, {}).get(name)
            rows.append(
                f"<tr><td>{escape(suite)}</td><td>{escape(label)}</td>"
                f"<td class='num'>{_fmt(value)}</td><td class='num'>"
                f"{'' if old is None else _delta(value - old, name)}</td></tr>"
            )
    if not rows:
        return ""
    return (
        "<h2>What matters first</h2><p><small>Wrong = answered with a citation but missing a "
        "required fact or citing a document that does not answer it, as a share of the answered; "
        "a reply that asks back (suggestions, no citation) is neither answered nor handed off."
        "</small></p><table><tr><th>suite</th><th>figure</th><th>value</th><th>change</th></tr>"
        f"{''.join(rows)}</table>"
    )


def _reliability(run: dict[str, Any]) -> str:
    """Confidence against correctness of every quoted answer, per answer suite."""
    pictures = []
    for suite in dict.fromkeys(c["suite"] for c in run["cases"]):
        pairs = [
            (float(c["output"]["confidence"]), c["output"]["outcome"] == ANSWERED_RIGHT)
            for c in run["cases"]
            if c["suite"] == suite
            and c["output"].get("outcome") in (ANSWERED_RIGHT, ANSWERED_WRONG)
        ]
        if pairs:
            bins = reliability_bins(pairs)
            pictures.append(
                f"<figure style='display:inline-block;margin:0 24px 0 0'>{_reliability_svg(bins)}"
                f"<figcaption>{escape(suite)}: {len(pairs)} answers, expected calibration "
                f"error {expected_calibration_error(bins):.3f}</figcaption></figure>"
            )
    if not pictures:
        return ""
    return (
        "<h2>Reliability: confidence against correctness</h2><p><small>Each bar is the share "
        "right among the answers whose confidence fell in that tenth; the dot sits at their mean "
        "confidence, its size by count. A calibrated gate keeps the dots on the diagonal."
        f"</small></p>{''.join(pictures)}"
    )


def _reliability_svg(bins: list[dict[str, float]], size: int = 240, pad: int = 30) -> str:
    scale = size - 2 * pad
    most = max(b["count"] for b in bins)

    def x(v: float) -> float:
        return pad + v * scale

    def y(v: float) -> float:
        return size - pad - v * scale

    parts = [
        f"<svg width='{size}' height='{size}' role='img' aria-label='reliability diagram' "
        "font-size='10'>",
        f"<rect x='{pad}' y='{pad}' width='{scale}' height='{scale}' fill='#f7fafc' stroke='#a0aec0'/>",
        f"<line x1='{x(0)}' y1='{y(0)}' x2='{x(1)}' y2='{y(1)}' stroke='#a0aec0' stroke-dasharray='4 3'/>",
    ]
    for b in bins:
        colour = "#2f855a" if abs(b["accuracy"] - b["confidence"]) <= 0.1 else "#c53030"
        parts.append(
            f"<rect x='{x(b['low']) + 1:.1f}' y='{y(b['accuracy']):.1f}' "
            f"width='{scale * (b['high'] - b['low']) - 2:.1f}' height='{b['accuracy'] * scale:.1f}' "
            f"fill='{colour}' fill-opacity='0.35'><title>{b['low']:.1f}–{b['high']:.1f}: "
            f"{int(b['count'])} answers, {b['accuracy']:.2f} right</title></rect>"
            f"<circle cx='{x(b['confidence']):.1f}' cy='{y(b['accuracy']):.1f}' "
            f"r='{2 + 4 * (b['count'] / most) ** 0.5:.1f}' fill='{colour}'/>"
        )
    for tick in (0.0, 0.5, 1.0):
        parts.append(
            f"<text x='{x(tick):.0f}' y='{size - pad + 14}' text-anchor='middle'>{tick:g}</text>"
            f"<text x='{pad - 6}' y='{y(tick) + 3:.0f}' text-anchor='end'>{tick:g}</text>"
        )
    parts.append(
        f"<text x='{size / 2}' y='{size - 4}' text-anchor='middle'>confidence</text>"
        f"<text x='10' y='{size / 2}' transform='rotate(-90 10 {size / 2})' "
        "text-anchor='middle'>share right</text></svg>"
    )
    return "".join(parts)


def _breakdowns(run: dict[str, Any]) -> str:
    out = ["<h2>Breakdown by intent and language</h2>"]
    for key in ("intent", "language"):
        table: dict[tuple[str, str], list[bool]] = defaultdict(list)
        for case in run["cases"]:
            if case["suite"] in GROUPED_SUITES and key in case.get("groups", {}):
                table[(case["suite"], case["groups"][key])].append(case["passed"])
        rows = "".join(
            f"<tr><td>{escape(suite)}</td><td>{escape(group)}</td><td class='num'>{len(passes)}</td>"
            f"<td class='num'>{_fmt(sum(passes) / len(passes))}</td><td>{_bar(sum(passes) / len(passes))}</td></tr>"
            for (suite, group), passes in sorted(table.items())
        )
        out.append(
            f"<h3>by {key}</h3><table><tr><th>suite</th><th>{key}</th><th>cases</th><th>pass rate</th>"
            f"<th></th></tr>{rows}</table>"
        )
    return "".join(out)


def _routing(run: dict[str, Any]) -> str:
    extra = run.get("extra", {}).get("routing")
    if not extra:
        return ""
    confusion = extra["confusion"]
    labels = ["answered", "handoff"]
    head = "".join(f"<th>predicted {label}</th>" for label in labels)
    rows = "".join(
        f"<tr><th>expected {label}</th>"
        + "".join(f"<td class='num'>{confusion.get(label, {}).get(p, 0)}</td>" for p in labels)
        + "</tr>"
        for label in labels
    )
    reasons = "".join(
        f"<tr><td>{escape(reason)}</td><td class='num'>{int(v['support'])}</td><td class='num'>{_fmt(v['precision'])}</td>"
        f"<td class='num'>{_fmt(v['recall'])}</td><td class='num'>{_fmt(v['f1'])}</td><td>{_bar(v['f1'])}</td></tr>"
        for reason, v in extra["per_reason"].items()
    )
    return (
        f"<h2>Routing</h2><h3>confusion matrix</h3><table><tr><th></th>{head}</tr>{rows}</table>"
        "<h3>per reason</h3><table><tr><th>reason</th><th>support</th><th>precision</th><th>recall</th>"
        f"<th>F1</th><th></th></tr>{reasons}</table>"
    )


def _worst(run: dict[str, Any], limit: int = 150) -> str:
    failed = sorted(
        (c for c in run["cases"] if not c["passed"]), key=lambda c: (c["score"], c["suite"])
    )
    rows = []
    for case in failed[:limit]:
        question = (
            case["input"].get("question")
            or case["input"].get("text")
            or " / ".join(case["input"].get("turns", []))
        )
        answer = case["output"].get("answer", "")
        checks = ", ".join(k for k, ok in case["checks"].items() if not ok)
        reasons = ", ".join(case["output"].get("reasons", []) or [])
        rows.append(
            f"<tr><td>{escape(case['suite'])}</td><td>{escape(case['id'])}</td><td>{escape(str(question))}</td>"
            f"<td class='fail'>{escape(checks)}</td><td>{escape(str(case['output'].get('route', '')))} "
            f"<small>{escape(reasons)}</small></td><td>{escape(str(answer)[:240])}</td></tr>"
        )
    return (
        f"<h2>Worst cases first ({len(failed)} failing)</h2><table><tr><th>suite</th><th>case</th>"
        f"<th>input</th><th>failed checks</th><th>route</th><th>answer</th></tr>{''.join(rows)}</table>"
    )


def _bar(value: float, width: int = 160) -> str:
    filled = max(0.0, min(1.0, value)) * width
    colour = "#2f855a" if value >= 0.9 else "#d69e2e" if value >= 0.7 else "#c53030"
    return (
        f"<svg width='{width}' height='10' role='img' aria-label='{value:.2f}'>"
        f"<rect width='{width}' height='10' fill='#edf2f7'/><rect width='{filled:.1f}' height='10' fill='{colour}'/></svg>"
    )


def _delta(change: float, name: str) -> str:
    if abs(change) < 1e-9:
        return "<span class='muted'>=</span>"
    if any(word in name for word in NEITHER_BETTER):
        return f"<span class='muted'>{change:+.3f}</span>"
    lower_is_better = any(word in name for word in LOWER_IS_BETTER)
    good = (change < 0) if lower_is_better else (change > 0)
    return f"<span class='{'up' if good else 'down'}'>{change:+.3f}</span>"


def _fmt(value: float) -> str:
    return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
