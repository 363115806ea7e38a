"""each lesson keeps the skill it teaches as matching files it, for the digest

The one place storage reaches above itself (README, "Project structure"): the key must be
the one the code computes, so the migration reuses `bot.matching.key_of`, a pure function,
imported inside `upgrade`; migrations are outside the import-linter graph.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 08:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHUNK = 10_000


def upgrade() -> None:
    from bot.matching import key_of  # the same filing as new lessons get

    with op.batch_alter_table("lesson", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("teach_key", sa.String(length=160), nullable=False, server_default="")
        )
    connection = op.get_bind()
    lesson = sa.table("lesson", sa.column("id"), sa.column("teach_label"), sa.column("teach_key"))
    labels = [
        row.teach_label for row in connection.execute(sa.select(lesson.c.teach_label).distinct())
    ]
    keys = [{"label": label, "key": key_of(label)} for label in labels]
    update = (
        sa.update(lesson)
        .where(lesson.c.teach_label == sa.bindparam("label"))
        .values(teach_key=sa.bindparam("key"))
    )
    for start in range(0, len(keys), CHUNK):
        connection.execute(update, keys[start : start + CHUNK])


def downgrade() -> None:
    with op.batch_alter_table("lesson", schema=None) as batch_op:
        batch_op.drop_column("teach_key")
