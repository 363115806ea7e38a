"""The managers' digest figures: counts and rates over a period, never an individual's
rating or comment."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.matching import match_labels
from storage import repo
from storage.models import GoalMet, MemberStatus, SkillKind


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


@dataclass(frozen=True)
class Market:
    """What the network offers and asks for: (skill as most people type it, members)."""

    offered: list[tuple[str, int]]
    requested: list[tuple[str, int]]
    orphans: list[tuple[str, int]]  # wanted, and no active member teaches it: recruit!


def market(session: Session, *, limit: int = 5) -> Market:
    """Top offered and requested skills among active members, and the requests nobody can
    teach (decided by the same matching rounds use)."""
    teach: Counter[str] = Counter()
    learn: Counter[str] = Counter()
    wording: dict[str, Counter[str]] = {}
    for _, skills in repo.active_members_with_skills(session):
        for skill in skills:
            (teach if skill.kind == SkillKind.TEACH else learn)[skill.normalized] += 1
            wording.setdefault(skill.normalized, Counter())[skill.label] += 1

    def shown(key: str) -> str:
        return wording[key].most_common(1)[0][0]

    wanted = list(learn)
    pairs = match_labels([shown(k) for k in teach], [shown(k) for k in wanted])
    matched = {wanted[j] for _, j, _ in pairs}

    def top(counts: Counter[str], keys: set[str] | None = None) -> list[tuple[str, int]]:
        ranked = sorted(((-n, key) for key, n in counts.items() if keys is None or key in keys))
        return [(shown(key), -n) for n, key in ranked[:limit]]

    return Market(top(teach), top(learn), top(learn, set(wanted) - matched))


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
