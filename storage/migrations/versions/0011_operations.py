"""operations: scheduled jobs as rows (run once per due time across replicas), Slack pacing
shared in the database, a digest owed once per period (due_work.once_key)

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-06 09:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0011"
# After 0010 (members' site).
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "job",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("cron", sa.String(length=100), nullable=True),
        sa.Column("due_at", storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.Column("last_run_at", storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.Column("last_worker", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "pace_bucket",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("tat", sa.Float(), nullable=False),
        sa.Column("slot", sa.Float(), nullable=False),
        sa.Column("blocked_until", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("due_work", schema=None) as batch_op:
        batch_op.add_column(sa.Column("once_key", sa.String(length=120), nullable=True))
        batch_op.create_unique_constraint("uq_due_work_once_key", ["once_key"])


def downgrade() -> None:
    with op.batch_alter_table("due_work", schema=None) as batch_op:
        batch_op.drop_constraint("uq_due_work_once_key", type_="unique")
        batch_op.drop_column("once_key")
    op.drop_table("pace_bucket")
    op.drop_table("job")
