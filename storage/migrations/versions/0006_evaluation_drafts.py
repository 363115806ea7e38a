"""evaluation drafts from typed replies

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 06:05:53.324570
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "evaluation_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exchange_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("session_number", sa.Integer(), nullable=False),
        sa.Column("satisfaction", sa.Integer(), nullable=True),
        sa.Column("hours", sa.Float(), nullable=True),
        sa.Column("updated_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["exchange_id"],
            ["exchange.id"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("exchange_id", "member_id", "session_number"),
    )
    with op.batch_alter_table("evaluation_draft", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evaluation_draft_exchange_id"), ["exchange_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_evaluation_draft_member_id"), ["member_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("evaluation_draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_draft_member_id"))
        batch_op.drop_index(batch_op.f("ix_evaluation_draft_exchange_id"))

    op.drop_table("evaluation_draft")
