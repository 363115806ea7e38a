"""The digest's leaderboard: the opted-in members who taught and learned the most hours.

Only members who opted in (`Member.leaderboard`) are ever named, at most
`LEADERBOARD_MAX` teachers and `LEARNERS_MAX` learners.
"""

from __future__ import annotations

from sqlalchemy import (
    func,
)
from sqlmodel import Session, col, select

from bot.digest.model import LEADERBOARD_MAX, LEARNERS_MAX, Leaderboard, Ranked
from bot.periods import Period
from storage.models import (
    Evaluation,
    Member,
    MemberStatus,
)


def leaderboard(session: Session, period: Period) -> Leaderboard:
    """Teachers by hours taught and learners by hours learned in `period`."""
    return Leaderboard(
        teachers=_ranked(session, period, teaching=True, limit=LEADERBOARD_MAX),
        learners=_ranked(session, period, teaching=False, limit=LEARNERS_MAX),
    )


def _ranked(session: Session, period: Period, *, teaching: bool, limit: int) -> tuple[Ranked, ...]:
    """Opted-in members (not gone) by the hours they reported in the period as teachers
    (or learners) of the exchange evaluated: in a swap, the same hours count on both."""
    role = col(Evaluation.as_teacher) if teaching else col(Evaluation.as_learner)
    created = col(Evaluation.created_at)
    hours = func.sum(col(Evaluation.hours))
    rows = session.exec(
        select(col(Member.slack_id), col(Member.display_name), hours)
        .join(Evaluation, col(Evaluation.member_id) == col(Member.id))
        .where(
            col(Member.leaderboard).is_(True),
            Member.status != MemberStatus.LEFT,
            created >= period.since,
            created < period.until,
            role.is_(True),
        )
        .group_by(col(Member.id), col(Member.slack_id), col(Member.display_name))
        .having(hours > 0)
        .order_by(hours.desc(), col(Member.display_name), col(Member.slack_id))
        .limit(limit)
    ).all()
    return tuple(Ranked(slack_id, name, float(h)) for slack_id, name, h in rows)
