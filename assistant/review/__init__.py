"""Compliance review: eval runs and their cases, the day's sample of live replies, reviewers'
verdicts (each also an audit record), agents' edits as labeled pairs, and CSV exports.

Eval runs are the JSON files `fund-assistant eval` writes; they are read, never written, here.
`runs` reads them, `verdicts` records and lists reviews, `live` gathers live replies and agents'
edits, `exports` streams CSV and JSONL; every public name is importable from here.
"""

from assistant.analytics import UtcDatetime
from assistant.review.exports import (
    AUDIT_COLUMNS,
    BOM,
    FORMULA_START,
    REVIEW_COLUMNS,
    audit_rows,
    csv_lines,
    jsonl,
    review_rows,
)
from assistant.review.live import EditPair, LiveReply, daily_sample, edit_pairs
from assistant.review.runs import (
    RUN_ID,
    CaseCounts,
    CaseFilter,
    EvalCase,
    EvalRun,
    EvalRuns,
    RunSummary,
)
from assistant.review.verdicts import (
    ReviewedCase,
    ReviewOut,
    ReviewStore,
    TargetType,
    Verdict,
    latest_verdicts,
    list_reviews,
    review_cases,
)

__all__ = [
    "AUDIT_COLUMNS",
    "BOM",
    "FORMULA_START",
    "REVIEW_COLUMNS",
    "RUN_ID",
    "CaseCounts",
    "CaseFilter",
    "EditPair",
    "EvalCase",
    "EvalRun",
    "EvalRuns",
    "LiveReply",
    "ReviewOut",
    "ReviewStore",
    "ReviewedCase",
    "RunSummary",
    "TargetType",
    "UtcDatetime",
    "Verdict",
    "audit_rows",
    "csv_lines",
    "daily_sample",
    "edit_pairs",
    "jsonl",
    "latest_verdicts",
    "list_reviews",
    "review_cases",
    "review_rows",
]
