"""Timestamps in responses always carry their time zone. SQLite gives back naive datetimes
(stored as UTC), PostgreSQL aware ones; response models use `UtcDatetime` for both."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator


def as_utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


UtcDatetime = Annotated[datetime, AfterValidator(as_utc)]
