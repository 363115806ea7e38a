"""profiles: levels, notes, bio, languages, pause until, avoid list

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 05:11:42.899774
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.models

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "avoidance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("avoided_slack_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("member_id", "avoided_slack_id"),
    )
    with op.batch_alter_table("avoidance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_avoidance_avoided_slack_id"), ["avoided_slack_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_avoidance_member_id"), ["member_id"], unique=False)

    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("paused_until", storage.models.UtcDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("bio", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "languages",
                sqlmodel.sql.sqltypes.AutoString(length=64),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(
            sa.Column("preference", sa.String(length=12), nullable=False, server_default="either")
        )
        batch_op.add_column(
            sa.Column("tz", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(
            sa.Column("locale", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True)
        )
        batch_op.add_column(
            sa.Column("slack_synced_at", storage.models.UtcDateTime(timezone=True), nullable=True)
        )

    with op.batch_alter_table("skill", schema=None) as batch_op:
        batch_op.add_column(sa.Column("level", sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("skill", schema=None) as batch_op:
        batch_op.drop_column("note")
        batch_op.drop_column("level")

    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("slack_synced_at")
        batch_op.drop_column("locale")
        batch_op.drop_column("tz")
        batch_op.drop_column("preference")
        batch_op.drop_column("languages")
        batch_op.drop_column("bio")
        batch_op.drop_column("paused_until")

    with op.batch_alter_table("avoidance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_avoidance_member_id"))
        batch_op.drop_index(batch_op.f("ix_avoidance_avoided_slack_id"))

    op.drop_table("avoidance")
