"""Compliance review and analytics through the real HTTP app over the real pipeline.

The database is shared with the other API tests of the session, so assertions look for what
each test made itself rather than for exact totals.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.analytics import service_today
from tests.conftest import AGENT, COMPLIANCE, CONTENT
from tests.review.conftest import ADMIN, RUN_ID, SAMPLES_PER_DAY

# An unnamed key (`role:token`) is known by a digest of its whole token, not by its tail.
COMPLIANCE_ACTOR = "compliance:key-" + hashlib.sha256(b"compliance-token-01").hexdigest()[:12]

REVIEW_BODY = {"target_type": "eval_case", "target_id": f"{RUN_ID}:answers:ans-001"}
ENDPOINTS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/v1/review/runs", None),
    ("GET", f"/v1/review/runs/{RUN_ID}/cases", None),
    ("GET", "/v1/review/samples", None),
    ("POST", "/v1/review/reviews", {**REVIEW_BODY, "verdict": "approved"}),
    ("GET", "/v1/review/reviews", None),
    ("GET", "/v1/review/edit-pairs", None),
    ("GET", "/v1/review/export/edit-pairs.jsonl", None),
    ("GET", "/v1/review/export/reviews.csv", None),
    ("GET", "/v1/review/export/audit.csv", None),
    ("GET", "/v1/analytics/daily", None),
    ("GET", "/v1/analytics/handoffs", None),
    ("GET", "/v1/analytics/csat", None),
    ("GET", "/v1/analytics/hot-questions", None),
    ("GET", "/v1/analytics/surges", None),
]


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_every_endpoint_refuses_anonymous_and_agent_callers(
    client: TestClient, method: str, path: str, body: dict[str, Any] | None
) -> None:
    def call(headers: dict[str, str]) -> int:
        return client.request(method, path, json=body, headers=headers).status_code

    assert call({}) == 401
    assert call({"Authorization": "Bearer not-a-known-token"}) == 401
    assert call(AGENT) == 403
    assert call(CONTENT) == 403
    assert client.request(method, path, json=body, headers=AGENT).json()["error"]["code"] == (
        "forbidden"
    )


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_compliance_and_admin_are_let_in(
    client: TestClient, method: str, path: str, body: dict[str, Any] | None
) -> None:
    for headers in (COMPLIANCE, ADMIN):
        assert client.request(method, path, json=body, headers=headers).status_code < 300


def test_runs_are_listed_newest_first_with_case_counts(client: TestClient) -> None:
    runs = client.get("/v1/review/runs", headers=COMPLIANCE).json()

    assert [r["id"] for r in runs] == [RUN_ID, "20250201T080000Z-old000"]  # broken.json skipped
    newest = runs[0]
    assert newest["cases"] == {
        "total": 4,
        "passed": 2,
        "failed": 2,
        "by_suite": {"answers": {"total": 2, "failed": 1}, "routing": {"total": 2, "failed": 1}},
    }
    assert newest["metrics"] == {"answers": {"fact_recall": 0.9}}
    assert newest["failed_thresholds"] and newest["started_at"].startswith("2025-03-01T08:00")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"ans-001", "ans-002", "rt-001", "rt-002"}),
        ("?verdict=fail", {"ans-002", "rt-001"}),
        ("?verdict=pass&suite=routing", {"rt-002"}),
        ("?intent=product", {"ans-001", "ans-002"}),
        ("?route=handoff", {"rt-001"}),
        ("?route=answered", {"ans-001", "ans-002", "rt-002"}),  # from the reply when no group
        ("?language=en", {"ans-002"}),
        ("?intent=complaint&verdict=pass", set()),
    ],
)
def test_cases_are_filtered(client: TestClient, query: str, expected: set[str]) -> None:
    response = client.get(f"/v1/review/runs/{RUN_ID}/cases{query}", headers=COMPLIANCE)
    assert response.status_code == 200
    assert {c["id"] for c in response.json()} == expected


@pytest.mark.parametrize(
    "run_id",
    ["no-such-run", "broken", "..%2F..%2Fetc%2Fpasswd", "%2E%2E", "..", "runs%2F..%2Fsecret"],
)
def test_unknown_unreadable_or_tricky_run_ids_are_refused(client: TestClient, run_id: str) -> None:
    response = client.get(f"/v1/review/runs/{run_id}/cases", headers=COMPLIANCE)
    assert response.status_code in (404, 422)


def test_bad_verdict_filter_is_422(client: TestClient) -> None:
    response = client.get(f"/v1/review/runs/{RUN_ID}/cases?verdict=maybe", headers=COMPLIANCE)
    assert response.status_code == 422


def test_a_later_review_of_the_same_case_wins_and_both_are_kept(client: TestClient) -> None:
    target = f"{RUN_ID}:routing:rt-001"
    for verdict in ("flagged", "approved"):
        body = {"target_type": "eval_case", "target_id": target, "verdict": verdict}
        created = client.post("/v1/review/reviews", json=body, headers=COMPLIANCE)
        assert created.status_code == 201
        assert created.json()["reviewer"] == COMPLIANCE_ACTOR

    latest = client.get("/v1/review/reviews?target_type=eval_case", headers=COMPLIANCE).json()
    assert [r["verdict"] for r in latest if r["target_id"] == target] == ["approved"]
    history = client.get("/v1/review/reviews?history=true", headers=COMPLIANCE).json()
    assert [r["verdict"] for r in history if r["target_id"] == target] == ["approved", "flagged"]
    flagged = client.get("/v1/review/reviews?verdict=flagged", headers=COMPLIANCE).json()
    assert target not in {r["target_id"] for r in flagged}
    cases = client.get(f"/v1/review/runs/{RUN_ID}/cases?suite=routing", headers=COMPLIANCE)
    case = next(c for c in cases.json() if c["id"] == "rt-001")
    assert (case["target_id"], case["verdict"]) == (target, "approved")


@pytest.mark.parametrize(
    ("target_type", "target_id"),
    [
        ("eval_case", f"{RUN_ID}:answers:no-such-case"),
        ("eval_case", f"{RUN_ID}:routing:ans-001"),  # right case id, wrong suite
        ("eval_case", "no-such-run:answers:ans-001"),
        ("eval_case", "../secret:answers:ans-001"),
        ("live_reply", "no-such-message"),
    ],
)
def test_a_review_of_an_unknown_target_is_404(
    client: TestClient, target_type: str, target_id: str
) -> None:
    body = {"target_type": target_type, "target_id": target_id, "verdict": "flagged"}
    assert client.post("/v1/review/reviews", json=body, headers=COMPLIANCE).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"target_type": "eval_case", "target_id": "x", "verdict": "maybe"},
        {"target_type": "email", "target_id": "x", "verdict": "flagged"},
        {"target_type": "live_reply", "target_id": "", "verdict": "flagged"},
        {"verdict": "flagged"},
    ],
)
def test_a_malformed_review_is_422(client: TestClient, body: dict[str, Any]) -> None:
    assert client.post("/v1/review/reviews", json=body, headers=COMPLIANCE).status_code == 422


def _chat(client: TestClient, message: str) -> dict[str, Any]:
    response = client.post("/v1/chat", json={"message": message})
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def _handoff(client: TestClient, action: str, text: str | None = None) -> dict[str, Any]:
    """A handed-off turn that an agent resolves with `action`; returns the reply."""
    reply = _chat(client, "转人工")
    assert reply["route"] == "handoff"
    url = f"/v1/handoffs/{reply['handoff_id']}/resolve"
    resolved = client.post(url, json={"action": action, "text": text}, headers=AGENT)
    assert resolved.status_code == 200
    return reply


def test_the_daily_sample_is_stable_and_holds_every_edited_or_rejected_handoff(
    client: TestClient,
) -> None:
    answered = [_chat(client, q) for q in ("纯债C类赎回费怎么收", "几点前申购算当天")]
    edited = _handoff(client, "edit", "您好，已为您转接人工客服，请稍候。")
    rejected = _handoff(client, "reject")
    today = service_today().isoformat()

    first = client.get(f"/v1/review/samples?date={today}", headers=COMPLIANCE).json()
    again = client.get("/v1/review/samples", headers=COMPLIANCE).json()

    assert first == again  # the same day gives the same sample
    assert sum(item["sampled"] for item in first) == SAMPLES_PER_DAY
    by_id = {item["message_id"]: item for item in first}
    assert by_id[edited["message_id"]]["resolution"] == "edited"
    assert by_id[edited["message_id"]]["sent_text"] == "您好，已为您转接人工客服，请稍候。"
    assert by_id[edited["message_id"]]["draft"] == edited["draft"]
    assert by_id[edited["message_id"]]["question"] == "转人工"
    assert by_id[edited["message_id"]]["reasons"] == edited["reasons"]
    assert by_id[rejected["message_id"]]["resolution"] == "rejected"
    assert answered and all(isinstance(i["sources"], list) for i in first)
    empty = client.get("/v1/review/samples?date=2001-01-01", headers=COMPLIANCE).json()
    assert empty == []


def test_a_live_reply_review_is_audited_and_shown_on_the_sample(client: TestClient) -> None:
    reply = _handoff(client, "reject")
    body = {
        "target_type": "live_reply",
        "target_id": reply["message_id"],
        "verdict": "flagged",
        "comment": "草稿不该承诺到账时间，客户手机13812345678",
    }
    created = client.post("/v1/review/reviews", json=body, headers=COMPLIANCE).json()
    assert "13812345678" not in created["comment"]  # reviewers' comments are redacted too

    sample = client.get("/v1/review/samples", headers=COMPLIANCE).json()
    assert next(i for i in sample if i["message_id"] == reply["message_id"])["verdict"] == "flagged"
    audit = _csv(
        client.get(f"/v1/review/export/audit.csv?from={service_today()}", headers=COMPLIANCE)
    )
    record = next(r for r in audit if r["kind"] == "review" and created["id"] in r["data"])
    assert record["message_id"] == reply["message_id"]
    assert record["session_id"] == reply["session_id"]
    assert record["actor"] == COMPLIANCE_ACTOR


def test_agent_edits_come_out_as_labeled_pairs(client: TestClient) -> None:
    sent = "您的赎回款一般在T+1日到账，请留意银行卡入账。"
    reply = _handoff(client, "edit", sent)

    pairs = client.get("/v1/review/edit-pairs", headers=COMPLIANCE).json()
    pair = next(p for p in pairs if p["handoff_id"] == reply["handoff_id"])
    assert (pair["question"], pair["draft"], pair["sent"]) == ("转人工", reply["draft"], sent)
    assert pair["reasons"] == reply["reasons"] and pair["language"] == "zh"
    assert all(p["sent"] for p in pairs)

    export = client.get("/v1/review/export/edit-pairs.jsonl", headers=COMPLIANCE)
    assert export.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in export.text.splitlines()]
    line = next(x for x in lines if x["id"] == f"edit-{reply['handoff_id']}")
    assert line == {
        "id": f"edit-{reply['handoff_id']}",
        "question": "转人工",
        "language": "zh",
        "reference_answer": sent,
        "draft": reply["draft"],
        "reasons": reply["reasons"],
    }


def _csv(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with a BOM
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_reviews_csv_keeps_every_review_in_chinese(client: TestClient) -> None:
    body = {**REVIEW_BODY, "verdict": "flagged", "comment": "免责声明缺失，需要补充"}
    created = client.post("/v1/review/reviews", json=body, headers=COMPLIANCE).json()

    rows = _csv(client.get("/v1/review/export/reviews.csv", headers=COMPLIANCE))

    row = next(r for r in rows if r["id"] == created["id"])
    assert (row["comment"], row["verdict"], row["target_id"]) == (
        "免责声明缺失，需要补充",
        "flagged",
        REVIEW_BODY["target_id"],
    )


def test_csv_cells_that_look_like_formulas_stay_text(client: TestClient) -> None:
    body = {**REVIEW_BODY, "verdict": "flagged", "comment": '=HYPERLINK("http://x.example")'}
    created = client.post("/v1/review/reviews", json=body, headers=COMPLIANCE).json()

    rows = _csv(client.get("/v1/review/export/reviews.csv", headers=COMPLIANCE))

    comment = next(r["comment"] for r in rows if r["id"] == created["id"])
    assert comment == "'" + created["comment"]


def test_audit_csv_covers_the_days_asked_for(client: TestClient) -> None:
    reply = _chat(client, "领先成长C类的销售服务费是多少")
    today = service_today().isoformat()

    rows = _csv(
        client.get(f"/v1/review/export/audit.csv?from={today}&to={today}", headers=COMPLIANCE)
    )
    record = next(r for r in rows if r["message_id"] == reply["message_id"])
    assert (record["kind"], record["question"]) == ("reply", "领先成长C类的销售服务费是多少")
    assert json.loads(record["data"])["route"] == reply["route"]

    old = _csv(client.get("/v1/review/export/audit.csv?to=2001-01-01", headers=COMPLIANCE))
    assert old == []
    bad = client.get(f"/v1/review/export/audit.csv?from={today}&to=2001-01-01", headers=COMPLIANCE)
    assert bad.status_code == 422


def test_analytics_over_http(client: TestClient) -> None:
    reply = _chat(client, "纯债C类赎回费怎么收")
    client.post("/v1/feedback", json={"message_id": reply["message_id"], "rating": 5})
    today = service_today().isoformat()

    daily = client.get("/v1/analytics/daily", headers=COMPLIANCE).json()
    assert len(daily) == 7 and daily[-1]["date"] == today and daily[-1]["turns"] >= 1
    assert daily[-1]["by_channel"]["chat"] >= 1
    one = client.get(f"/v1/analytics/daily?from={today}&to={today}", headers=ADMIN).json()
    assert [d["date"] for d in one] == [today]
    csat = client.get("/v1/analytics/csat", headers=COMPLIANCE).json()
    assert csat["count"] >= 1 and csat["distribution"]["5"] >= 1
    handoffs = client.get("/v1/analytics/handoffs", headers=COMPLIANCE).json()
    assert set(handoffs["resolutions"]) == {"accepted", "edited", "rejected"}
    hot = client.get("/v1/analytics/hot-questions?top=3", headers=COMPLIANCE).json()
    assert hot["questions"] >= 1 and 1 <= len(hot["clusters"]) <= 3
    surges = client.get(f"/v1/analytics/surges?date={today}", headers=COMPLIANCE).json()
    assert surges["date"] == today and isinstance(surges["alerts"], list)


@pytest.mark.parametrize(
    "query",
    ["?from=2025-05-10&to=2025-05-01", "?from=2020-01-01&to=2025-01-01", "?from=yesterday"],
)
def test_a_bad_analytics_period_is_422(client: TestClient, query: str) -> None:
    assert client.get(f"/v1/analytics/daily{query}", headers=COMPLIANCE).status_code == 422
    assert client.get("/v1/analytics/hot-questions?top=0", headers=COMPLIANCE).status_code == 422
