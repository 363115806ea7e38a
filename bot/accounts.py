"""Slack's own lifecycle of people: an account deactivated leaves the pool at once."""

from datetime import datetime

from sqlmodel import Session

from bot import lifecycle, members, outbox
from storage import repo
from storage.models import MemberStatus


def deactivated(session: Session, *, slack_id: str, now: datetime) -> list[int]:
    """A Slack account was deactivated: its member leaves as with `leave` (their data stays,
    their past exchanges count), and their open exchanges close kindly: the others are told
    in the group DM when it was introduced already, and are back in the pool for the next
    round. Returns the exchanges closed."""
    member = repo.get_member(session, slack_id=slack_id)
    if member is None or member.id is None or member.status == MemberStatus.LEFT:
        return []
    still_open = [
        exchange
        for exchange in repo.exchanges_of(session, member_id=member.id)
        if exchange.state in lifecycle.OPEN and exchange.id is not None
    ]
    members.leave(session, slack_id=slack_id, now=now)
    for e in still_open:
        if e.channel_id and e.id is not None:
            outbox.owe_withdrawn(session, exchange_id=e.id, member_id=member.id, due_at=now)
    session.flush()
    return [e.id for e in still_open if e.id is not None]
