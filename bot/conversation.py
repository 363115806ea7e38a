"""What Rex understands in its DMs and when mentioned in a group DM. Slack-free: it decides
what an answer means for an exchange; the listener renders the reply. Free text is never
stored: only the answer understood from it."""

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from enum import StrEnum

from sqlmodel import Session, col, select

from bot import evaluations, exchanges, lifecycle
from bot.exchanges import ExchangeView
from bot.replies.intents import Expecting, Happened, Intent, NotYet, WontHappen
from storage import repo
from storage.models import (
    DueWork,
    EvaluationDraft,
    Exchange,
    ExchangeEvent,
    ExchangeState,
    WorkKind,
)

ANSWERED = (ExchangeState.EVALUATED, ExchangeState.CLOSED)


class Outcome(StrEnum):
    """What Rex did with an answer, for the listener to say."""

    MET = "met"  # recorded; offer the evaluation
    DISPUTED = "disputed"  # a partner said it happened, this member says it did not
    RESCHEDULE = "reschedule"  # offer to pick a new time
    CLOSED = "closed"  # the exchange is closed
    NOTHING_PENDING = "nothing_pending"  # an answer, but to no question
    GONE = "gone"  # the exchange is already over


@dataclass(frozen=True)
class Answer:
    outcome: Outcome
    exchange: ExchangeView | None = None
    said_met_by: str | None = None  # with DISPUTED: the Slack id of who said it happened


def pending_followup(session: Session, *, slack_id: str) -> ExchangeView | None:
    """The exchange Rex last asked this member "Did it happen?" about, while the question
    still stands (not evaluated by them, exchange not over)."""
    member = repo.get_member(session, slack_id=slack_id)
    if member is None or member.id is None:
        return None
    asked = session.exec(
        select(DueWork.exchange_id)
        .where(
            DueWork.member_id == member.id,
            col(DueWork.kind).in_((WorkKind.FOLLOWUP, WorkKind.FOLLOWUP_REMINDER)),
            col(DueWork.done_at).is_not(None),
            col(DueWork.last_error).is_(None),
        )
        .order_by(col(DueWork.done_at).desc())
        .limit(1)
    ).first()
    view = exchanges.load(session, exchange_id=asked) if asked is not None else None
    if (
        view is None
        or view.exchange.state in lifecycle.NEVER_HAPPENED
        or (view.exchange.state in ANSWERED)
    ):
        return None
    evaluated = repo.get_evaluation(
        session,
        exchange_id=view.id,
        member_id=member.id,
        session_number=view.exchange.session_number,
    )
    return None if evaluated is not None else view


def expecting(session: Session, view: ExchangeView | None, *, slack_id: str) -> Expecting:
    """What a reply answers: whether it happened, or (once this member said it did) the
    evaluation; when only a partner said so, both."""
    if view is None:
        return Expecting.NOTHING
    if view.exchange.state != ExchangeState.HELD:
        return Expecting.DID_IT_HAPPEN
    said = said_met_by(session, view)
    member = view.member_for(slack_id)
    if said is not None and member is not None and said != member.slack_id:
        return Expecting.HAPPENED_OR_EVALUATION
    return Expecting.EVALUATION


def said_met_by(session: Session, view: ExchangeView) -> str | None:
    """The Slack id of whoever recorded the current session as held, if a person did."""
    member_id = session.exec(
        select(ExchangeEvent.member_id)
        .where(
            ExchangeEvent.exchange_id == view.id,
            ExchangeEvent.to_state == ExchangeState.HELD,
        )
        .order_by(col(ExchangeEvent.id).desc())
        .limit(1)
    ).first()
    member = view.members.get(member_id) if member_id is not None else None
    return member.slack_id if member is not None else None


@dataclass(frozen=True)
class Typed:
    """What a typed rating or duration has made of the member's evaluation so far."""

    satisfaction: int | None
    hours: float | None
    recorded: bool


def record_typed(
    session: Session,
    view: ExchangeView,
    *,
    slack_id: str,
    now: datetime,
    satisfaction: int | None = None,
    hours: float | None = None,
    tz: tzinfo = UTC,
) -> Typed:
    """Keep a typed rating or duration; once both are known they become the evaluation
    (which the member can still correct in the modal)."""
    member = view.member_for(slack_id)
    assert member is not None and member.id is not None
    draft = session.exec(
        select(EvaluationDraft).where(
            EvaluationDraft.exchange_id == view.id,
            EvaluationDraft.member_id == member.id,
            EvaluationDraft.session_number == view.exchange.session_number,
        )
    ).first() or EvaluationDraft(
        exchange_id=view.id, member_id=member.id, session_number=view.exchange.session_number
    )
    draft.satisfaction = satisfaction or draft.satisfaction
    draft.hours = hours or draft.hours
    draft.updated_at = now
    session.add(draft)
    session.flush()
    if draft.satisfaction is None or draft.hours is None:
        return Typed(draft.satisfaction, draft.hours, recorded=False)
    evaluations.evaluate(
        session,
        exchange_id=view.id,
        slack_id=slack_id,
        satisfaction=draft.satisfaction,
        goal_met=None,
        hours=draft.hours,
        comment=None,
        now=now,
        tz=tz,
    )
    session.delete(draft)
    session.flush()
    return Typed(draft.satisfaction, draft.hours, recorded=True)


def exchange_in_channel(session: Session, *, channel_id: str) -> ExchangeView | None:
    """The exchange a group DM was opened for (Rex is only there for its exchanges)."""
    found = session.exec(
        select(Exchange.id)
        .where(Exchange.channel_id == channel_id)
        .order_by(col(Exchange.id).desc())
    ).first()
    return exchanges.load(session, exchange_id=found) if found is not None else None


def apply(
    session: Session, intent: Intent, *, view: ExchangeView | None, slack_id: str, now: datetime
) -> Answer | None:
    """Act on an answer about an exchange as its button would; None when the intent is not
    an answer (a command, a rating, something not understood)."""
    if not isinstance(intent, Happened | NotYet | WontHappen):
        return None
    if view is None:
        return Answer(Outcome.NOTHING_PENDING)
    said = said_met_by(session, view) if view.exchange.state == ExchangeState.HELD else None
    member = view.member_for(slack_id)
    disagrees = said is not None and said != slack_id and not isinstance(intent, Happened)
    if disagrees and member is not None:  # nothing moves; the disagreement is noted
        lifecycle.record_dispute(session, view.exchange, member_id=member.id, now=now)
        return Answer(Outcome.DISPUTED, view, said_met_by=said)
    try:
        if isinstance(intent, Happened):
            exchanges.mark_met(session, exchange_id=view.id, slack_id=slack_id, now=now)
            return Answer(Outcome.MET, view)
        if isinstance(intent, NotYet):
            return Answer(Outcome.RESCHEDULE, view)
        exchanges.wont_happen(session, exchange_id=view.id, slack_id=slack_id, now=now)
        return Answer(Outcome.CLOSED, view)
    except exchanges.ExchangeGone:
        return Answer(Outcome.GONE, view)
