"""evaluation roles (learner, teacher) for the digest

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 08:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _role(column: str) -> str:
    """Whether the evaluator is a lesson's `column` in the evaluated exchange."""
    return (
        f"EXISTS (SELECT 1 FROM lesson WHERE lesson.exchange_id = evaluation.exchange_id "
        f"AND lesson.{column} = evaluation.member_id)"
    )


def upgrade() -> None:
    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("as_learner", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("as_teacher", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.execute(
        f"UPDATE evaluation SET as_learner = {_role('learner_id')}, "
        f"as_teacher = {_role('teacher_id')}"
    )


def downgrade() -> None:
    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.drop_column("as_teacher")
        batch_op.drop_column("as_learner")
