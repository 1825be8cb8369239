"""Analytics computations on hand-made rows in a fresh real SQLite, with answers known exactly.
Times are Beijing days: a turn at 07:00 on the 11th (23:00 UTC on the 10th) is the 11th's."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from assistant import analytics
from assistant.settings import AnalyticsSettings
from assistant.state.models import ChatMessage, ChatSession, Feedback, Handoff
from tests.review.conftest import add_turn, beijing

D = date(2025, 5, 10)
TONGLI = "products/tongli_pure_bond.md"
CSI300 = "products/csi300_enhanced_index.md"


def test_daily_counts_turns_per_beijing_day_by_intent_channel_and_route(db: Session) -> None:
    add_turn(db, beijing(D, 9), intent="product")
    add_turn(db, beijing(D, 10), intent="transaction", route="handoff")
    add_turn(db, beijing(D, 23, 30), intent="product", channel="openai")
    add_turn(db, beijing(D + timedelta(days=1), 7), intent="complaint", route="handoff")
    add_turn(db, beijing(D - timedelta(days=1), 23, 59))  # before the period
    db.commit()

    first, second, empty = analytics.daily(db, D, D + timedelta(days=2))

    assert (first.date, first.turns, first.answered, first.handed_off) == (D, 3, 2, 1)
    assert first.by_intent == {"product": 2, "transaction": 1}
    assert first.by_channel == {"chat": 2, "openai": 1}
    assert (first.answered_share, first.handoff_share) == (0.6667, 0.3333)
    assert (second.turns, second.handoff_share, second.by_intent) == (1, 1.0, {"complaint": 1})
    assert (empty.turns, empty.answered_share, empty.by_intent) == (0, None, {})


@pytest.mark.parametrize(
    ("values", "expected"),
    [([], None), ([5.0], 5.0), ([float(i) for i in range(1, 11)], 9.0), ([3.0, 1.0, 2.0], 3.0)],
)
def test_p90_is_the_nearest_rank(values: list[float], expected: float | None) -> None:
    assert analytics.p90(values) == expected


def _handoff(
    db: Session,
    created: datetime,
    wait_s: float | None = None,
    handle_s: float | None = None,
    resolution: str | None = None,
) -> None:
    reply = add_turn(db, created, route="handoff")
    claimed = created + timedelta(seconds=wait_s) if wait_s is not None else None
    resolved = claimed + timedelta(seconds=handle_s) if claimed and handle_s is not None else None
    status = "resolved" if resolved else "claimed" if claimed else "open"
    db.add(
        Handoff(
            session_id=reply.session_id,
            message_id=reply.id,
            intent="product",
            language="zh",
            draft="草稿",
            status=status,
            resolution=resolution,
            created_at=created,
            claimed_at=claimed,
            resolved_at=resolved,
        )
    )


def test_handoff_waiting_handling_and_draft_acceptance(db: Session) -> None:
    start = beijing(D, 9)
    handled = [(30, "accepted"), (60, "accepted"), (90, "edited"), (300, "rejected")]
    for i in range(10):  # waits 10, 20, … 100 s; the first four also resolved
        handle_s, resolution = handled[i] if i < 4 else (None, None)
        _handoff(db, start + timedelta(minutes=i), 10.0 * (i + 1), handle_s, resolution)
    _handoff(db, start)  # still open: no waiting time yet
    _handoff(db, beijing(D - timedelta(days=1)), 5000, 5000, "rejected")  # outside the period
    db.commit()

    stats = analytics.handoff_stats(db, D, D)

    assert stats.total == 11
    assert stats.by_status == {"resolved": 4, "claimed": 6, "open": 1}
    assert stats.waiting.model_dump() == {"count": 10, "average_s": 55.0, "p90_s": 90.0}
    assert stats.handling.model_dump() == {"count": 4, "average_s": 120.0, "p90_s": 300.0}
    assert stats.resolutions == {"accepted": 2, "edited": 1, "rejected": 1}
    assert stats.resolution_shares == {"accepted": 0.5, "edited": 0.25, "rejected": 0.25}


def test_handoff_stats_of_an_empty_period_have_no_averages(db: Session) -> None:
    stats = analytics.handoff_stats(db, D, D)
    assert stats.total == 0 and stats.waiting.average_s is None and stats.handling.p90_s is None
    assert stats.resolution_shares == {"accepted": None, "edited": None, "rejected": None}


def test_csat_average_and_distribution(db: Session) -> None:
    reply = add_turn(db, beijing(D))
    for rating in (5, 5, 4, 3, 1):
        db.add(Feedback(message_id=reply.id, rating=rating, created_at=beijing(D, 15)))
    db.add(Feedback(message_id=reply.id, rating=2, created_at=beijing(D + timedelta(days=1))))
    db.commit()

    stats = analytics.csat(db, D, D)

    assert (stats.count, stats.average) == (5, 3.6)
    assert stats.distribution == {1: 1, 2: 0, 3: 1, 4: 1, 5: 2}


REDEMPTION_FEE = ["纯债A类赎回费是多少", "通利纯债A赎回要收多少手续费", "纯债a卖出的费用怎么算"]
BANK_CARD = ["怎么修改绑定的银行卡", "换绑银行卡怎么操作"]


def test_paraphrases_cluster_by_meaning_with_the_real_embedder(e5) -> None:  # type: ignore[no-untyped-def]
    clusters = analytics.cluster_questions([*BANK_CARD, *REDEMPTION_FEE], e5)

    assert [(c.count, c.share) for c in clusters] == [(3, 0.6), (2, 0.4)]
    assert set(clusters[0].examples) == set(REDEMPTION_FEE)
    assert clusters[0].label in REDEMPTION_FEE and clusters[1].label in BANK_CARD


def test_hot_questions_count_repeats_and_use_standalone_queries(db: Session, e5) -> None:  # type: ignore[no-untyped-def]
    for text in [*REDEMPTION_FEE, REDEMPTION_FEE[0], *BANK_CARD, "今天几点前申购算当天"]:
        add_turn(db, beijing(D), text)
    add_turn(db, beijing(D), "那A类呢", standalone=REDEMPTION_FEE[0])  # a follow-up
    add_turn(db, beijing(D - timedelta(days=1)), "换绑银行卡")  # outside the period
    db.commit()

    hot = analytics.hot_questions(db, D, D, top=2, embedder=e5)

    assert hot.questions == 8
    assert [(c.count, c.share) for c in hot.clusters] == [(5, 0.625), (2, 0.25)]
    assert hot.clusters[0].examples[0] == REDEMPTION_FEE[0]  # the most frequent phrasing


def test_only_the_most_frequent_distinct_questions_are_embedded(e5) -> None:  # type: ignore[no-untyped-def]
    """A month of one-off questions must not cost one request an e5 embedding each."""
    embedded: list[str] = []

    class Counting:
        def get_query_embedding(self, text: str) -> list[float]:
            embedded.append(text)
            return e5.get_query_embedding(text)  # type: ignore[no-any-return]

    one_offs = [f"第{i}个问题：基金{i}号的净值" for i in range(analytics.MAX_CLUSTERED + 50)]
    clusters = analytics.cluster_questions([*REDEMPTION_FEE * 3, *one_offs], Counting())  # type: ignore[arg-type]
    assert len(embedded) == analytics.MAX_CLUSTERED
    fee = next(c for c in clusters if c.label in REDEMPTION_FEE)
    asked = 3 * len(REDEMPTION_FEE)
    assert fee.count == asked and fee.share == round(asked / (asked + len(one_offs)), 4)


def test_without_an_embedder_questions_cluster_by_shared_words() -> None:
    texts = ["纯债A类赎回费是多少", "纯债A类的赎回费多少", "请问纯债A类赎回费"]
    texts += ["怎么换绑银行卡", "换绑银行卡怎么操作"]
    assert [c.count for c in analytics.cluster_questions(texts)] == [3, 2]


def _ask(db: Session, day: date, text: str, intent: str, times: int) -> None:
    """`times` client questions on `day` (surges read client messages only)."""
    chat = ChatSession(created_at=beijing(day, 9))
    db.add(chat)
    db.flush()
    for i in range(times):
        db.add(
            ChatMessage(
                session_id=chat.id,
                role="client",
                text=text,
                intent=intent,
                created_at=beijing(day, 10, i),
            )
        )


def test_surges_compare_the_day_with_the_daily_baseline_before_it(db: Session, components) -> None:  # type: ignore[no-untyped-def]
    settings = AnalyticsSettings(surge_baseline_days=7, surge_factor=3.0, surge_min_count=5)
    for back in range(1, 8):
        day = D - timedelta(days=back)
        _ask(db, day, "通利纯债A赎回多久到账", "transaction", 1)
        _ask(db, day, "领先成长C类费率是多少", "account", 5)
    _ask(db, D - timedelta(days=8), "通利纯债赎回", "transaction", 20)  # before the baseline
    _ask(db, D, "通利纯债赎回要几天", "transaction", 6)  # 6 vs 1 a day: surge
    _ask(db, D, "领先成长C类费率是多少", "account", 5)  # 5 vs 5 a day: normal
    _ask(db, D, "300增强的费率", "technical", 5)  # new, and enough of it
    _ask(db, D, "转人工", "complaint", 4)  # new, but too few
    db.commit()

    alerts = analytics.surges(db, D, settings, components.retriever.catalog)

    found = {a.key: (a.count, a.baseline, a.ratio) for a in alerts}
    assert found == {
        f"fund:{CSI300}": (5, 0.0, None),
        "intent:technical": (5, 0.0, None),
        f"fund:{TONGLI}": (6, 1.0, 6.0),
        "topic:redemption": (6, 1.0, 6.0),
        "intent:transaction": (6, 1.0, 6.0),
    }
    assert alerts[0].ratio is None  # what was never asked before comes first


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("通利纯债A赎回多久到账", {"intent:transaction", "topic:redemption", f"fund:{TONGLI}"}),
        ("How do I redeem my shares?", {"intent:transaction", "topic:redemption"}),
        ("300增强的申购费", {"intent:transaction", f"fund:{CSI300}"}),
    ],
)
def test_surge_keys_of_a_question(components, text: str, keys: set[str]) -> None:  # type: ignore[no-untyped-def]
    found = analytics.surge_keys(text, "transaction", components.retriever.catalog)
    assert {key for key, _, _ in found} == keys
