"""lifecycle: state events, session details, invitation sequence

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 05:28:57.305924
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.models

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exchange_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exchange_id", sa.Integer(), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=True),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.ForeignKeyConstraint(
            ["exchange_id"],
            ["exchange.id"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("exchange_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exchange_event_exchange_id"), ["exchange_id"], unique=False
        )

    with op.batch_alter_table("due_work", schema=None) as batch_op:
        batch_op.alter_column(
            "payload", existing_type=sa.VARCHAR(length=500), type_=sa.Text(), existing_nullable=True
        )

    with op.batch_alter_table("exchange", schema=None) as batch_op:
        batch_op.add_column(sa.Column("duration_minutes", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("place", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True)
        )
        batch_op.add_column(
            sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True)
        )
        batch_op.add_column(
            sa.Column("invitation_sequence", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("exchange", schema=None) as batch_op:
        batch_op.drop_column("invitation_sequence")
        batch_op.drop_column("url")
        batch_op.drop_column("place")
        batch_op.drop_column("duration_minutes")

    with op.batch_alter_table("due_work", schema=None) as batch_op:
        batch_op.alter_column(
            "payload", existing_type=sa.Text(), type_=sa.VARCHAR(length=500), existing_nullable=True
        )

    with op.batch_alter_table("exchange_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_event_exchange_id"))

    op.drop_table("exchange_event")
