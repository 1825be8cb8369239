"""Service analytics (roles compliance and admin). Periods are Beijing days, `from`..`to`
inclusive, the last seven days by default."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel

from api.deps import AnalyticsDep, ComponentsDep, SessionsDep, in_session
from assistant import analytics

router = APIRouter(prefix="/v1/analytics", tags=["analytics"])
MAX_DAYS = 366
# Days the service can have data for; outside them a date is a mistake (422), and day
# arithmetic near date.min / date.max would overflow.
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


class Period(BaseModel):
    start: date
    end: date


def period(
    start: Annotated[
        date | None,
        Query(alias="from", ge=EARLIEST, le=LATEST, description="First day (default: 6 days ago)."),
    ] = None,
    end: Annotated[
        date | None,
        Query(alias="to", ge=EARLIEST, le=LATEST, description="Last day (default: today)."),
    ] = None,
) -> Period:
    end = end or analytics.service_today()
    start = start or end - timedelta(days=6)
    if start > end:
        raise HTTPException(422, "from is after to")
    if (end - start).days >= MAX_DAYS:
        raise HTTPException(422, f"a period is at most {MAX_DAYS} days")
    return Period(start=start, end=end)


PeriodDep = Annotated[Period, Depends(period)]


class SurgeReport(BaseModel):
    date: date
    baseline_days: int
    alerts: list[analytics.SurgeAlert]


@router.get("/daily", response_model=list[analytics.DayStats])
async def daily(
    actor: AnalyticsDep, sessions: SessionsDep, when: PeriodDep
) -> list[analytics.DayStats]:
    """Per day: turns by intent and by channel, answered vs handed-off share."""
    return await in_session(sessions, lambda db: analytics.daily(db, when.start, when.end))


@router.get("/handoffs", response_model=analytics.HandoffStats)
async def handoffs(
    actor: AnalyticsDep, sessions: SessionsDep, when: PeriodDep
) -> analytics.HandoffStats:
    """Handoffs created in the period: waiting and handling times (average, p90, seconds) and
    how agents treated the drafts (accepted unchanged, edited, rejected)."""
    return await in_session(sessions, lambda db: analytics.handoff_stats(db, when.start, when.end))


@router.get("/csat", response_model=analytics.CsatStats)
async def csat(actor: AnalyticsDep, sessions: SessionsDep, when: PeriodDep) -> analytics.CsatStats:
    """Client ratings: count, average and the 1–5 distribution."""
    return await in_session(sessions, lambda db: analytics.csat(db, when.start, when.end))


@router.get("/hot-questions", response_model=analytics.HotQuestions)
async def hot_questions(
    actor: AnalyticsDep,
    components: ComponentsDep,
    sessions: SessionsDep,
    when: PeriodDep,
    top: Annotated[int, Query(ge=1, le=100)] = 10,
) -> analytics.HotQuestions:
    """The most asked questions, paraphrases grouped by meaning, with count and share."""
    return await in_session(
        sessions,
        lambda db: analytics.hot_questions(
            db, when.start, when.end, top=top, embedder=components.embedder
        ),
    )


@router.get("/surges", response_model=SurgeReport)
async def surges(
    actor: AnalyticsDep,
    components: ComponentsDep,
    sessions: SessionsDep,
    day: Annotated[
        date | None, Query(alias="date", ge=EARLIEST, le=LATEST, description="Default: today.")
    ] = None,
) -> SurgeReport:
    """Funds, intents and redemption questions far above their recent daily baseline."""
    day = day or analytics.service_today()
    settings = components.settings.analytics
    alerts = await in_session(
        sessions, lambda db: analytics.surges(db, day, settings, components.retriever.catalog)
    )
    return SurgeReport(date=day, baseline_days=settings.surge_baseline_days, alerts=alerts)
