"""Service analytics for compliance and managers: daily volume, handoff timings, satisfaction,
the questions clients ask most (clustered, not exact repeats) and surges about one fund or topic.

Plain functions over a SQLAlchemy session, so they are tested on hand-made rows without HTTP.
Rows are tallied in Python rather than with SQL date functions: days are Beijing days (the
service's clients and staff live there) and SQLite and PostgreSQL disagree on time-zone
arithmetic, while a week of turns is small enough to read.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Annotated, Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import AfterValidator, BaseModel
from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import QueryableAttribute, Session

from assistant.funds import FundCatalog
from assistant.retrieval.tokenizer import tokenize
from assistant.settings import AnalyticsSettings
from assistant.state.models import ChatMessage, ChatSession, Feedback, Handoff

SERVICE_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")  # China keeps no daylight saving
# Distinct questions clustered per request, most frequent first: the hot ones are among them,
# and each costs an e5 query embedding (a busy month's thousands of one-off questions made one
# request take minutes; the staff-token fuzz of the soak stalled on it).
MAX_CLUSTERED = 300
EMBEDDING_THRESHOLD = 0.93  # e5 query-mode cosine: paraphrases ≥ 0.93, other questions ≤ 0.9
JACCARD_THRESHOLD = 0.4
RESOLUTIONS = ("accepted", "edited", "rejected")
REDEMPTION = re.compile(r"赎|卖出|卖掉|redeem|redemption|\bsell", re.I)


# --- days -------------------------------------------------------------------------------------


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything this service stores is UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# Times leave as UTC with an offset, whatever the database handed back (SQLite: naive).
UtcDatetime = Annotated[datetime, AfterValidator(as_utc)]


def service_day(value: datetime) -> date:
    return as_utc(value).astimezone(SERVICE_TZ).date()


def service_today() -> date:
    return datetime.now(SERVICE_TZ).date()


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) Beijing time, in UTC: stored times are UTC, and SQLite
    compares wall-clock text, so a bound in another zone would be silently wrong."""
    low = datetime.combine(start, time(), SERVICE_TZ).astimezone(UTC)
    high = datetime.combine(end + timedelta(days=1), time(), SERVICE_TZ).astimezone(UTC)
    return low, high


def on_days(column: QueryableAttribute[Any], start: date, end: date) -> ColumnElement[bool]:
    """A filter: `column` falls on the Beijing days start..end (inclusive)."""
    low, high = day_bounds(start, end)
    return and_(column >= low, column < high)


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


# --- daily volume -----------------------------------------------------------------------------


class DayStats(BaseModel):
    date: date
    turns: int
    by_intent: dict[str, int]
    by_channel: dict[str, int]
    answered: int
    handed_off: int
    answered_share: float | None
    handoff_share: float | None


def daily(db: Session, start: date, end: date) -> list[DayStats]:
    """One row per day, empty days included; a turn is one assistant reply (it carries the
    route and the intent of the client message it answers)."""
    rows = db.execute(
        select(ChatMessage.created_at, ChatMessage.intent, ChatMessage.route, ChatSession.channel)
        .join(ChatSession, ChatSession.id == ChatMessage.session_id)
        .where(ChatMessage.role == "assistant", on_days(ChatMessage.created_at, start, end))
    ).all()
    grouped: dict[date, list[tuple[str | None, str | None, str]]] = defaultdict(list)
    for created_at, intent, route, channel in rows:
        grouped[service_day(created_at)].append((intent, route, channel))
    return [_day_stats(day, grouped[day]) for day in days(start, end)]


def _day_stats(day: date, turns: list[tuple[str | None, str | None, str]]) -> DayStats:
    routes = Counter(route for _, route, _ in turns)
    return DayStats(
        date=day,
        turns=len(turns),
        by_intent=dict(Counter(intent or "unknown" for intent, _, _ in turns).most_common()),
        by_channel=dict(Counter(channel for _, _, channel in turns).most_common()),
        answered=routes["answered"],
        handed_off=routes["handoff"],
        answered_share=share(routes["answered"], len(turns)),
        handoff_share=share(routes["handoff"], len(turns)),
    )


# --- handoffs ---------------------------------------------------------------------------------


class Durations(BaseModel):
    count: int
    average_s: float | None
    p90_s: float | None


class HandoffStats(BaseModel):
    total: int
    by_status: dict[str, int]
    waiting: Durations  # created → claimed
    handling: Durations  # claimed → resolved
    resolutions: dict[str, int]  # accepted (draft sent unchanged) / edited / rejected
    resolution_shares: dict[str, float | None]


def p90(values: list[float]) -> float | None:
    """Nearest rank: a time that 90% of cases did not exceed, and one that actually occurred."""
    if not values:
        return None
    return sorted(values)[math.ceil(0.9 * len(values)) - 1]


def durations(seconds: list[float]) -> Durations:
    average = round(sum(seconds) / len(seconds), 1) if seconds else None
    worst = p90(seconds)
    return Durations(
        count=len(seconds), average_s=average, p90_s=None if worst is None else round(worst, 1)
    )


def handoff_stats(db: Session, start: date, end: date) -> HandoffStats:
    """Handoffs created in the period: how long clients waited for an agent, how long agents
    took, and how often the drafted reply was good enough to send as it was."""
    rows = db.scalars(select(Handoff).where(on_days(Handoff.created_at, start, end))).all()
    waiting = [_seconds(r.created_at, r.claimed_at) for r in rows if r.claimed_at]
    handling = [
        _seconds(r.claimed_at, r.resolved_at) for r in rows if r.claimed_at and r.resolved_at
    ]
    resolved = Counter(r.resolution for r in rows if r.resolution)
    done = sum(resolved[k] for k in RESOLUTIONS)
    return HandoffStats(
        total=len(rows),
        by_status=dict(Counter(r.status for r in rows)),
        waiting=durations(waiting),
        handling=durations(handling),
        resolutions={k: resolved[k] for k in RESOLUTIONS},
        resolution_shares={k: share(resolved[k], done) for k in RESOLUTIONS},
    )


def _seconds(start: datetime, end: datetime) -> float:
    return (as_utc(end) - as_utc(start)).total_seconds()


# --- satisfaction -----------------------------------------------------------------------------


class CsatStats(BaseModel):
    count: int
    average: float | None
    distribution: dict[int, int]  # rating 1..5 → count, every rating present


def csat(db: Session, start: date, end: date) -> CsatStats:
    ratings = db.scalars(
        select(Feedback.rating).where(on_days(Feedback.created_at, start, end))
    ).all()
    counts = Counter(ratings)
    average = round(sum(ratings) / len(ratings), 2) if ratings else None
    return CsatStats(
        count=len(ratings), average=average, distribution={r: counts[r] for r in range(1, 6)}
    )


# --- hot questions ----------------------------------------------------------------------------


class HotQuestion(BaseModel):
    label: str  # the cluster's most central question
    count: int
    share: float
    examples: list[str]  # the most frequent phrasings, up to three


class HotQuestions(BaseModel):
    questions: int
    clusters: list[HotQuestion]


def hot_questions(
    db: Session, start: date, end: date, *, top: int = 10, embedder: BaseEmbedding | None = None
) -> HotQuestions:
    """The period's client questions grouped by meaning. The standalone query is used where
    there is one, so that a follow-up (那C类呢？) counts as the question it stands for."""
    rows = db.execute(
        select(ChatMessage.text, ChatMessage.standalone_query).where(
            ChatMessage.role == "client", on_days(ChatMessage.created_at, start, end)
        )
    ).all()
    texts = [standalone or text for text, standalone in rows]
    clusters = cluster_questions(texts, embedder)
    return HotQuestions(questions=len(texts), clusters=clusters[:top])


def cluster_questions(
    texts: list[str], embedder: BaseEmbedding | None = None, threshold: float | None = None
) -> list[HotQuestion]:
    """Greedy clustering: each distinct question, most frequent first, joins the cluster whose
    centroid is nearest if similar enough, else starts one. Linear in clusters per question
    (no n² distance matrix) and deterministic; at most `MAX_CLUSTERED` distinct questions.
    Without an embedder, jieba-token Jaccard."""
    counts = Counter(" ".join(t.split()) for t in texts if t.strip())
    unique = sorted(counts, key=lambda t: (-counts[t], t))[:MAX_CLUSTERED]
    if not unique:
        return []
    total = sum(counts.values())  # shares are of every question, clustered or not
    weights = np.array([counts[t] for t in unique], dtype=float)
    if embedder is not None:
        members, central = _cluster_vectors(
            _embed(embedder, unique), weights, threshold or EMBEDDING_THRESHOLD
        )
    else:
        members, central = _cluster_tokens(unique, threshold or JACCARD_THRESHOLD)
    found = [
        HotQuestion(
            label=unique[center],
            count=int(weights[group].sum()),
            share=round(float(weights[group].sum()) / total, 4),
            examples=[unique[i] for i in group[:3]],
        )
        for group, center in zip(members, central, strict=True)
    ]
    return sorted(found, key=lambda c: (-c.count, c.label))


def _embed(embedder: BaseEmbedding, texts: list[str]) -> np.ndarray:
    """Query-mode embeddings: for e5, question-to-question cosines spread far more in query
    mode ("query: " prefix) than in passage mode, where unrelated questions reach 0.93."""
    vectors = np.array([embedder.get_query_embedding(t) for t in texts], dtype=float)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _cluster_vectors(
    vectors: np.ndarray, weights: np.ndarray, threshold: float
) -> tuple[list[list[int]], list[int]]:
    sums = np.zeros((0, vectors.shape[1]))
    members: list[list[int]] = []
    for i, vector in enumerate(vectors):
        if members:
            centroids = sums / np.linalg.norm(sums, axis=1, keepdims=True)
            best = int(np.argmax(centroids @ vector))
            if float(centroids[best] @ vector) >= threshold:
                members[best].append(i)
                sums[best] += weights[i] * vector
                continue
        sums = np.vstack([sums, weights[i] * vector])
        members.append([i])
    central = [group[int(np.argmax(vectors[group] @ sums[k]))] for k, group in enumerate(members)]
    return members, central


def _cluster_tokens(texts: list[str], threshold: float) -> tuple[list[list[int]], list[int]]:
    tokens = [set(tokenize(t)) or {t} for t in texts]
    members: list[list[int]] = []
    for i, words in enumerate(tokens):
        scores = [sum(_jaccard(words, tokens[j]) for j in g) / len(g) for g in members]
        best = int(np.argmax(scores)) if scores else -1
        if best >= 0 and scores[best] >= threshold:
            members[best].append(i)
        else:
            members.append([i])
    central = [
        max(g, key=lambda i: (sum(_jaccard(tokens[i], tokens[j]) for j in g), -i)) for g in members
    ]
    return members, central


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


# --- surges -----------------------------------------------------------------------------------


class SurgeAlert(BaseModel):
    key: str  # fund:<source>, intent:<intent> or topic:redemption
    kind: str  # fund | intent | topic
    label: str
    count: int  # on the day
    baseline: float  # average daily count over the baseline days before it
    ratio: float | None  # count / baseline; None when there was nothing before


def surges(
    db: Session, day: date, settings: AnalyticsSettings, catalog: FundCatalog | None = None
) -> list[SurgeAlert]:
    """Keys (a fund, an intent, redemption) whose count on `day` is at least `surge_min_count`
    and at least `surge_factor` times its daily average over the `surge_baseline_days` before:
    a fund in the news, an outage, a run on redemptions."""
    start = day - timedelta(days=settings.surge_baseline_days)
    rows = db.execute(
        select(
            ChatMessage.created_at,
            ChatMessage.text,
            ChatMessage.standalone_query,
            ChatMessage.intent,
        ).where(ChatMessage.role == "client", on_days(ChatMessage.created_at, start, day))
    ).all()
    today: Counter[str] = Counter()
    before: Counter[str] = Counter()
    labels: dict[str, tuple[str, str]] = {}
    for created_at, text, standalone, intent in rows:
        for key, kind, label in surge_keys(f"{text}\n{standalone or ''}", intent, catalog):
            labels[key] = (kind, label)
            (today if service_day(created_at) == day else before)[key] += 1
    alerts = [
        _alert(key, *labels[key], today[key], before[key] / settings.surge_baseline_days)
        for key in today
    ]
    return sorted(
        (a for a in alerts if _is_surge(a, settings)),
        key=lambda a: (a.ratio is not None, -(a.ratio or 0), -a.count, a.key),
    )


def surge_keys(
    text: str, intent: str | None, catalog: FundCatalog | None
) -> Iterable[tuple[str, str, str]]:
    """(key, kind, label) for everything a question counts towards."""
    if intent:
        yield f"intent:{intent}", "intent", intent
    if REDEMPTION.search(text):
        yield "topic:redemption", "topic", "赎回 redemption"
    for mention in catalog.spot(text) if catalog else []:
        yield f"fund:{mention.fund.source}", "fund", mention.fund.name


def _alert(key: str, kind: str, label: str, count: int, baseline: float) -> SurgeAlert:
    ratio = round(count / baseline, 2) if baseline else None
    return SurgeAlert(
        key=key, kind=kind, label=label, count=count, baseline=round(baseline, 2), ratio=ratio
    )


def _is_surge(alert: SurgeAlert, settings: AnalyticsSettings) -> bool:
    return (
        alert.count >= settings.surge_min_count
        and alert.count >= settings.surge_factor * alert.baseline
    )
