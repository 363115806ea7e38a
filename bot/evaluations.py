"""Evaluations: each participant's word, after a session, on how it went.

They are the a-posteriori evaluation the network is measured by (satisfaction, goal met,
hours); only their aggregates reach the managers. Slack-free."""

from datetime import UTC, datetime, tzinfo

from sqlmodel import Session

from bot import exchanges, lifecycle
from bot.periods import week_closing
from bot.replies.intents import MAX_HOURS
from bot.text import InvalidInput
from storage import repo
from storage.models import Evaluation, ExchangeState, GoalMet, WorkKind


def evaluate(
    session: Session,
    *,
    exchange_id: int,
    slack_id: str,
    satisfaction: int,
    goal_met: GoalMet | None,
    hours: float,
    comment: str | None,
    now: datetime,
    useful: GoalMet | None = None,
    another_session: bool = False,
    tz: tzinfo = UTC,
) -> bool:
    """Store one participant's evaluation of the current session; False when it corrected
    one they had already given, which they may until the end of its week in `tz` (the
    managers' weeks: a week's published figures never change, or the change would give
    the rating away). An evaluation is also the word that the session happened. Once all
    have evaluated and nobody wants another session, the exchange is evaluated; hours of
    further sessions add up."""
    if not 1 <= satisfaction <= 5:
        raise InvalidInput("error.generic")
    if not 0 <= hours <= MAX_HOURS:
        raise InvalidInput("error.hours", max=int(MAX_HOURS))
    view, member = exchanges.participant(session, exchange_id=exchange_id, slack_id=slack_id)
    assert member.id is not None
    number = view.exchange.session_number
    existing = repo.get_evaluation(
        session, exchange_id=exchange_id, member_id=member.id, session_number=number
    )
    if existing is not None:  # a correction: the same session's evaluation, updated
        if now >= week_closing(existing.created_at, tz):
            raise InvalidInput("error.evaluation_closed")
        existing.satisfaction, existing.hours = satisfaction, hours
        existing.goal_met = goal_met if view.learns(member.id) else None
        existing.useful = useful if view.teaches(member.id) else None
        existing.as_learner, existing.as_teacher = view.learns(member.id), view.teaches(member.id)
        existing.another_session = another_session
        existing.comment = (comment or "").strip()[:2000] or existing.comment
        session.add(existing)
        session.flush()
        return False
    if view.exchange.state in lifecycle.NEVER_HAPPENED:
        raise exchanges.ExchangeGone("exchange.closed")
    if view.exchange.state in lifecycle.OPEN:
        exchanges.move(session, view, ExchangeState.HELD, now=now, member=member)
    session.add(
        Evaluation(
            exchange_id=exchange_id,
            member_id=member.id,
            session_number=number,
            satisfaction=satisfaction,
            goal_met=goal_met if view.learns(member.id) else None,
            useful=useful if view.teaches(member.id) else None,
            as_learner=view.learns(member.id),
            as_teacher=view.teaches(member.id),
            another_session=another_session,
            hours=hours,
            comment=(comment or "").strip()[:2000] or None,
            created_at=now,
        )
    )
    session.flush()
    given = repo.evaluations_of(session, exchange_id=exchange_id, session_number=number)
    everyone = set(repo.participant_ids(view.lessons))
    if (
        everyone <= {e.member_id for e in given}
        and not any(e.another_session for e in given)
        and lifecycle.can_move(view.exchange, ExchangeState.EVALUATED)
    ):
        lifecycle.move(
            session, view.exchange, ExchangeState.EVALUATED, now=now, member_id=member.id
        )
        exchanges.settle_work(
            session, exchange_id, now=now, kinds=(WorkKind.FOLLOWUP_REMINDER, WorkKind.CLOSE)
        )
        session.flush()
    return True
