"""What Rex owes people, as rows: the one place a message owed is written (one function per
kind) and the typed payloads the sender reads back. Slack-free: `handlers.outbox` sends them.

A payload is written as JSON by its type and read back strictly: a missing, unknown or
mistyped key raises `PayloadError` rather than sending the wrong text. The key names are
those of rows already queued in deployed databases; keep them."""

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Self, TypeVar

from sqlmodel import Session

from storage import repo
from storage.models import DueWork, WorkKind


class PayloadError(ValueError):
    """A row's payload is not what its kind writes: a bug or a hand-edited row."""


T = TypeVar("T")


def _json(work: DueWork, kinds: tuple[WorkKind, ...]) -> dict[str, Any]:
    """The payload of `work` as a JSON object, for a row of one of `kinds`."""
    if work.kind not in kinds:
        raise PayloadError(f"work {work.id}: a {work.kind} row has no {kinds[0]} payload")
    try:
        data = json.loads(work.payload or "null")
    except json.JSONDecodeError as exc:
        raise PayloadError(f"work {work.id}: payload is not JSON") from exc
    if not isinstance(data, dict):
        raise PayloadError(f"work {work.id}: payload {work.payload!r} is not an object")
    return data


def _fields(work: DueWork, kinds: tuple[WorkKind, ...], keys: tuple[str, ...]) -> dict[str, Any]:
    """The payload of `work` with exactly `keys`, for a row of one of `kinds`."""
    data = _json(work, kinds)
    if set(data) != set(keys):
        raise PayloadError(f"work {work.id}: {work.kind} payload {work.payload!r} wants {keys}")
    return data


def _typed(data: dict[str, Any], key: str, kind: type[T]) -> T:
    value = data[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise PayloadError(f"payload key {key!r}: {value!r} is not {kind.__name__}")
    return value


def _strings(data: dict[str, Any], key: str) -> tuple[str, ...]:
    values = _typed(data, key, list)
    if not all(isinstance(v, str) for v in values):
        raise PayloadError(f"payload key {key!r}: {values!r} is not a list of strings")
    return tuple(values)


@dataclass(frozen=True)
class UnmatchedNotice:
    """Why a member got no introduction this round, as the round planner said it."""

    reason: str
    skill: str | None
    demand: int
    languages: tuple[str, ...]
    sites: tuple[str, ...]
    teachers: int

    def to_json(self) -> str:
        return json.dumps(
            {
                "reason": self.reason,
                "skill": self.skill,
                "demand": self.demand,
                "languages": list(self.languages),
                "sites": list(self.sites),
                "teachers": self.teachers,
            }
        )

    @classmethod
    def of(cls, work: DueWork) -> Self:
        data = _fields(
            work,
            (WorkKind.UNMATCHED,),
            ("reason", "skill", "demand", "languages", "sites", "teachers"),
        )
        skill = data["skill"]
        if skill is not None and not isinstance(skill, str):
            raise PayloadError(f"payload key 'skill': {skill!r} is not a string")
        return cls(
            reason=_typed(data, "reason", str),
            skill=skill,
            demand=_typed(data, "demand", int),
            languages=_strings(data, "languages"),
            sites=_strings(data, "sites"),
            teachers=_typed(data, "teachers", int),
        )


@dataclass(frozen=True)
class ProblemReport:
    """A participant's confidential report, in their words, for the managers."""

    text: str

    def to_json(self) -> str:
        return json.dumps({"text": self.text})

    @classmethod
    def of(cls, work: DueWork) -> Self:
        return cls(text=_typed(_fields(work, (WorkKind.REPORT,), ("text",)), "text", str))


@dataclass(frozen=True)
class AutoPaused:
    """Rex paused someone after `count` introductions in a row expired."""

    count: int

    def to_json(self) -> str:
        return json.dumps({"count": self.count})

    @classmethod
    def of(cls, work: DueWork) -> Self:
        return cls(count=_typed(_fields(work, (WorkKind.AUTO_PAUSED,), ("count",)), "count", int))


# The rows about one version of a scheduled session: sent only while it is still that one.
SESSION_KINDS = (WorkKind.INVITATION, WorkKind.REMINDER, WorkKind.UNINVITE)


@dataclass(frozen=True)
class SessionVersion:
    """Which version of an exchange's session (its invitation sequence) a row is about."""

    sequence: int

    def to_json(self) -> str:
        return json.dumps({"sequence": self.sequence})

    @classmethod
    def of(cls, work: DueWork) -> Self:
        return cls(sequence=_typed(_fields(work, SESSION_KINDS, ("sequence",)), "sequence", int))


@dataclass(frozen=True)
class DigestPeriod:
    """The whole weeks a digest reports, fixed when it was queued: `weeks` up to `until`
    (a Monday where the managers are)."""

    until: date
    weeks: int

    def to_json(self) -> str:
        return json.dumps({"until": self.until.isoformat(), "weeks": self.weeks})

    @classmethod
    def of(cls, work: DueWork, *, week_before_due: date) -> Self:
        """A row queued before periods were whole weeks holds only `days`: it reports the
        week up to `week_before_due`, the Monday before it was due."""
        if set(_json(work, (WorkKind.DIGEST,))) == {"days"}:
            return cls(until=week_before_due, weeks=1)
        data = _fields(work, (WorkKind.DIGEST,), ("until", "weeks"))
        try:
            until = date.fromisoformat(_typed(data, "until", str))
        except ValueError as exc:
            raise PayloadError(f"work {work.id}: 'until' is not a date") from exc
        return cls(until=until, weeks=_typed(data, "weeks", int))


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
    session: Session, *, period: DigestPeriod, due_at: datetime, once_key: str | None = None
) -> bool:
    """The digest of `period` for the digest channel; with a `once_key` (a scheduled
    digest) owed once however often it is queued: False when it already was."""
    work = DueWork(kind=WorkKind.DIGEST, due_at=due_at, payload=period.to_json())
    if once_key is None:
        session.add(work)
        session.flush()
        return True
    work.once_key = once_key
    return repo.queue_once(session, work=work)
