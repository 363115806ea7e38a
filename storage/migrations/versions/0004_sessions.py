"""sessions: several per exchange, teacher usefulness, another session

An exchange may hold several sessions, each evaluated: evaluations become unique per
(exchange, member, session) and follow-ups per exchange and member are no longer unique.
The old unique constraints had no name, so SQLite tables are rebuilt from their known shape
and PostgreSQL's default constraint names are dropped.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 05:56:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool) -> sa.Column[object]:
    return sa.Column(name, storage.models.UtcDateTime(timezone=True), nullable=nullable)


def _evaluation_v3(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        "evaluation",
        metadata,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("exchange_id", sa.Integer(), sa.ForeignKey("exchange.id"), nullable=False),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("member.id"), nullable=False),
        sa.Column("satisfaction", sa.Integer(), nullable=False),
        sa.Column("goal_met", sa.String(length=8), nullable=True),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("comment", sa.String(length=2000), nullable=True),
        _when("created_at", False),
        sa.Index("ix_evaluation_created_at", "created_at"),
        sa.Index("ix_evaluation_exchange_id", "exchange_id"),
        sa.Index("ix_evaluation_member_id", "member_id"),
    )


def _due_work_v3(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        "due_work",
        metadata,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("exchange_id", sa.Integer(), sa.ForeignKey("exchange.id"), nullable=True),
        sa.Column("round_id", sa.Integer(), sa.ForeignKey("round.id"), nullable=True),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("member.id"), nullable=True),
        sa.Column("payload", sa.Text(), nullable=True),
        _when("due_at", False),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        _when("claimed_at", True),
        _when("done_at", True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.UniqueConstraint("kind", "round_id", "member_id"),
        sa.Index("ix_due_work_done_at", "done_at"),
        sa.Index("ix_due_work_due_at", "due_at"),
        sa.Index("ix_due_work_exchange_id", "exchange_id"),
    )


def _new_evaluation_columns(batch_op: object) -> None:
    add = batch_op.add_column  # type: ignore[attr-defined]
    add(sa.Column("session_number", sa.Integer(), nullable=False, server_default="1"))
    add(sa.Column("useful", sa.String(length=8), nullable=True))
    add(sa.Column("another_session", sa.Boolean(), nullable=False, server_default=sa.false()))


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    metadata = sa.MetaData()
    evaluation = {"recreate": "always", "copy_from": _evaluation_v3(metadata)} if sqlite else {}
    with op.batch_alter_table("evaluation", **evaluation) as batch_op:  # type: ignore[arg-type]
        if not sqlite:
            batch_op.drop_constraint("evaluation_exchange_id_member_id_key", type_="unique")
        _new_evaluation_columns(batch_op)
        batch_op.create_unique_constraint(
            "uq_evaluation_session", ["exchange_id", "member_id", "session_number"]
        )
    if sqlite:
        with op.batch_alter_table("due_work", recreate="always", copy_from=_due_work_v3(metadata)):
            pass
    else:
        op.drop_constraint("due_work_kind_exchange_id_member_id_key", "due_work", type_="unique")
    with op.batch_alter_table("exchange") as batch_op:
        batch_op.add_column(
            sa.Column("session_number", sa.Integer(), nullable=False, server_default="1")
        )


def downgrade() -> None:
    with op.batch_alter_table("exchange") as batch_op:
        batch_op.drop_column("session_number")
    with op.batch_alter_table("due_work") as batch_op:
        batch_op.create_unique_constraint(
            "due_work_kind_exchange_id_member_id_key", ["kind", "exchange_id", "member_id"]
        )
    with op.batch_alter_table("evaluation") as batch_op:
        batch_op.drop_constraint("uq_evaluation_session", type_="unique")
        batch_op.drop_column("another_session")
        batch_op.drop_column("useful")
        batch_op.drop_column("session_number")
        batch_op.create_unique_constraint(
            "evaluation_exchange_id_member_id_key", ["exchange_id", "member_id"]
        )
