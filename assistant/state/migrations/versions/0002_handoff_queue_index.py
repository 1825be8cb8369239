"""An index in the order agents read the queue: status, then priority and waiting time, so a
page of open handoffs and their count stay cheap with thousands open.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_handoffs_queue", "handoffs", ["status", "priority", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_handoffs_queue", table_name="handoffs")
