"""What Rex owes people, as rows: the one place a message owed is written (one function per
kind) and the typed payloads the sender reads back. Slack-free: `handlers.outbox` sends them.

A payload is written as JSON by its type and read back strictly: a missing, unknown or
mistyped key raises `PayloadError` rather than sending the wrong text. The key names are
those of rows already queued in deployed databases; keep them."""

from datetime import date, datetime, tzinfo
from typing import ClassVar, Self

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlmodel import Session

from bot.periods import last_monday
from storage import repo
from storage.models import DueWork, WorkKind


class PayloadError(ValueError):
    """A row's payload is not what its kind writes: a bug or a hand-edited row."""


class _Payload(BaseModel):
    """A payload: exactly its fields, of their types (pydantic, strict: no key missing or
    extra, no "3" for 3), for a row of one of `kinds`."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)
    kinds: ClassVar[tuple[WorkKind, ...]]

    def to_json(self) -> str:
        return self.model_dump_json()

    @classmethod
    def of(cls, work: DueWork) -> Self:
        if work.kind not in cls.kinds:
            raise PayloadError(f"work {work.id}: a {work.kind} row has no {cls.__name__}")
        try:
            return cls.model_validate_json(work.payload or "null")
        except ValidationError as exc:
            raise PayloadError(f"work {work.id}: {work.kind} payload {work.payload!r}") from exc


class UnmatchedNotice(_Payload):
    """Why a member got no introduction this round, as the round planner said it."""

    kinds = (WorkKind.UNMATCHED,)
    reason: str
    skill: str | None
    demand: int
    # rows queued before reasons named languages and sites hold only the three above
    languages: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    teachers: int = 0


class ProblemReport(_Payload):
    """A participant's confidential report, in their words, for the managers."""

    kinds = (WorkKind.REPORT,)
    text: str


class AutoPaused(_Payload):
    """Rex paused someone after `count` introductions in a row expired."""

    kinds = (WorkKind.AUTO_PAUSED,)
    count: int


class SessionVersion(_Payload):
    """Which version of an exchange's session (its invitation sequence) a row is about: the
    rows about one version are sent only while it is still that one."""

    kinds = (WorkKind.INVITATION, WorkKind.REMINDER, WorkKind.UNINVITE)
    sequence: int


class _DaysOnly(_Payload):
    """What a digest row held before periods were whole weeks."""

    kinds = (WorkKind.DIGEST,)
    days: int


class DigestPeriod(_Payload):
    """The whole weeks a digest reports, fixed when it was queued: `weeks` up to `until`
    (a Monday where the managers are)."""

    kinds = (WorkKind.DIGEST,)
    until: date
    weeks: int

    @classmethod
    def queued(cls, work: DueWork, *, week_before_due: date) -> Self:
        """A row queued before periods were whole weeks holds only `days`: it reports the
        week up to `week_before_due`, the Monday before it was due."""
        try:
            _DaysOnly.of(work)
        except PayloadError:
            return cls.of(work)
        return cls(until=week_before_due, weeks=1)


Payload = UnmatchedNotice | ProblemReport | AutoPaused | SessionVersion | DigestPeriod


def _owe(
    session: Session,
    kind: WorkKind,
    *,
    due_at: datetime,
    exchange_id: int | None = None,
    member_id: int | None = None,
    round_id: int | None = None,
    payload: Payload | None = None,
) -> None:
    session.add(
        DueWork(
            kind=kind,
            exchange_id=exchange_id,
            member_id=member_id,
            round_id=round_id,
            due_at=due_at,
            payload=payload.to_json() if payload is not None else None,
        )
    )


def owe_intro(session: Session, *, exchange_id: int, due_at: datetime) -> None:
    """The introduction in a new group DM of the exchange's people."""
    _owe(session, WorkKind.INTRO, exchange_id=exchange_id, due_at=due_at)


def owe_approval(session: Session, *, exchange_id: int, due_at: datetime) -> None:
    """A proposal for the managers to approve, swap out or reject."""
    _owe(session, WorkKind.APPROVAL, exchange_id=exchange_id, due_at=due_at)


def owe_unmatched(
    session: Session, *, round_id: int, member_id: int, notice: UnmatchedNotice, due_at: datetime
) -> None:
    """Why a member got no introduction this round (once per round and member)."""
    _owe(
        session,
        WorkKind.UNMATCHED,
        round_id=round_id,
        member_id=member_id,
        due_at=due_at,
        payload=notice,
    )


def owe_followup(
    session: Session, *, exchange_id: int, member_id: int, due_at: datetime, reminder: bool = False
) -> None:
    """ "Did it happen?" to one participant, or its one reminder."""
    kind = WorkKind.FOLLOWUP_REMINDER if reminder else WorkKind.FOLLOWUP
    _owe(session, kind, exchange_id=exchange_id, member_id=member_id, due_at=due_at)


def owe_close(session: Session, *, exchange_id: int, due_at: datetime) -> None:
    """Closing an exchange whose follow-ups went unanswered, said in its group DM."""
    _owe(session, WorkKind.CLOSE, exchange_id=exchange_id, due_at=due_at)


def owe_nudge(session: Session, *, exchange_id: int, due_at: datetime) -> None:
    """A nudge in the group DM of an introduction nobody acted on."""
    _owe(session, WorkKind.NUDGE, exchange_id=exchange_id, due_at=due_at)


def owe_expiry(session: Session, *, exchange_id: int, due_at: datetime) -> None:
    """The end of an introduction nobody acted on, said in its group DM."""
    _owe(session, WorkKind.EXPIRE, exchange_id=exchange_id, due_at=due_at)


def owe_invitation(
    session: Session,
    *,
    exchange_id: int,
    organiser_id: int | None,
    version: SessionVersion,
    due_at: datetime,
) -> None:
    """The session's confirmation in the group DM, with its .ics."""
    _owe(
        session,
        WorkKind.INVITATION,
        exchange_id=exchange_id,
        member_id=organiser_id,
        due_at=due_at,
        payload=version,
    )


def owe_reminder(
    session: Session, *, exchange_id: int, version: SessionVersion, due_at: datetime
) -> None:
    """A reminder in the group DM before the session."""
    _owe(session, WorkKind.REMINDER, exchange_id=exchange_id, due_at=due_at, payload=version)


def owe_uninvite(
    session: Session, *, exchange_id: int, version: SessionVersion, due_at: datetime
) -> None:
    """The calendar cancellation of a session that will not happen."""
    _owe(session, WorkKind.UNINVITE, exchange_id=exchange_id, due_at=due_at, payload=version)


def owe_report(
    session: Session,
    *,
    exchange_id: int,
    reporter_id: int | None,
    report: ProblemReport,
    due_at: datetime,
) -> None:
    """A problem report for the managers' channel, never the exchange."""
    _owe(
        session,
        WorkKind.REPORT,
        exchange_id=exchange_id,
        member_id=reporter_id,
        due_at=due_at,
        payload=report,
    )


def owe_auto_paused(
    session: Session, *, exchange_id: int, member_id: int, notice: AutoPaused, due_at: datetime
) -> None:
    """Telling someone Rex paused them, with the choice to stay, pause or leave."""
    _owe(
        session,
        WorkKind.AUTO_PAUSED,
        exchange_id=exchange_id,
        member_id=member_id,
        due_at=due_at,
        payload=notice,
    )


def owe_withdrawn(session: Session, *, exchange_id: int, member_id: int, due_at: datetime) -> None:
    """Telling the others, kindly, that someone's Slack account went and the exchange ends."""
    _owe(session, WorkKind.WITHDRAWN, exchange_id=exchange_id, member_id=member_id, due_at=due_at)


def owe_digest(
    session: Session,
    *,
    channel: str | None,
    tz: tzinfo,
    now: datetime,
    weeks: int = 1,
    scheduled_at: datetime | None = None,
) -> bool:
    """Owe the digest channel the figures of the last `weeks` whole weeks (up to the Monday
    before `scheduled_at`, else before now, where the managers are): fixed in the row, so a
    retry reports the same weeks. A scheduled digest is owed once per period and channel
    however often the schedule fires; False when it already was."""
    until = last_monday(scheduled_at or now, tz)
    work = DueWork(
        kind=WorkKind.DIGEST,
        due_at=now,
        payload=DigestPeriod(until=until, weeks=weeks).to_json(),
    )
    if scheduled_at is None:
        session.add(work)
        session.flush()
        return True
    work.once_key = f"digest:{channel}:{until.isoformat()}:{weeks}"
    return repo.queue_once(session, work=work)
