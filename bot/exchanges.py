"""An exchange and its moves: people meet, decline, schedule, report a problem; it expires or
closes when nobody acts. Rounds (`bot.rounds`) create exchanges and `bot.evaluations` records how
they went. Slack-free: the messages they owe are rows the outbox sends."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot import lifecycle, outbox
from bot.i18n.l10n import group_languages
from bot.text import InvalidInput
from storage import repo
from storage.models import (
    Exchange,
    ExchangeState,
    Lesson,
    Member,
    MemberStatus,
    WorkKind,
)

# Introductions in a row left to expire before Rex pauses someone and asks what they want.
AUTO_PAUSE_AFTER = 3
# An unanswered follow-up gets one reminder after these days; the exchange closes after those.
FOLLOWUP_REMINDER_DAYS = 3
FOLLOWUP_CLOSE_DAYS = 7
# Everything an exchange may still owe people, dropped when it ends.
PENDING_KINDS = (
    WorkKind.FOLLOWUP,
    WorkKind.FOLLOWUP_REMINDER,
    WorkKind.CLOSE,
    WorkKind.NUDGE,
    WorkKind.EXPIRE,
    WorkKind.REMINDER,
)


@dataclass(frozen=True)
class ExchangeView:
    """An exchange with its lessons and people, as the messages need it."""

    exchange: Exchange
    lessons: list[Lesson]
    members: dict[int, Member]

    @property
    def id(self) -> int:
        assert self.exchange.id is not None
        return self.exchange.id

    def participants(self) -> list[Member]:
        """Its people, in the order of their lessons (teachers first, as the intro reads)."""
        return [self.members[i] for i in repo.participant_ids(self.lessons)]

    def languages(self) -> tuple[str, ...]:
        """What its group DM is written in: each of its people's languages, once."""
        return group_languages(self.members.values())

    def slack_ids(self) -> list[str]:
        return [member.slack_id for member in self.participants()]

    def member_for(self, slack_id: str) -> Member | None:
        return next((m for m in self.members.values() if m.slack_id == slack_id), None)

    def learns(self, member_id: int) -> bool:
        return any(lesson.learner_id == member_id for lesson in self.lessons)

    def teaches(self, member_id: int) -> bool:
        return any(lesson.teacher_id == member_id for lesson in self.lessons)


class ExchangeGone(Exception):
    """The exchange does not exist, is closed, or the person is not part of it."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def load(session: Session, *, exchange_id: int, lock: bool = False) -> ExchangeView | None:
    exchange = repo.get_exchange(session, exchange_id=exchange_id, lock=lock)
    if exchange is None:
        return None
    lessons = repo.lessons_of(session, exchange_id=exchange_id)
    members = repo.get_members(session, ids=repo.participant_ids(lessons))
    return ExchangeView(exchange, lessons, members)


def history_of(
    session: Session, *, member_id: int
) -> tuple[list[ExchangeView], list[ExchangeView]]:
    """A member's open exchanges and past ones, newest first."""
    views = [
        view
        for exchange in reversed(repo.exchanges_of(session, member_id=member_id))
        if exchange.id is not None and (view := load(session, exchange_id=exchange.id))
    ]
    is_open = [bool(lifecycle.ALLOWED[ExchangeState(v.exchange.state)]) for v in views]
    return (
        [v for v, o in zip(views, is_open, strict=True) if o],
        [v for v, o in zip(views, is_open, strict=True) if not o],
    )


def participant(
    session: Session, *, exchange_id: int, slack_id: str
) -> tuple[ExchangeView, Member]:
    view = load(session, exchange_id=exchange_id, lock=True)
    if view is None:
        raise ExchangeGone("exchange.closed")
    member = view.member_for(slack_id)
    if member is None:
        raise ExchangeGone("exchange.not_yours")
    return view, member


def intro_sent(
    session: Session,
    *,
    exchange_id: int,
    channel_id: str,
    ts: str,
    now: datetime,
    followup_days: int,
    nudge_days: int = 3,
    expire_days: int = 14,
) -> None:
    """Remember where the intro lives; put on the calendar a nudge and an expiry (dropped as
    soon as someone acts) and each participant's follow-up."""
    view = load(session, exchange_id=exchange_id)
    assert view is not None
    view.exchange.channel_id = channel_id
    view.exchange.intro_ts = ts
    session.add(view.exchange)
    for member_id in repo.participant_ids(view.lessons):
        outbox.owe_followup(
            session,
            exchange_id=exchange_id,
            member_id=member_id,
            due_at=now + timedelta(days=followup_days),
        )
    outbox.owe_nudge(session, exchange_id=exchange_id, due_at=now + timedelta(days=nudge_days))
    outbox.owe_expiry(session, exchange_id=exchange_id, due_at=now + timedelta(days=expire_days))
    session.flush()


def move(
    session: Session,
    view: ExchangeView,
    to: ExchangeState,
    *,
    now: datetime,
    member: Member | None = None,
    reason: str | None = None,
) -> None:
    """A state move made by a participant; a closed exchange answers "closed"."""
    try:
        lifecycle.move(
            session,
            view.exchange,
            to,
            now=now,
            member_id=member.id if member else None,
            reason=reason,
        )
    except lifecycle.IllegalMove as exc:
        raise ExchangeGone("exchange.closed") from exc


def settle_work(
    session: Session,
    exchange_id: int,
    *,
    now: datetime,
    kinds: tuple[WorkKind, ...],
    due_at: datetime | None = None,
) -> None:
    """Bring an exchange's pending messages forward to `due_at`, or drop them (None)."""
    for kind in kinds:
        for work in repo.pending_work(session, exchange_id=exchange_id, kind=kind):
            if due_at is None:
                work.done_at = now
            else:
                work.due_at = due_at
            session.add(work)


def mark_met(session: Session, *, exchange_id: int, slack_id: str, now: datetime) -> bool:
    """Record that the exchange happened; False when it was already recorded (a double click)."""
    view, member = participant(session, exchange_id=exchange_id, slack_id=slack_id)
    if view.exchange.held_at is not None:
        return False
    move(session, view, ExchangeState.HELD, now=now, member=member)
    settle_work(
        session, exchange_id, now=now, kinds=(WorkKind.NUDGE, WorkKind.EXPIRE, WorkKind.REMINDER)
    )
    for work in repo.pending_work(session, exchange_id=exchange_id, kind=WorkKind.FOLLOWUP):
        work.due_at = min(work.due_at, now)
        session.add(work)
    session.flush()
    return True


def decline(
    session: Session, *, exchange_id: int, slack_id: str, now: datetime, reason: str | None = None
) -> None:
    """Not a fit: close the exchange (the reason stays private); its people are free for
    the next round, and since it never happened it does not count for the cooldown."""
    view, member = participant(session, exchange_id=exchange_id, slack_id=slack_id)
    move(
        session,
        view,
        ExchangeState.DECLINED,
        now=now,
        member=member,
        reason=(reason or "").strip()[:2000] or None,
    )
    settle_work(
        session,
        exchange_id,
        now=now,
        kinds=(WorkKind.FOLLOWUP, WorkKind.NUDGE, WorkKind.EXPIRE, WorkKind.REMINDER),
    )
    session.flush()


def schedule(
    session: Session,
    *,
    exchange_id: int,
    slack_id: str,
    when: datetime,
    now: datetime,
    duration: timedelta = timedelta(hours=1),
    place: str | None = None,
    url: str | None = None,
    reminder_hours: int = 24,
) -> None:
    """Set (or move) the session: an invitation goes out (a new version of the same one
    when rescheduling), a reminder before it, the follow-ups after its end."""
    if when <= now:
        raise InvalidInput("error.date_past")
    view, member = participant(session, exchange_id=exchange_id, slack_id=slack_id)
    further = view.exchange.state == ExchangeState.HELD
    move(session, view, ExchangeState.SCHEDULED, now=now, member=member)
    exchange = view.exchange
    if further:  # another session: its own follow-ups and evaluations
        exchange.session_number += 1
        settle_work(session, exchange_id, now=now, kinds=PENDING_KINDS)
        for member_id in repo.participant_ids(view.lessons):
            outbox.owe_followup(
                session, exchange_id=exchange_id, member_id=member_id, due_at=when + duration
            )
    exchange.scheduled_at = when
    exchange.duration_minutes = int(duration.total_seconds() // 60)
    exchange.place, exchange.url = place, url
    exchange.invitation_sequence += 1
    session.add(exchange)
    superseded = (WorkKind.NUDGE, WorkKind.EXPIRE, WorkKind.REMINDER, WorkKind.INVITATION)
    settle_work(session, exchange_id, now=now, kinds=superseded)
    settle_work(session, exchange_id, now=now, kinds=(WorkKind.FOLLOWUP,), due_at=when + duration)
    version = outbox.SessionVersion(sequence=exchange.invitation_sequence)
    outbox.owe_invitation(
        session, exchange_id=exchange_id, organiser_id=member.id, version=version, due_at=now
    )
    remind_at = when - timedelta(hours=reminder_hours)
    if remind_at > now:
        outbox.owe_reminder(session, exchange_id=exchange_id, version=version, due_at=remind_at)
    session.flush()


def report_problem(
    session: Session, *, exchange_id: int, slack_id: str, text: str, now: datetime
) -> None:
    """A confidential report for the managers, sent by the outbox like any message."""
    _, member = participant(session, exchange_id=exchange_id, slack_id=slack_id)
    outbox.owe_report(
        session,
        exchange_id=exchange_id,
        reporter_id=member.id,
        report=outbox.ProblemReport(text=text),
        due_at=now,
    )
    session.flush()


def expire(session: Session, view: ExchangeView, *, now: datetime) -> list[int]:
    """Close an introduction nobody acted on. Members whose last introductions all expired
    like this one are paused, and told (with the choice to stay, pause or leave)."""
    lifecycle.move(session, view.exchange, ExchangeState.EXPIRED, now=now)
    settle_work(session, view.id, now=now, kinds=(WorkKind.FOLLOWUP, WorkKind.NUDGE))
    paused = []
    for member_id in repo.participant_ids(view.lessons):
        recent = repo.exchanges_of(session, member_id=member_id)[-AUTO_PAUSE_AFTER:]
        member = view.members[member_id]
        if (
            len(recent) == AUTO_PAUSE_AFTER
            and all(e.state == ExchangeState.EXPIRED for e in recent)
            and member.status == MemberStatus.ACTIVE
        ):
            member.status = MemberStatus.PAUSED
            member.paused_until = None
            session.add(member)
            outbox.owe_auto_paused(
                session,
                exchange_id=view.id,
                member_id=member_id,
                notice=outbox.AutoPaused(count=AUTO_PAUSE_AFTER),
                due_at=now,
            )
            paused.append(member_id)
    session.flush()
    return paused


def undeliverable(session: Session, *, exchange_id: int, now: datetime, error: str) -> None:
    """An intro Slack will never deliver (a deactivated account, say): the exchange is
    cancelled, with the reason, and its people go back to the pool."""
    view = load(session, exchange_id=exchange_id, lock=True)
    if view is None or view.exchange.state not in lifecycle.OPEN:
        return
    lifecycle.move(
        session, view.exchange, ExchangeState.CANCELLED, now=now, reason=f"undeliverable: {error}"
    )
    settle_work(session, exchange_id, now=now, kinds=PENDING_KINDS)
    session.flush()


def wont_happen(session: Session, *, exchange_id: int, slack_id: str, now: datetime) -> None:
    """ "It won't happen": an exchange still to happen is cancelled; after a session, the
    further one is given up and the exchange closes."""
    view, member = participant(session, exchange_id=exchange_id, slack_id=slack_id)
    to = ExchangeState.CANCELLED if view.exchange.state in lifecycle.OPEN else ExchangeState.CLOSED
    move(session, view, to, now=now, member=member)
    settle_work(session, exchange_id, now=now, kinds=PENDING_KINDS)
    session.flush()


def close_unevaluated(session: Session, view: ExchangeView, *, now: datetime) -> bool:
    """After the follow-up and its reminder, an exchange still missing evaluations closes."""
    given = repo.evaluations_of(
        session, exchange_id=view.id, session_number=view.exchange.session_number
    )
    if set(repo.participant_ids(view.lessons)) <= {e.member_id for e in given}:
        return False
    if not lifecycle.can_move(view.exchange, ExchangeState.CLOSED):
        return False
    lifecycle.move(session, view.exchange, ExchangeState.CLOSED, now=now)
    settle_work(session, view.id, now=now, kinds=PENDING_KINDS)
    session.flush()
    return True


def followup_sent(
    session: Session,
    *,
    view: ExchangeView,
    member_id: int,
    now: datetime,
    reminder_days: int = FOLLOWUP_REMINDER_DAYS,
    close_days: int = FOLLOWUP_CLOSE_DAYS,
) -> None:
    """After a follow-up, one reminder if unanswered, then the exchange closes."""
    outbox.owe_followup(
        session,
        exchange_id=view.id,
        member_id=member_id,
        due_at=now + timedelta(days=reminder_days),
        reminder=True,
    )
    if not repo.pending_work(session, exchange_id=view.id, kind=WorkKind.CLOSE):
        outbox.owe_close(session, exchange_id=view.id, due_at=now + timedelta(days=close_days))
    session.flush()
