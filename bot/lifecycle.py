"""The exchange state machine: which moves are allowed, and a stored event for each.

proposed → scheduled → held → evaluated, with declined, expired and cancelled as the other
ways out, and closed for one that ended without every evaluation. Rescheduling is
scheduled → scheduled; a further session after a held one goes held → scheduled. Every move
is written as an `ExchangeEvent` with its time and author.
"""

from datetime import datetime
from typing import Final

from sqlmodel import Session

from bot import outbox
from storage.models import OPEN_STATES, Exchange, ExchangeEvent, ExchangeState

S = ExchangeState
ALLOWED: Final[dict[ExchangeState, frozenset[ExchangeState]]] = {
    S.PENDING: frozenset({S.PROPOSED, S.CANCELLED}),
    S.PROPOSED: frozenset({S.SCHEDULED, S.HELD, S.DECLINED, S.EXPIRED, S.CANCELLED, S.CLOSED}),
    S.SCHEDULED: frozenset({S.SCHEDULED, S.HELD, S.DECLINED, S.CANCELLED, S.CLOSED}),
    S.HELD: frozenset({S.SCHEDULED, S.EVALUATED, S.CANCELLED, S.CLOSED}),
    S.EVALUATED: frozenset(),
    S.CLOSED: frozenset(),
    S.DECLINED: frozenset(),
    S.EXPIRED: frozenset(),
    S.CANCELLED: frozenset(),
}
OPEN: Final = OPEN_STATES
# Ends that mean it never happened: nothing more is sent for such an exchange.
NEVER_HAPPENED: Final = frozenset({S.DECLINED, S.EXPIRED, S.CANCELLED})


# Not a state: an event saying that a participant answered "not yet" or "it didn't
# happen" after a partner had said it happened. Nothing moves; the digest counts them.
DISPUTED: Final = "disputed"


def record_dispute(
    session: Session, exchange: Exchange, *, member_id: int | None, now: datetime
) -> None:
    """Note that someone disagrees that the exchange's session took place."""
    _record(session, exchange, DISPUTED, now=now, member_id=member_id)
    session.flush()


def _record(
    session: Session,
    exchange: Exchange,
    to: str,
    *,
    now: datetime,
    member_id: int | None,
    reason: str | None = None,
) -> None:
    """The event of a move (or of a dispute), with its author and time."""
    assert exchange.id is not None
    session.add(
        ExchangeEvent(
            exchange_id=exchange.id,
            from_state=exchange.state,
            to_state=to,
            member_id=member_id,
            at=now,
            reason=reason,
        )
    )


class IllegalMove(Exception):
    """The exchange cannot go there from where it is (it is closed, or already there)."""


def can_move(exchange: Exchange, to: ExchangeState) -> bool:
    return to in ALLOWED[ExchangeState(exchange.state)]


def move(
    session: Session,
    exchange: Exchange,
    to: ExchangeState,
    *,
    now: datetime,
    member_id: int | None = None,
    reason: str | None = None,
) -> None:
    """Move the exchange to `to`, stamping held/closed times and recording the event."""
    if not can_move(exchange, to):
        raise IllegalMove(f"{exchange.state} -> {to}")
    _record(session, exchange, to, now=now, member_id=member_id, reason=reason)
    if _session_called_off(exchange, to, now):
        # the .ics people put in their calendars is withdrawn (METHOD:CANCEL, same UID)
        assert exchange.id is not None
        outbox.owe_uninvite(
            session,
            exchange_id=exchange.id,
            version=outbox.SessionVersion(sequence=exchange.invitation_sequence),
            due_at=now,
        )
    exchange.state = to
    if to == S.HELD and exchange.held_at is None:
        exchange.held_at = now
    if not ALLOWED[to]:
        exchange.closed_at = now
    session.add(exchange)


def _session_called_off(exchange: Exchange, to: ExchangeState, now: datetime) -> bool:
    """A scheduled session still to come that this move means will not happen."""
    return (
        exchange.state == S.SCHEDULED
        and to in NEVER_HAPPENED
        and exchange.scheduled_at is not None
        and exchange.scheduled_at > now
        and exchange.channel_id is not None
    )


def created(session: Session, exchange: Exchange, *, now: datetime) -> None:
    """The first event of every exchange (proposed, or pending a manager's approval)."""
    assert exchange.id is not None
    session.add(ExchangeEvent(exchange_id=exchange.id, to_state=exchange.state, at=now))
