"""what the digest counts, readable from indexes: exchange events by state and time and by
exchange, state and time; each exchange's number of participants

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 07:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PARTICIPANTS = (
    "SELECT count(*) FROM ("
    "SELECT teacher_id FROM lesson WHERE lesson.exchange_id = exchange.id "
    "UNION SELECT learner_id FROM lesson WHERE lesson.exchange_id = exchange.id) AS people"
)


def upgrade() -> None:
    with op.batch_alter_table("exchange", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("participants", sa.Integer(), nullable=False, server_default="0")
        )
    op.execute(f"UPDATE exchange SET participants = ({PARTICIPANTS})")
    with op.batch_alter_table("exchange_event", schema=None) as batch_op:
        batch_op.create_index("ix_exchange_event_to_state_at", ["to_state", "at"], unique=False)
        batch_op.create_index(
            "ix_exchange_event_exchange_state_at", ["exchange_id", "to_state", "at"], unique=False
        )
        batch_op.drop_index("ix_exchange_event_exchange_id")


def downgrade() -> None:
    with op.batch_alter_table("exchange_event", schema=None) as batch_op:
        batch_op.create_index("ix_exchange_event_exchange_id", ["exchange_id"], unique=False)
        batch_op.drop_index("ix_exchange_event_exchange_state_at")
        batch_op.drop_index("ix_exchange_event_to_state_at")
    with op.batch_alter_table("exchange", schema=None) as batch_op:
        batch_op.drop_column("participants")
