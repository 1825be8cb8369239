"""Stored replies re-scored against other labels: what a label audit changes, reply for reply."""

from __future__ import annotations

from evals.kb2.rescore import rescored


def _case(answer: str, source: str, route: str = "answered") -> dict:
    citations = [{"source": source}] if route == "answered" else []
    return {
        "id": "kbX-q1",
        "output": {"answer": answer, "route": route, "citations": citations, "suggestions": []},
    }


def test_a_reply_holding_another_form_of_its_fact_is_right_only_under_the_audited_labels() -> None:
    written = [{"id": "kbX-q1", "facts": ["T+3日确认份额"], "source": "product.md"}]
    audited = [written[0] | {"fact_forms": {"T+3日确认份额": ["为T+3日"]}, "also": ["faq.txt"]}]
    reply = [_case("一般基金T+1日确认，养老2045为T+3日。", "faq.txt")]
    assert rescored(reply, written) == {"answered_wrong": 1}
    assert rescored(reply, audited) == {"answered_right": 1}
    assert rescored([_case("", "", route="handoff")], audited) == {"handed_off": 1}
    assert rescored(reply, []) == {}  # a reply whose question the labels do not hold
