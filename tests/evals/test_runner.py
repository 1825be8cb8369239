"""Thresholds, the previous-run comparison and the offline HTML report, on a hand-made run."""

from __future__ import annotations

import json
from pathlib import Path

from evals.runner import _answerable, failed_thresholds, load_thresholds, write_run


def make_run(run_id: str, hit5: float, leaks: float) -> dict:  # type: ignore[type-arg]
    return {
        "id": run_id,
        "started_at": "2026-11-24T10:00:00+00:00",
        "finished_at": "2026-11-24T10:02:00+00:00",
        "seconds": 120.0,
        "fast": False,
        "git_commit": "abc123",
        "ingest": {"documents": 3, "chunks": 40, "seconds": 5.0},
        "metrics": {"retrieval": {"hybrid_hit@5": hit5}, "pii_leakage": {"leaks": leaks}},
        "extra": {
            "routing": {
                "confusion": {
                    "answered": {"answered": 5, "handoff": 1},
                    "handoff": {"answered": 0, "handoff": 4},
                },
                "per_reason": {
                    "complaint": {"precision": 1.0, "recall": 0.5, "f1": 0.667, "support": 2.0}
                },
            }
        },
        "cases": [
            {
                "suite": "answers",
                "id": "ans-1",
                "input": {"question": "纯债<b>赎回</b>几天到"},
                "output": {"answer": "T+3", "route": "answered", "reasons": []},
                "checks": {"facts": False},
                "passed": False,
                "score": 0.0,
                "groups": {"intent": "transaction", "language": "zh"},
            },
            {
                "suite": "answers",
                "id": "ans-2",
                "input": {"question": "cut-off?"},
                "output": {"answer": "15:00", "route": "answered", "reasons": []},
                "checks": {"facts": True},
                "passed": True,
                "score": 1.0,
                "groups": {"intent": "transaction", "language": "en"},
            },
        ],
    }


def test_thresholds_fail_below_min_above_max_and_when_missing() -> None:
    thresholds = {
        "retrieval.hybrid_hit@5": {"min": 0.95},
        "pii_leakage.leaks": {"max": 0},
        "answers.fact_recall": {"min": 0.9},
    }
    failures = failed_thresholds(make_run("r", 0.94, 1)["metrics"], thresholds)
    assert failures == [
        "retrieval.hybrid_hit@5 = 0.940 < 0.95",
        "pii_leakage.leaks = 1.000 > 0",
        "answers.fact_recall: not measured",
    ]
    assert (
        failed_thresholds(
            make_run("r", 0.96, 0)["metrics"],
            {k: v for k, v in thresholds.items() if not k.startswith("answers")},
        )
        == []
    )


def test_checked_in_thresholds_load_and_fast_overrides_apply() -> None:
    full, fast = load_thresholds(fast=False), load_thresholds(fast=True)
    assert full["retrieval.hybrid_hit@5"]["min"] == 0.95
    assert fast["answers.fact_recall"]["min"] < full["answers.fact_recall"]["min"]
    assert full["pii_leakage.leaks"] == {"max": 0}


def test_report_is_self_contained_escaped_and_compares_with_the_previous_run(
    tmp_path: Path,
) -> None:
    write_run(make_run("20261123T100000Z-aaaaaa", 0.90, 0), tmp_path)
    json_path, html_path = write_run(make_run("20261124T100000Z-bbbbbb", 0.96, 0), tmp_path)
    assert (
        json.loads(json_path.read_text(encoding="utf-8"))["metrics"]["retrieval"]["hybrid_hit@5"]
        == 0.96
    )
    html = html_path.read_text(encoding="utf-8")
    assert "compared with run 20261123T100000Z-aaaaaa" in html
    assert "+0.060" in html  # the change against the previous run
    assert (
        "<svg" in html
        and "<script" not in html
        and "http://" not in html
        and "https://" not in html
    )
    assert "纯债&lt;b&gt;赎回&lt;/b&gt;几天到" in html  # case text is escaped
    assert html.index("ans-1") < html.index("Worst cases") + 2000  # the failing case is listed
    assert "expected handoff" in html and "complaint" in html


def test_fast_subset_keeps_cases_whose_answering_file_is_in_the_slice(tmp_path: Path) -> None:
    (tmp_path / "faq").mkdir()
    (tmp_path / "faq" / "a.md").write_text("# a", encoding="utf-8")
    assert _answerable({"source": "funds/x.md", "also": ["faq/a.md"]}, tmp_path)
    assert not _answerable({"source": "funds/x.md"}, tmp_path)
    assert _answerable({"text": "routing and PII rows carry no source"}, tmp_path)
    conversation = {"turns": [{"user": "hi"}, {"user": "fee?", "source": "faq/a.md"}]}
    assert _answerable(conversation, tmp_path)
    conversation["turns"].append({"user": "and x?", "source": "funds/x.md"})
    assert not _answerable(conversation, tmp_path)


def test_report_shows_what_matters_first_and_a_reliability_diagram(tmp_path: Path) -> None:
    run = make_run("20261125T100000Z-cccccc", 0.96, 0)
    run["metrics"]["answers"] = {
        "wrong_answer_rate": 0.25,
        "asked_back_rate": 0.1,
        "handoff_rate": 0.1,
        "answered_share": 0.8,
    }
    run["metrics"]["routing"] = {"out_of_scope_answered": 0.2}
    outcomes = [(0.95, "answered_right")] * 3 + [(0.92, "answered_wrong"), (0.3, "asked_back")]
    run["cases"] = [
        {
            "suite": "answers",
            "id": f"a{i}",
            "input": {"question": "q"},
            "output": {"answer": "", "route": "answered", "confidence": c, "outcome": o},
            "checks": {"facts": o == "answered_right"},
            "passed": o == "answered_right",
            "score": 1.0,
            "groups": {"language": "zh"},
        }
        for i, (c, o) in enumerate(outcomes)
    ]
    _, html_path = write_run(run, tmp_path)
    html = html_path.read_text(encoding="utf-8")
    first = html.index("What matters first")
    assert first < html.index("Reliability") < html.index("Metrics per suite")
    assert "wrong, of answered" in html and "off-topic / out of scope answered" in html
    # The four quoted answers fall in one bin (0.9-1.0): 3 of 4 right; the asked-back one is
    # not an answer and is left out.
    assert "answers: 4 answers" in html
    assert "4 answers, 0.75 right" in html
    assert "http://" not in html and "<script" not in html
