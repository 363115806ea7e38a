"""`compute_digest`: every figure of the managers' digest for a period, in a few queries.

The entry point of `bot.digest`: it lays the period, the one before and the chart's weeks
on one grid of cuts, runs each aggregate once over it (`activity`, `skills`,
`leaderboard`) and assembles the `Digest`, applying the rule that a period of several
weeks rates only what its weekly digests already showed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.digest.activity import (
    EvaluationSums,
    Grid,
    MemberCounts,
    SessionsHeld,
    evaluation_sums,
    member_counts,
    sessions_held,
    state_counts,
)
from bot.digest.aggregates import rated
from bot.digest.leaderboard import leaderboard
from bot.digest.model import MIN_RATERS, WEEKS, Digest, Figures, Week
from bot.digest.skills import market_today, skill_quality
from bot.lifecycle import DISPUTED
from bot.periods import Period, weeks_of, whole_weeks
from storage.models import ExchangeState


def compute_digest(session: Session, *, period: Period) -> Digest:
    """Every figure of the digest for `period`, the previous period and the last WEEKS
    weeks up to the period's end, in eight aggregate queries whose cost follows the
    activity of those weeks, not the size of the history."""
    previous = period.previous()
    cuts = [previous.since, period.since, period.until]
    # the chart's weeks, and every week of both periods when they are whole weeks
    span = max(WEEKS, 2 * whole_weeks(period))
    weeks = [period.until - timedelta(weeks=span - i) for i in range(span + 1)]
    members = member_counts(session, (previous, period))
    grid = Grid(cuts, weeks)
    states, weekly_states = state_counts(session, grid)
    by_period, by_week = evaluation_sums(session, grid)
    held = sessions_held(session, cuts)
    market, labels = market_today(session)
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
    shows_ratings = figures[1].satisfaction_rate is not None
    skills = skill_quality(session, period, weeks, labels) if shows_ratings else ()
    return Digest(
        current=figures[1],
        previous=figures[0],
        market=market,
        skill_quality=skills,
        leaderboard=leaderboard(session, period),
        weekly=tuple(
            Week(
                start=weeks[i],
                proposed=weekly_states[i].get(ExchangeState.PROPOSED, 0),
                sessions=weekly_states[i].get(ExchangeState.HELD, 0),
                hours=by_week[i].hours,
                evaluations=by_week[i].count,
                satisfaction_rate=by_week[i].satisfaction_rate,
            )
            for i in range(span - WEEKS, span)
        ),
    )


def _from_published_weeks(
    sums: EvaluationSums, weeks: Sequence[EvaluationSums], period: Period, cuts: Sequence[datetime]
) -> EvaluationSums:
    """A period of several whole weeks rates only the weeks that had their own rating
    figure (or no evaluation): a week rated by one or two people shows none, and the
    period's figure minus the other weeks' would give it away. So a month's rating is
    what its weekly digests already showed, added up (likewise for goal answers)."""
    bounds = weeks_of(period, cuts)
    if not bounds:
        return sums
    first = cuts.index(bounds[0])
    inside = weeks[first : first + len(bounds) - 1]
    rated, answered = EvaluationSums(), EvaluationSums()
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


def _figures(
    period: Period,
    members: MemberCounts,
    states: dict[str, int],
    sums: EvaluationSums,
    held: SessionsHeld,
) -> Figures:
    return Figures(
        period=period,
        active=members.active,
        new=members.new,
        paused=members.paused,
        left=members.left,
        incomplete=members.incomplete,
        proposed=states.get(ExchangeState.PROPOSED, 0),
        held=held.exchanges,
        sessions=held.sessions,
        evaluated=states.get(ExchangeState.EVALUATED, 0),
        declined=states.get(ExchangeState.DECLINED, 0),
        expired=states.get(ExchangeState.EXPIRED, 0),
        disputed=states.get(DISPUTED, 0),
        hours=sums.hours,
        evaluations=sums.count,
        satisfaction_rate=sums.satisfaction_rate,
        satisfaction_average=rated(sums.rating, sums.rated, sums.raters),
        goals_yes=rated(sums.goals_yes, sums.goals, sums.goal_raters),
        goals_partly=rated(sums.goals_partly, sums.goals, sums.goal_raters),
        evaluations_asked=held.asked,
        evaluations_given=held.given,
    )
