"""What happened by period and by week: members, exchanges moved, sessions held, evaluations.

Each is one aggregate query over a grid of intervals (`Grid`: the periods' and the weeks'
cuts merged), so one pass of sums by interval adds up to both series, and its cost follows
the activity of those weeks, not the size of the history.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    exists,
    func,
    literal,
    or_,
    union_all,
)
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select  # select() is typed for up to four columns

from bot.digest.aggregates import case_when, complete_raters, interval_index, next_rater, rated
from bot.digest.model import SATISFIED
from bot.lifecycle import DISPUTED
from bot.periods import Period
from storage.models import (
    Evaluation,
    Exchange,
    ExchangeEvent,
    ExchangeState,
    GoalMet,
    Member,
    MemberStatus,
    Skill,
    SkillKind,
)

COUNTED_STATES = (
    ExchangeState.PROPOSED,
    ExchangeState.HELD,
    ExchangeState.EVALUATED,
    ExchangeState.DECLINED,
    ExchangeState.EXPIRED,
    DISPUTED,
)


@dataclass(frozen=True)
class MemberCounts:
    active: int = 0
    new: int = 0
    paused: int = 0
    left: int = 0
    incomplete: int = 0


def member_counts(session: Session, periods: Sequence[Period]) -> list[MemberCounts]:
    """Member counts at each period's end, in one pass over the members."""

    def has_skill(kind: SkillKind, until: datetime) -> ColumnElement[bool]:
        return exists().where(
            col(Skill.member_id) == col(Member.id),
            col(Skill.kind) == kind,
            col(Skill.created_at) < until,
        )

    columns: list[ColumnElement[Any]] = []
    for p in periods:
        joined = col(Member.joined_at) < p.until
        active = and_(
            joined,
            or_(
                col(Member.status) == MemberStatus.ACTIVE,
                and_(col(Member.status) == MemberStatus.LEFT, col(Member.left_at) >= p.until),
            ),
        )
        incomplete = and_(
            active,
            or_(~has_skill(SkillKind.TEACH, p.until), ~has_skill(SkillKind.LEARN, p.until)),
        )
        columns += [
            func.sum(case_when(active)),
            func.sum(case_when(and_(col(Member.joined_at) >= p.since, joined))),
            func.sum(case_when(and_(joined, col(Member.status) == MemberStatus.PAUSED))),
            func.sum(
                case_when(
                    and_(
                        col(Member.status) == MemberStatus.LEFT,
                        col(Member.left_at) >= p.since,
                        col(Member.left_at) < p.until,
                    )
                )
            ),
            func.sum(case_when(incomplete)),
        ]
    row: Sequence[Any] = session.exec(Select(*columns).select_from(Member)).one()
    values = [int(v or 0) for v in row]
    return [MemberCounts(*values[i * 5 : i * 5 + 5]) for i in range(len(periods))]


@dataclass(frozen=True)
class Grid:
    """The periods' and the weeks' cuts merged: each interval of the grid lies within one
    period (or none) and one week (or none), so one pass of sums by interval adds up to
    both series."""

    periods: Sequence[datetime]
    weeks: Sequence[datetime]

    @property
    def cuts(self) -> list[datetime]:
        return sorted({*self.periods, *self.weeks})

    def owners(self) -> list[tuple[int, int]]:
        """(period index, week index) of each interval, -1 where it lies outside them."""
        return [
            (_index(self.periods, start), _index(self.weeks, start)) for start in self.cuts[:-1]
        ]


def _index(cuts: Sequence[datetime], when: datetime) -> int:
    if not cuts[0] <= when < cuts[-1]:
        return -1
    return bisect_right(cuts, when) - 1


def state_counts(session: Session, grid: Grid) -> tuple[list[dict[str, int]], list[dict[str, int]]]:
    """Moves to each state by period and by week: one count per interval of the grid, each
    a range of the (state, time) index. An exchange is proposed, evaluated, declined or
    expired once, so these count exchanges; each session held is one move to held."""
    at = col(ExchangeEvent.at)
    state = col(ExchangeEvent.to_state)
    cuts = grid.cuts
    intervals = union_all(
        *(
            Select(literal(i).label("interval"), state.label("state"), func.count().label("n"))
            .where(state.in_(COUNTED_STATES), at >= start, at < end)
            .group_by(state)
            for i, (start, end) in enumerate(pairwise(cuts))
        )
    ).subquery()
    rows: Sequence[Any] = session.exec(Select(*intervals.c)).all()
    periods: list[dict[str, int]] = [{} for _ in grid.periods[1:]]
    weeks: list[dict[str, int]] = [{} for _ in grid.weeks[1:]]
    owners = grid.owners()
    for i, to, count in rows:
        for index, counts in zip(owners[i], (periods, weeks), strict=True):
            if index >= 0:
                counts[index][to] = counts[index].get(to, 0) + int(count)
    return periods, weeks


@dataclass
class EvaluationSums:
    """Additive sums over evaluations, so intervals add up."""

    count: int = 0
    rated: int = 0  # the evaluations behind the rating figures: all of them, but see below
    satisfied: int = 0
    rating: int = 0
    goals: int = 0
    goals_yes: int = 0
    goals_partly: int = 0
    hours: float = 0.0
    raters: frozenset[int] = frozenset()  # up to k of the people who evaluated
    goal_raters: frozenset[int] = frozenset()  # up to k of those who answered the goal

    def add(self, other: EvaluationSums) -> None:
        self.count += other.count
        self.rated += other.rated
        self.satisfied += other.satisfied
        self.rating += other.rating
        self.goals += other.goals
        self.goals_yes += other.goals_yes
        self.goals_partly += other.goals_partly
        self.hours += other.hours
        self.raters |= other.raters
        self.goal_raters |= other.goal_raters

    @property
    def satisfaction_rate(self) -> float | None:
        return rated(self.satisfied, self.rated, self.raters)


def evaluation_sums(
    session: Session, grid: Grid
) -> tuple[list[EvaluationSums], list[EvaluationSums]]:
    """Sums by period and by week: one aggregate per interval of the grid, each a range of
    the index on `created_at` (no sort of the evaluations, which SQLite's GROUP BY needs),
    with up to k of its evaluators and of its learners who answered the goal question."""
    created = col(Evaluation.created_at)
    satisfaction = col(Evaluation.satisfaction)
    goal = col(Evaluation.goal_met)
    member = col(Evaluation.member_id)
    learner = col(Evaluation.as_learner).is_(True)
    cuts = grid.cuts
    intervals = union_all(
        *(
            Select(
                literal(i).label("interval"),
                func.count().label("count"),
                func.sum(case_when(satisfaction >= SATISFIED)).label("satisfied"),
                func.sum(satisfaction).label("rating"),
                func.sum(case_when(goal.is_not(None))).label("goals"),
                func.sum(case_when(goal == GoalMet.YES)).label("yes"),
                func.sum(case_when(goal == GoalMet.PARTLY)).label("partly"),
                func.sum(case_when(learner, col(Evaluation.hours))).label("hours"),
                func.min(member),
                func.max(member),
                func.min(case((goal.is_not(None), member))),
                func.max(case((goal.is_not(None), member))),
            ).where(created >= start, created < end)
            for i, (start, end) in enumerate(pairwise(cuts))
        )
    ).subquery()
    rows: Sequence[Any] = session.exec(Select(*intervals.c)).all()
    # each interval's lowest and highest evaluator ids (and goal answerers'): when they are
    # the same person, or nobody, that is everyone; else walks look for a third
    raters = {(i, False): {low, high} - {None} for i, *_, low, high, _, _ in rows}
    raters |= {(i, True): {low, high} - {None} for i, *_, low, high in rows}
    goal_answered = col(Evaluation.goal_met).is_not(None)
    complete_raters(
        session,
        raters,
        lambda key, found: next_rater(
            cuts[key[0]], cuts[key[0] + 1], found, *([goal_answered] if key[1] else [])
        ),
        everyone={key for key, found in raters.items() if len(found) < 2},
    )
    periods = [EvaluationSums() for _ in grid.periods[1:]]
    weeks = [EvaluationSums() for _ in grid.weeks[1:]]
    owners = grid.owners()
    for i, count, satisfied, rating, goals, yes, partly, hours, *_ in rows:
        sums = EvaluationSums(
            int(count),
            int(count),
            int(satisfied or 0),
            int(rating or 0),
            int(goals or 0),
            int(yes or 0),
            int(partly or 0),
            float(hours or 0),
            frozenset(raters[i, False]),
            frozenset(raters[i, True]),
        )
        p, w = owners[i]
        if p >= 0:
            periods[p].add(sums)
        if w >= 0:
            weeks[w].add(sums)
    return periods, weeks


@dataclass(frozen=True)
class SessionsHeld:
    exchanges: int = 0
    sessions: int = 0
    asked: int = 0
    given: int = 0


def sessions_held(session: Session, cuts: Sequence[datetime]) -> list[SessionsHeld]:
    """Per interval: exchanges and sessions held, and evaluations asked (every participant
    of every session held) and given. The k-th move of an exchange to held is its session
    k, the number its evaluations carry. Per session, two counts read from indexes (its
    exchange's earlier sessions, its evaluations) and its exchange's row."""
    at = col(ExchangeEvent.at)
    exchange_id = col(ExchangeEvent.exchange_id)
    before = aliased(ExchangeEvent)
    number = (
        select(func.count())
        .select_from(before)
        .where(
            col(before.exchange_id) == exchange_id,
            col(before.to_state) == ExchangeState.HELD,
            or_(
                col(before.at) < at,
                and_(col(before.at) == at, col(before.id) <= col(ExchangeEvent.id)),
            ),
        )
        .scalar_subquery()
    )
    held = (
        Select(exchange_id.label("exchange_id"), at.label("at"), number.label("number"))
        .where(ExchangeEvent.to_state == ExchangeState.HELD, at >= cuts[0], at < cuts[-1])
        .subquery()
    )
    given = (
        select(func.count())
        .where(
            col(Evaluation.exchange_id) == held.c.exchange_id,
            col(Evaluation.session_number) == held.c.number,
        )
        .scalar_subquery()
    )
    bucket = interval_index(held.c.at, cuts).label("bucket")
    rows: Sequence[Any] = session.exec(
        Select(
            bucket,
            func.count(held.c.exchange_id.distinct()),
            func.count(),
            func.sum(col(Exchange.participants)),
            func.sum(given),
        )
        .select_from(held)
        .join(Exchange, col(Exchange.id) == held.c.exchange_id)
        .group_by(bucket)
    ).all()
    result = [SessionsHeld() for _ in cuts[1:]]
    for index, *counts in rows:
        result[index] = SessionsHeld(*(int(c or 0) for c in counts))
    return result
