"""The managers' digest: what happened in a period, against the one before, in figures.

Slack-free; every figure is a SQL aggregate (GROUP BY, COUNT, SUM over CASE), so its cost
does not grow with Python loops over evaluations. Privacy rules:

- no comment and no individual rating is ever read: ratings are only summed and counted;
- a rating figure (satisfaction, goals) stands on the evaluations of at least `MIN_RATERS`
  different people (per skill, per week, per period), else it is None: one or two people
  would see their own rating given away, however many sessions they evaluated;
- periods are whole weeks, Monday 00:00 to Monday 00:00 where the managers are (`weeks_to`),
  so two digests never differ by an hour's evaluations; a period of several weeks shows no
  rating figure when one of its weeks was rated by one or two people (the period's figure
  minus the other weeks' would give them away); and the per-skill figures are dropped when
  the period's evaluations they leave out number one or two, for the same reason;
- only members who opted in (`Member.leaderboard`) are ever named, and never more than
  `LEADERBOARD_MAX` of them in the leaderboard.

Each evaluation records its author's roles in the exchange (`as_learner`, `as_teacher`:
both in a swap), whether it came from the form or was typed in a DM without the goal
question. Learning hours are the hours learners reported, with no join to the lessons; goal
shares are over the learners' goal answers.

Exchange counts come from `ExchangeEvent` times: an exchange is proposed, evaluated,
declined or expired once, and counts as held in a period when one of its sessions was held
then; `sessions` counts each session held (the weekly series counts sessions).

Member statuses have no history: `active` and `paused` are today's statuses of members who
had joined by the period's end, and a member who has left since counts as active back then.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo
from itertools import pairwise
from typing import Any, Literal, TypeVar

from sqlalchemy import (
    ColumnElement,
    Label,
    ScalarSelect,
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

from bot.lifecycle import DISPUTED
from bot.matching import key_of, match_labels
from storage.models import (
    Evaluation,
    Exchange,
    ExchangeEvent,
    ExchangeState,
    GoalMet,
    Lesson,
    Member,
    MemberStatus,
    Skill,
    SkillKind,
)

MIN_RATERS = 3  # k: evaluations from fewer people than this never make a rating figure
WEEKS = 12  # the weekly series (and chart) covers this many weeks
TOP_SKILLS = 5  # most offered / most requested
MARKET_LIST = 10  # orphan requests and idle offers shown (with the total)
SKILL_QUALITY_MAX = 10  # the most evaluated skills with enough evaluations
LEADERBOARD_MAX = 10  # teachers named
LEARNERS_MAX = 5  # learners named on their line
SATISFIED = 4  # a 4 or a 5 out of 5

S = ExchangeState
K = TypeVar("K")
COUNTED_STATES = (S.PROPOSED, S.HELD, S.EVALUATED, S.DECLINED, S.EXPIRED, DISPUTED)


@dataclass(frozen=True)
class Period:
    """The half-open interval [since, until) of aware datetimes."""

    since: datetime
    until: datetime

    def __post_init__(self) -> None:
        if self.since.tzinfo is None or self.until.tzinfo is None:
            raise ValueError("a period needs aware datetimes")
        if self.since >= self.until:
            raise ValueError("a period must end after it starts")

    @classmethod
    def weeks_to(cls, monday: date, *, weeks: int, tz: tzinfo) -> Period:
        """The `weeks` whole weeks before `monday` 00:00 in `tz` (wall-clock weeks, so a
        change of daylight saving time keeps the boundaries at midnight)."""
        until = datetime.combine(monday, time.min, tzinfo=tz)
        return cls(until - timedelta(weeks=weeks), until)

    @property
    def length(self) -> timedelta:
        return self.until - self.since

    def previous(self) -> Period:
        """The period of the same length just before, for trends."""
        return Period(self.since - self.length, self.since)


def last_monday(now: datetime, tz: tzinfo) -> date:
    """The Monday that began the current week in `tz`: the end of the last whole week."""
    today = now.astimezone(tz).date()
    return today - timedelta(days=today.weekday())


def week_closing(when: datetime, tz: tzinfo) -> datetime:
    """The Monday 00:00 in `tz` that ends the week holding `when`."""
    return datetime.combine(last_monday(when, tz) + timedelta(weeks=1), time.min, tzinfo=tz)


@dataclass(frozen=True)
class Figures:
    """A period's counts and rates; rates are None when too few answers stand behind them."""

    period: Period
    active: int
    new: int
    paused: int
    left: int
    incomplete: int  # active members with nothing to teach or nothing to learn
    proposed: int
    held: int  # exchanges that held a session
    sessions: int  # sessions held (an exchange's further session counts again)
    evaluated: int
    declined: int
    expired: int
    hours: float  # learning hours: what learners reported
    evaluations: int
    satisfaction_rate: float | None  # share of 4-5 out of 5
    satisfaction_average: float | None
    goals_yes: float | None  # shares of learners' goal answers
    goals_partly: float | None
    evaluations_asked: int  # participants of the sessions held in the period
    evaluations_given: int  # how many of those have evaluated (to this day)
    disputed: int = 0  # "not yet" answers after a partner said it happened (never who)

    @property
    def response_rate(self) -> float | None:
        return _share(self.evaluations_given, self.evaluations_asked)

    @property
    def quiet(self) -> bool:
        """Nothing happened: no one joined or left, no exchange moved, nobody evaluated."""
        return not (
            self.new
            or self.left
            or self.proposed
            or self.held
            or self.declined
            or self.expired
            or self.evaluations
        )


TrendFigure = Literal[
    "active",
    "new",
    "paused",
    "left",
    "incomplete",
    "proposed",
    "held",
    "sessions",
    "evaluated",
    "declined",
    "expired",
    "hours",
    "evaluations",
    "satisfaction_rate",
    "satisfaction_average",
    "goals_yes",
    "goals_partly",
    "response_rate",
]


@dataclass(frozen=True)
class Trend:
    current: float | None
    previous: float | None

    @property
    def delta(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous

    @property
    def direction(self) -> Literal[-1, 0, 1]:
        """1 for ▲, -1 for ▼, 0 when unchanged or not comparable."""
        delta = self.delta
        if not delta:
            return 0
        return 1 if delta > 0 else -1


@dataclass(frozen=True)
class SkillCount:
    """A skill (members' wordings grouped by normalised form) and how many members."""

    label: str  # the wording most members used
    normalized: str
    members: int


@dataclass(frozen=True)
class Market:
    """Today's offer and demand among active members."""

    offered: tuple[SkillCount, ...] = ()
    requested: tuple[SkillCount, ...] = ()
    orphans: tuple[SkillCount, ...] = ()  # wanted, nobody teaches: teachers to recruit
    orphan_total: int = 0
    idle: tuple[SkillCount, ...] = ()  # taught, nobody wants
    idle_total: int = 0


@dataclass(frozen=True)
class SkillQuality:
    label: str
    normalized: str
    evaluations: int  # from MIN_RATERS people at least
    satisfaction_rate: float
    satisfaction_average: float


@dataclass(frozen=True)
class Ranked:
    slack_id: str
    display_name: str
    hours: float


@dataclass(frozen=True)
class Leaderboard:
    """Opted-in members only: teachers by hours taught, learners by hours learned."""

    teachers: tuple[Ranked, ...] = ()
    learners: tuple[Ranked, ...] = ()


@dataclass(frozen=True)
class Week:
    start: datetime
    proposed: int
    sessions: int  # sessions held
    hours: float
    evaluations: int
    satisfaction_rate: float | None


@dataclass(frozen=True)
class Digest:
    current: Figures
    previous: Figures
    market: Market
    skill_quality: tuple[SkillQuality, ...]
    leaderboard: Leaderboard
    weekly: tuple[Week, ...]

    @property
    def period(self) -> Period:
        return self.current.period

    def trend(self, figure: TrendFigure) -> Trend:
        current: float | None = getattr(self.current, figure)
        previous: float | None = getattr(self.previous, figure)
        return Trend(current, previous)


def compute_digest(session: Session, *, period: Period) -> Digest:
    """Every figure of the digest for `period`, the previous period and the last WEEKS
    weeks up to the period's end, in eight aggregate queries whose cost follows the
    activity of those weeks, not the size of the history."""
    previous = period.previous()
    cuts = [previous.since, period.since, period.until]
    # the chart's weeks, and every week of both periods when they are whole weeks
    span = max(WEEKS, 2 * _whole_weeks(period))
    weeks = [period.until - timedelta(weeks=span - i) for i in range(span + 1)]
    members = _member_figures(session, (previous, period))
    grid = _Grid(cuts, weeks)
    states, weekly_states = _state_counts(session, grid)
    by_period, by_week = _evaluation_sums(session, grid)
    held = _held_sessions(session, cuts)
    market, labels = _market(session)
    figures = [
        _figures(
            p,
            members[i],
            states[i],
            _from_published_weeks(by_period[i], by_week, p, weeks),
            held[i],
        )
        for i, p in enumerate((previous, period))
    ]
    rated = figures[1].satisfaction_rate is not None
    skills = _skill_quality(session, period, weeks, labels) if rated else ()
    return Digest(
        current=figures[1],
        previous=figures[0],
        market=market,
        skill_quality=skills,
        leaderboard=Leaderboard(
            teachers=_ranked(session, period, teaching=True, limit=LEADERBOARD_MAX),
            learners=_ranked(session, period, teaching=False, limit=LEARNERS_MAX),
        ),
        weekly=tuple(
            Week(
                start=weeks[i],
                proposed=weekly_states[i].get(S.PROPOSED, 0),
                sessions=weekly_states[i].get(S.HELD, 0),
                hours=by_week[i].hours,
                evaluations=by_week[i].count,
                satisfaction_rate=by_week[i].satisfaction_rate,
            )
            for i in range(span - WEEKS, span)
        ),
    )


def _whole_weeks(period: Period) -> int:
    """How many weeks `period` lasts, 0 when it is not whole weeks."""
    weeks, rest = divmod(period.length, timedelta(weeks=1))
    return 0 if rest else weeks


def _weeks_of(period: Period, cuts: Sequence[datetime]) -> list[datetime]:
    """The week cuts from `period`'s start to its end, when it lasts two whole weeks or
    more and `cuts` cover it; else none (a one-week period is its own week)."""
    bounds = [cut for cut in cuts if period.since <= cut <= period.until]
    weeks = _whole_weeks(period)
    return bounds if weeks >= 2 and len(bounds) == weeks + 1 else []


def _from_published_weeks(
    sums: _Sums, weeks: Sequence[_Sums], period: Period, cuts: Sequence[datetime]
) -> _Sums:
    """A period of several whole weeks rates only the weeks that had their own rating
    figure (or no evaluation): a week rated by one or two people shows none, and the
    period's figure minus the other weeks' would give it away. So a month's rating is
    what its weekly digests already showed, added up (likewise for goal answers)."""
    bounds = _weeks_of(period, cuts)
    if not bounds:
        return sums
    first = cuts.index(bounds[0])
    inside = weeks[first : first + len(bounds) - 1]
    rated, answered = _Sums(), _Sums()
    for week in inside:
        if not 0 < len(week.raters) < MIN_RATERS:
            rated.add(week)
        if not 0 < len(week.goal_raters) < MIN_RATERS:
            answered.add(week)
    return replace(
        sums,
        rated=rated.rated,
        satisfied=rated.satisfied,
        rating=rated.rating,
        raters=rated.raters,
        goals=answered.goals,
        goals_yes=answered.goals_yes,
        goals_partly=answered.goals_partly,
        goal_raters=answered.goal_raters,
    )


def _share(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def _rated(part: float, whole: int, raters: frozenset[int]) -> float | None:
    """A rating figure, only when the evaluations of at least k people stand behind it."""
    return part / whole if whole and len(raters) >= MIN_RATERS else None


def _bucket(column: Any, cuts: Sequence[datetime]) -> ColumnElement[int]:
    """Which interval [cuts[i], cuts[i + 1]) holds `column`, for rows already kept within
    [cuts[0], cuts[-1]) (at least three cuts)."""
    return case(*((column < cut, i) for i, cut in enumerate(cuts[1:-1])), else_=len(cuts) - 2)


def _when(condition: ColumnElement[bool], value: Any = 1) -> ColumnElement[Any]:
    return case((condition, value), else_=0)


@dataclass(frozen=True)
class _Members:
    active: int = 0
    new: int = 0
    paused: int = 0
    left: int = 0
    incomplete: int = 0


def _member_figures(session: Session, periods: Sequence[Period]) -> list[_Members]:
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
            func.sum(_when(active)),
            func.sum(_when(and_(col(Member.joined_at) >= p.since, joined))),
            func.sum(_when(and_(joined, col(Member.status) == MemberStatus.PAUSED))),
            func.sum(
                _when(
                    and_(
                        col(Member.status) == MemberStatus.LEFT,
                        col(Member.left_at) >= p.since,
                        col(Member.left_at) < p.until,
                    )
                )
            ),
            func.sum(_when(incomplete)),
        ]
    row: Sequence[Any] = session.exec(Select(*columns).select_from(Member)).one()
    values = [int(v or 0) for v in row]
    return [_Members(*values[i * 5 : i * 5 + 5]) for i in range(len(periods))]


@dataclass(frozen=True)
class _Grid:
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


def _state_counts(
    session: Session, grid: _Grid
) -> tuple[list[dict[str, int]], list[dict[str, int]]]:
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
class _Sums:
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

    def add(self, other: _Sums) -> None:
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
        return _rated(self.satisfied, self.rated, self.raters)


def _next_rater(
    start: datetime, end: datetime, found: set[Any], *conditions: ColumnElement[bool]
) -> ScalarSelect[Any]:
    """Someone else than `found` who evaluated in [start, end): a walk of the index on
    `created_at` that stops at the first such row (never a scan of the table)."""
    created, member = col(Evaluation.created_at), col(Evaluation.member_id)
    return (
        select(member)
        .where(created >= start, created < end, member.not_in(found), *conditions)
        .order_by(created)
        .limit(1)
        .scalar_subquery()
    )


def _complete_raters(
    session: Session,
    raters: dict[K, set[Any]],
    walk: Callable[[K, set[Any]], ScalarSelect[Any]],
    *,
    everyone: set[K],
) -> None:
    """Grow each set of evaluators up to k people, one `walk` (`_next_rater`) per set
    still short in each round trip; `everyone` holds the keys of sets already known to
    hold all their people. Enough to tell whether k people stand behind a figure, and
    sets of intervals, united, tell it for their union too."""
    while short := [
        k for k, found in raters.items() if k not in everyone and len(found) < MIN_RATERS
    ]:
        found: Sequence[Any] = session.exec(Select(*(walk(k, raters[k]) for k in short))).one()
        for key, person in zip(short, found, strict=True):
            if person is None:
                everyone.add(key)
            else:
                raters[key].add(person)


def _evaluation_sums(session: Session, grid: _Grid) -> tuple[list[_Sums], list[_Sums]]:
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
                func.sum(_when(satisfaction >= SATISFIED)).label("satisfied"),
                func.sum(satisfaction).label("rating"),
                func.sum(_when(goal.is_not(None))).label("goals"),
                func.sum(_when(goal == GoalMet.YES)).label("yes"),
                func.sum(_when(goal == GoalMet.PARTLY)).label("partly"),
                func.sum(_when(learner, col(Evaluation.hours))).label("hours"),
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
    _complete_raters(
        session,
        raters,
        lambda key, found: _next_rater(
            cuts[key[0]], cuts[key[0] + 1], found, *([goal_answered] if key[1] else [])
        ),
        everyone={key for key, found in raters.items() if len(found) < 2},
    )
    periods = [_Sums() for _ in grid.periods[1:]]
    weeks = [_Sums() for _ in grid.weeks[1:]]
    owners = grid.owners()
    for i, count, satisfied, rating, goals, yes, partly, hours, *_ in rows:
        sums = _Sums(
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
class _Held:
    exchanges: int = 0
    sessions: int = 0
    asked: int = 0
    given: int = 0


def _held_sessions(session: Session, cuts: Sequence[datetime]) -> list[_Held]:
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
            col(before.to_state) == S.HELD,
            or_(
                col(before.at) < at,
                and_(col(before.at) == at, col(before.id) <= col(ExchangeEvent.id)),
            ),
        )
        .scalar_subquery()
    )
    held = (
        Select(exchange_id.label("exchange_id"), at.label("at"), number.label("number"))
        .where(ExchangeEvent.to_state == S.HELD, at >= cuts[0], at < cuts[-1])
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
    bucket = _bucket(held.c.at, cuts).label("bucket")
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
    result = [_Held() for _ in cuts[1:]]
    for index, *counts in rows:
        result[index] = _Held(*(int(c or 0) for c in counts))
    return result


def _figures(
    period: Period,
    members: _Members,
    states: dict[str, int],
    sums: _Sums,
    held: _Held,
) -> Figures:
    return Figures(
        period=period,
        active=members.active,
        new=members.new,
        paused=members.paused,
        left=members.left,
        incomplete=members.incomplete,
        proposed=states.get(S.PROPOSED, 0),
        held=held.exchanges,
        sessions=held.sessions,
        evaluated=states.get(S.EVALUATED, 0),
        declined=states.get(S.DECLINED, 0),
        expired=states.get(S.EXPIRED, 0),
        disputed=states.get(DISPUTED, 0),
        hours=sums.hours,
        evaluations=sums.count,
        satisfaction_rate=sums.satisfaction_rate,
        satisfaction_average=_rated(sums.rating, sums.rated, sums.raters),
        goals_yes=_rated(sums.goals_yes, sums.goals, sums.goal_raters),
        goals_partly=_rated(sums.goals_partly, sums.goals, sums.goal_raters),
        evaluations_asked=held.asked,
        evaluations_given=held.given,
    )


def _skill_counts(rows: Iterable[tuple[str, str, int]]) -> list[SkillCount]:
    """(normalized, label, members) rows grouped by the label's normalised form under
    today's vocabulary (a form stored by an older one may have split a skill), most
    members first; a member has one wording per form, so the counts add up."""
    groups: dict[str, tuple[int, list[tuple[int, str]]]] = {}
    for _, label, members in rows:
        normalized = key_of(label)
        total, wordings = groups.setdefault(normalized, (0, []))
        wordings.append((-members, label))
        groups[normalized] = (total + members, wordings)
    counts = [
        SkillCount(label=min(wordings)[1], normalized=normalized, members=total)
        for normalized, (total, wordings) in groups.items()
    ]
    counts.sort(key=lambda s: (-s.members, s.label.casefold(), s.normalized))
    return counts


def _market(session: Session) -> tuple[Market, dict[str, str]]:
    """Offer and demand among active members, and each normalised form's usual wording."""
    rows = session.exec(
        select(
            col(Skill.kind),
            col(Skill.normalized),
            col(Skill.label),
            func.count(col(Skill.member_id).distinct()),
        )
        .join(Member, col(Member.id) == col(Skill.member_id))
        .where(Member.status == MemberStatus.ACTIVE)
        .group_by(col(Skill.kind), col(Skill.normalized), col(Skill.label))
    ).all()
    offered = _skill_counts((n, label, int(c)) for k, n, label, c in rows if k == SkillKind.TEACH)
    requested = _skill_counts((n, label, int(c)) for k, n, label, c in rows if k == SkillKind.LEARN)
    pairs = match_labels([s.label for s in offered], [s.label for s in requested])
    served = {j for _, j, _ in pairs}
    wanted = {i for i, _, _ in pairs}
    orphans = [s for j, s in enumerate(requested) if j not in served]
    idle = [s for i, s in enumerate(offered) if i not in wanted]
    labels = {normalized: label for _, normalized, label, _ in rows}
    labels.update({s.normalized: s.label for s in (*requested, *offered)})
    market = Market(
        offered=tuple(offered[:TOP_SKILLS]),
        requested=tuple(requested[:TOP_SKILLS]),
        orphans=tuple(orphans[:MARKET_LIST]),
        orphan_total=len(orphans),
        idle=tuple(idle[:MARKET_LIST]),
        idle_total=len(idle),
    )
    return market, labels


def _with_learned_skill(statement: Select[Any]) -> Select[Any]:
    """`statement` over evaluations, joined to the lesson their author learned in (a
    teacher's evaluation has none): its `teach_key` is the skill."""
    return statement.select_from(Evaluation).join(
        Lesson,
        and_(
            col(Lesson.exchange_id) == col(Evaluation.exchange_id),
            # + 0: SQLite, which has no statistics, would otherwise look up the learner's
            # every lesson for each evaluation, not the exchange's few
            col(Lesson.learner_id) + 0 == col(Evaluation.member_id),
        ),
    )


def _skill_quality(
    session: Session, period: Period, weeks: Sequence[datetime], labels: dict[str, str]
) -> tuple[SkillQuality, ...]:
    """How satisfied the learners of each skill were in the period (a skill: the lesson's
    `teach_key`), only for skills with the evaluations of at least k people behind them,
    and, over several weeks, none of whose weeks had one or two (the period's line minus
    the weekly digests' would give that week away); then less the least evaluated while
    the period's evaluations they leave out come from one or two people."""
    created = col(Evaluation.created_at)
    satisfaction = col(Evaluation.satisfaction)
    skill: Label[str] = col(Lesson.teach_key).label("skill")
    distinct = func.count(col(Evaluation.id).distinct())
    raters = func.count(col(Evaluation.member_id).distinct())
    in_period = and_(created >= period.since, created < period.until)
    lonely = _skills_with_a_lonely_week(session, period, weeks)
    rows: Sequence[Any] = session.exec(
        _with_learned_skill(
            Select(
                skill,
                func.min(col(Lesson.teach_label)),
                distinct,
                func.count(),
                func.sum(_when(satisfaction >= SATISFIED)),
                func.sum(satisfaction),
            )
        )
        .where(in_period, col(Lesson.teach_key).not_in(lonely))
        .group_by(skill)
        .having(raters >= MIN_RATERS)
        .order_by(distinct.desc(), skill)
        .limit(SKILL_QUALITY_MAX)
    ).all()
    skills = [
        SkillQuality(
            label=labels.get(key, wording),
            normalized=key,
            evaluations=int(n),
            satisfaction_rate=int(satisfied) / int(answers),
            satisfaction_average=int(total) / int(answers),
        )
        for key, wording, n, answers, satisfied, total in rows
    ]
    while skills and 0 < _raters_left_out(session, period, skills) < MIN_RATERS:
        skills.pop()
    return tuple(skills)


def _skills_with_a_lonely_week(
    session: Session, period: Period, weeks: Sequence[datetime]
) -> list[str]:
    """Over several whole weeks, the skills one of whose weeks was rated by one or two
    people."""
    inside = _weeks_of(period, weeks)
    if not inside:
        return []
    created = col(Evaluation.created_at)
    skill: Label[str] = col(Lesson.teach_key).label("skill")
    week = _bucket(created, inside).label("week")
    raters = func.count(col(Evaluation.member_id).distinct())
    rows: Sequence[Any] = session.exec(
        _with_learned_skill(Select(skill, week))
        .where(created >= period.since, created < period.until)
        .group_by(skill, week)
        .having(raters < MIN_RATERS)
    ).all()
    return sorted({str(key) for key, _ in rows})


def _raters_left_out(session: Session, period: Period, skills: Sequence[SkillQuality]) -> int:
    """How many people (up to k) wrote the period's evaluations that no skill line counts:
    teachers', and learners' of the other skills."""
    counted = exists().where(
        col(Lesson.exchange_id) == col(Evaluation.exchange_id),
        col(Lesson.learner_id) == col(Evaluation.member_id),
        col(Lesson.teach_key).in_([s.normalized for s in skills]),
    )
    raters: dict[None, set[Any]] = {None: set()}
    _complete_raters(
        session,
        raters,
        lambda _, found: _next_rater(period.since, period.until, found, ~counted),
        everyone=set(),
    )
    return len(raters[None])


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
