"""The managers' digest figures: counts and rates over a period, never an individual's
rating or comment."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from storage import repo
from storage.models import GoalMet, MemberStatus


@dataclass(frozen=True)
class DigestFigures:
    since: datetime
    until: datetime
    active: int
    paused: int
    new_members: int
    proposed: int
    held: int
    evaluations: int
    satisfaction_rate: float | None
    satisfaction_average: float | None
    goals_yes: float | None
    goals_partly: float | None
    hours: float


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def compute(session: Session, *, since: datetime, until: datetime) -> DigestFigures:
    """Figures for [since, until): satisfaction rate is the share of 4-5 out of 5; goals are
    counted over the evaluations that answered the goal question (learners')."""
    evaluations = repo.evaluations_between(session, since=since, until=until)
    ratings = [s for s, _, _ in evaluations]
    goals = [g for _, g, _ in evaluations if g is not None]
    return DigestFigures(
        since=since,
        until=until,
        active=repo.count_members(session, joined_before=until, status=MemberStatus.ACTIVE),
        paused=repo.count_members(session, joined_before=until, status=MemberStatus.PAUSED),
        new_members=repo.count_joined(session, since=since, until=until),
        proposed=repo.count_exchanges(session, column="created_at", since=since, until=until),
        held=repo.count_exchanges(session, column="held_at", since=since, until=until),
        evaluations=len(evaluations),
        satisfaction_rate=_share(sum(1 for s in ratings if s >= 4), len(ratings)),
        satisfaction_average=sum(ratings) / len(ratings) if ratings else None,
        goals_yes=_share(goals.count(GoalMet.YES), len(goals)),
        goals_partly=_share(goals.count(GoalMet.PARTLY), len(goals)),
        hours=sum(h for _, _, h in evaluations),
    )
