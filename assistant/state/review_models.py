"""Compliance reviews of eval cases and live replies.

A target may be reviewed again: each review is a new row, and the latest one is the verdict that
counts, so a reviewer's change of mind stays on record. Every row is also written as an audit
record in the same transaction (see `assistant.review.ReviewStore`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from assistant.state.base import Base, new_id, utcnow


class Review(Base):
    """One reviewer's verdict on an eval case (`<run_id>:<suite>:<case_id>`) or a live reply
    (its assistant message id)."""

    __tablename__ = "reviews"
    __table_args__ = (Index("ix_reviews_target", "target_type", "target_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_id)
    target_type: Mapped[str] = mapped_column(String(16))  # eval_case | live_reply
    target_id: Mapped[str] = mapped_column(String(512))
    verdict: Mapped[str] = mapped_column(String(16), index=True)  # approved | flagged
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)  # redacted
    reviewer: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
