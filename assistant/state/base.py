"""The one declarative base of the state database, and the defaults every table shares.

Kept apart from the engine (`database.py`) and the tables (`models.py`, `review_models.py`) so
that none of them imports another to find it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return uuid.uuid4().hex
