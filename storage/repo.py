"""Repository functions: keyword-only, given a session, returning typed rows. They never
open or commit sessions; the caller owns the unit of work."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Insert, delete, func, or_, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel, col, select

from storage.models import (
    OPEN_STATES,
    Avoidance,
    DueWork,
    Evaluation,
    Exchange,
    Job,
    Lesson,
    Member,
    MemberStatus,
    PaceBucket,
    SeenEvent,
    Setting,
    Skill,
    SkillKind,
    WorkKind,
)


def get_member(session: Session, *, slack_id: str) -> Member | None:
    return session.exec(select(Member).where(Member.slack_id == slack_id)).first()


def get_members(session: Session, *, ids: Iterable[int]) -> dict[int, Member]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = session.exec(select(Member).where(col(Member.id).in_(wanted))).all()
    return {m.id: m for m in rows if m.id is not None}


def save(session: Session, row: Member | Exchange | Skill | Evaluation) -> None:
    """Add a row and flush it so its id is known."""
    session.add(row)
    session.flush()


def skills_of(session: Session, *, member_id: int) -> list[Skill]:
    return list(
        session.exec(
            select(Skill).where(Skill.member_id == member_id).order_by(col(Skill.id))
        ).all()
    )


def get_setting(session: Session, *, key: str) -> str | None:
    found = session.get(Setting, key)
    return found.value if found is not None else None


def put_setting(session: Session, *, key: str, value: str, now: datetime) -> None:
    found = session.get(Setting, key) or Setting(key=key, value=value)
    found.value, found.updated_at = value, now
    session.add(found)
    session.flush()


def all_skill_labels(session: Session) -> list[str]:
    """Every skill label as typed, active members' or not (for type-ahead suggestions)."""
    return list(session.exec(select(Skill.label)).all())


def avoided_by(session: Session, *, member_id: int) -> list[str]:
    """The Slack ids a member asked never to be matched with."""
    return list(
        session.exec(
            select(Avoidance.avoided_slack_id)
            .where(Avoidance.member_id == member_id)
            .order_by(col(Avoidance.id))
        ).all()
    )


def avoid_map(session: Session) -> dict[int, frozenset[str]]:
    """Every member's avoid list, in one query."""
    lists: dict[int, set[str]] = {}
    for member_id, other in session.exec(select(Avoidance.member_id, Avoidance.avoided_slack_id)):
        lists.setdefault(member_id, set()).add(other)
    return {member_id: frozenset(others) for member_id, others in lists.items()}


def pauses_ending(session: Session, *, now: datetime) -> list[Member]:
    return list(
        session.exec(
            select(Member).where(
                Member.status == MemberStatus.PAUSED,
                col(Member.paused_until).is_not(None),
                col(Member.paused_until) <= now,
            )
        ).all()
    )


def active_members_with_skills(session: Session) -> list[tuple[Member, list[Skill]]]:
    """Active members and their skills, in two queries whatever the network's size."""
    members = session.exec(
        select(Member).where(Member.status == MemberStatus.ACTIVE).order_by(col(Member.id))
    ).all()
    by_member: dict[int, list[Skill]] = {m.id: [] for m in members if m.id is not None}
    skills = session.exec(
        select(Skill)
        .join(Member, col(Member.id) == col(Skill.member_id))
        .where(Member.status == MemberStatus.ACTIVE)
        .order_by(col(Skill.id))
    ).all()
    for skill in skills:
        by_member[skill.member_id].append(skill)
    return [(m, by_member[m.id]) for m in members if m.id is not None]


@dataclass(frozen=True)
class OpenLoad:
    """How many open exchanges each member carries, as teacher and as learner."""

    as_teacher: dict[int, int]
    as_learner: dict[int, int]


def open_load(session: Session) -> OpenLoad:
    rows = session.exec(
        select(Lesson.teacher_id, Lesson.learner_id)
        .join(Exchange, col(Exchange.id) == col(Lesson.exchange_id))
        .where(col(Exchange.state).in_(OPEN_STATES))
    ).all()
    teachers: dict[int, int] = {}
    learners: dict[int, int] = {}
    for teacher_id, learner_id in rows:
        teachers[teacher_id] = teachers.get(teacher_id, 0) + 1
        learners[learner_id] = learners.get(learner_id, 0) + 1
    return OpenLoad(teachers, learners)


@dataclass(frozen=True)
class PastPairing:
    teacher_id: int
    learner_id: int
    created_at: datetime
    met: bool


def past_pairings(session: Session, *, since: datetime) -> list[PastPairing]:
    """Lessons introduced since a date, and whether their exchange was ever held."""
    rows = session.exec(
        select(Lesson.teacher_id, Lesson.learner_id, Exchange.created_at, Exchange.held_at)
        .join(Exchange, col(Exchange.id) == col(Lesson.exchange_id))
        .where(col(Exchange.created_at) >= since)
    ).all()
    return [
        PastPairing(t, learner, created, held is not None) for t, learner, created, held in rows
    ]


def lessons_of(session: Session, *, exchange_id: int) -> list[Lesson]:
    return list(
        session.exec(
            select(Lesson).where(Lesson.exchange_id == exchange_id).order_by(col(Lesson.id))
        ).all()
    )


def participant_ids(lessons: Sequence[Lesson]) -> list[int]:
    """Everyone in an exchange, teachers first, each once, in a stable order."""
    seen: dict[int, None] = {}
    for lesson in lessons:
        seen.setdefault(lesson.teacher_id)
    for lesson in lessons:
        seen.setdefault(lesson.learner_id)
    return list(seen)


def exchanges_of(session: Session, *, member_id: int) -> list[Exchange]:
    ids = select(Lesson.exchange_id).where(
        or_(col(Lesson.teacher_id) == member_id, col(Lesson.learner_id) == member_id)
    )
    return list(
        session.exec(
            select(Exchange).where(col(Exchange.id).in_(ids)).order_by(col(Exchange.id))
        ).all()
    )


def learner_notes(session: Session, *, lessons: Sequence[Lesson]) -> dict[int, str]:
    """What each learner wrote about what exactly they want, for the skills of these lessons."""
    wanted = {(lesson.learner_id, lesson.learn_label) for lesson in lessons}
    if not wanted:
        return {}
    rows = session.exec(
        select(Skill).where(
            col(Skill.member_id).in_({learner for learner, _ in wanted}),
            Skill.kind == SkillKind.LEARN,
            col(Skill.note).is_not(None),
        )
    ).all()
    return {s.member_id: s.note for s in rows if (s.member_id, s.label) in wanted and s.note}


def get_exchange(session: Session, *, exchange_id: int, lock: bool = False) -> Exchange | None:
    query = select(Exchange).where(Exchange.id == exchange_id)
    if lock:
        query = query.with_for_update()
    return session.exec(query).first()


def evaluations_of(session: Session, *, exchange_id: int, session_number: int) -> list[Evaluation]:
    """The evaluations given for one session of an exchange."""
    return list(
        session.exec(
            select(Evaluation).where(
                Evaluation.exchange_id == exchange_id,
                Evaluation.session_number == session_number,
            )
        ).all()
    )


def get_evaluation(
    session: Session, *, exchange_id: int, member_id: int, session_number: int = 1
) -> Evaluation | None:
    return session.exec(
        select(Evaluation).where(
            Evaluation.exchange_id == exchange_id,
            Evaluation.member_id == member_id,
            Evaluation.session_number == session_number,
        )
    ).first()


def hours_balance(
    session: Session, *, member_id: int | None = None
) -> dict[int, tuple[float, float]]:
    """Hours each member (or one) reported, as (taught, learned), by their role in each
    exchange; in a swap one session both teaches and learns, so it counts on both sides."""
    taught = select(Lesson.exchange_id, Lesson.teacher_id.label("member_id")).distinct()  # type: ignore[attr-defined]
    learned = select(Lesson.exchange_id, Lesson.learner_id.label("member_id")).distinct()  # type: ignore[attr-defined]
    balance: dict[int, list[float]] = {}
    for side, roles in enumerate((taught.subquery(), learned.subquery())):
        query = (
            select(Evaluation.member_id, func.sum(Evaluation.hours))
            .join(
                roles,
                (roles.c.exchange_id == Evaluation.exchange_id)
                & (roles.c.member_id == Evaluation.member_id),
            )
            .group_by(col(Evaluation.member_id))
        )
        if member_id is not None:
            query = query.where(Evaluation.member_id == member_id)
        rows = session.exec(query).all()
        for member_id, hours in rows:
            balance.setdefault(member_id, [0.0, 0.0])[side] = float(hours or 0)
    return {member_id: (t, le) for member_id, (t, le) in balance.items()}


def claim_due_work(
    session: Session,
    *,
    now: datetime,
    worker: str,
    limit: int,
    lease: timedelta,
) -> list[DueWork]:
    """Atomically take up to `limit` due rows for this worker.

    One UPDATE over a locked sub-select (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite
    serialises writers), so two replicas never take the same row. A claim older than the
    lease is presumed dead (its process crashed) and may be taken again.
    """
    due = (
        select(DueWork.id)
        .where(
            col(DueWork.done_at).is_(None),
            col(DueWork.due_at) <= now,
            or_(col(DueWork.claimed_at).is_(None), col(DueWork.claimed_at) < now - lease),
        )
        .order_by(col(DueWork.due_at), col(DueWork.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = session.execute(
        update(DueWork)
        .where(col(DueWork.id).in_(due.scalar_subquery()))
        .values(claimed_by=worker, claimed_at=now, attempts=DueWork.attempts + 1)
        .returning(col(DueWork.id))
    )
    ids = [row[0] for row in claimed]
    if not ids:
        return []
    return list(
        session.exec(
            select(DueWork)
            .where(col(DueWork.id).in_(ids), DueWork.claimed_by == worker)
            .order_by(col(DueWork.due_at), col(DueWork.id))
            .execution_options(populate_existing=True)
        ).all()
    )


def finish_work(session: Session, *, work_id: int, now: datetime, error: str | None = None) -> None:
    """Mark a row done; `error` records why it was given up instead of sent."""
    values: dict[str, object] = {"done_at": now}
    if error is not None:
        values["last_error"] = error[:200]
    session.execute(update(DueWork).where(col(DueWork.id) == work_id).values(**values))


def retry_work(session: Session, *, work_id: int, due_at: datetime, error: str) -> None:
    session.execute(
        update(DueWork)
        .where(col(DueWork.id) == work_id)
        .values(claimed_by=None, claimed_at=None, due_at=due_at, last_error=error[:200])
    )


def pending_work(session: Session, *, exchange_id: int, kind: WorkKind) -> list[DueWork]:
    return list(
        session.exec(
            select(DueWork).where(
                DueWork.exchange_id == exchange_id,
                DueWork.kind == kind,
                col(DueWork.done_at).is_(None),
            )
        ).all()
    )


def sent_work(session: Session, *, exchange_id: int, kind: WorkKind) -> bool:
    """Whether a message of `kind` for this exchange went out (done, not given up)."""
    return (
        session.exec(
            select(DueWork.id).where(
                DueWork.exchange_id == exchange_id,
                DueWork.kind == kind,
                col(DueWork.done_at).is_not(None),
                col(DueWork.last_error).is_(None),
            )
        ).first()
        is not None
    )


def first_sighting(session: Session, *, event_id: str, now: datetime) -> bool:
    """Record a Slack event id; False when it was already handled (a redelivery). One
    statement: it runs before the event is acknowledged."""
    statement: Insert = _insert(session, SeenEvent).values(event_id=event_id, seen_at=now)
    added = session.execute(
        statement.on_conflict_do_nothing(index_elements=["event_id"]).returning(  # type: ignore[attr-defined]
            SeenEvent.event_id
        )
    )
    return added.first() is not None


# --- operations: jobs, leases, shared pacing, retention ---------------------------------------


def _insert(session: Session, model: type[SQLModel]) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT (both backends speak it)."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


def lock_job(session: Session, *, name: str) -> None:
    """Hold job `name`'s row until the transaction ends: whoever else takes it (another
    thread or replica) waits until then. An upsert, so the row need not exist yet."""
    statement: Insert = _insert(session, Job).values(name=name)
    session.execute(
        statement.on_conflict_do_update(index_elements=["name"], set_={"name": name})  # type: ignore[attr-defined]
    )


def claim_job(
    session: Session,
    *,
    name: str,
    cron: str,
    now: datetime,
    worker: str,
    next_due: Callable[[datetime], datetime],
) -> datetime | None:
    """Take job `name`'s due time if it has come: returns it (the caller runs the job in
    this same transaction, holding the row), else None.

    A replica that finds the row locked skips it (another one is running it); the due time
    moves on with a compare-and-set, so of two threads that read it only one wins. A new
    job, or one whose crontab changed, is first due at its next time from `now`."""
    row = session.exec(
        select(Job).where(Job.name == name).with_for_update(skip_locked=True)
    ).first()
    if row is None:
        if session.exec(select(Job.name).where(Job.name == name)).first() is not None:
            return None  # another process holds it (inserting would wait for it)
        statement: Insert = _insert(session, Job).values(name=name, cron=cron, due_at=next_due(now))
        session.execute(statement.on_conflict_do_nothing(index_elements=["name"]))  # type: ignore[attr-defined]
        return None
    if row.cron != cron or row.due_at is None:
        row.cron, row.due_at = cron, next_due(now)
        session.add(row)
        session.flush()
        return None
    due = row.due_at
    if due > now:
        return None
    moved = session.execute(
        update(Job)
        .where(col(Job.name) == name, col(Job.due_at) == due)
        .values(due_at=next_due(now), last_run_at=now, last_worker=worker)
        .execution_options(synchronize_session=False)
    )
    return due if moved.rowcount == 1 else None  # type: ignore[attr-defined]


def queue_once(session: Session, *, work: DueWork) -> bool:
    """Add `work` unless a row with its `once_key` exists already; False then."""
    values = {c.name: getattr(work, c.name) for c in DueWork.__table__.columns if c.name != "id"}  # type: ignore[attr-defined]
    statement: Insert = _insert(session, DueWork).values(**values)
    added = session.execute(
        statement.on_conflict_do_nothing(index_elements=["once_key"]).returning(DueWork.id)  # type: ignore[attr-defined]
    )
    return added.first() is not None


def renew_claims(session: Session, *, worker: str, now: datetime) -> int:
    """Keep this worker's claims alive: a lease runs from the last renewal."""
    renewed = session.execute(
        update(DueWork)
        .where(col(DueWork.claimed_by) == worker, col(DueWork.done_at).is_(None))
        .values(claimed_at=now)
    )
    return int(renewed.rowcount)  # type: ignore[attr-defined]


def release_claims(session: Session, *, worker: str, ids: Iterable[int]) -> int:
    """Hand back rows this worker claimed but never started (the attempt did not happen)."""
    wanted = list(ids)
    if not wanted:
        return 0
    released = session.execute(
        update(DueWork)
        .where(
            col(DueWork.id).in_(wanted),
            col(DueWork.claimed_by) == worker,
            col(DueWork.done_at).is_(None),
        )
        .values(claimed_by=None, claimed_at=None, attempts=DueWork.attempts - 1)
    )
    return int(released.rowcount)  # type: ignore[attr-defined]


# The pacing bucket, in the database's clock (epoch seconds): one statement reserves a slot,
# so the row lock is held for microseconds. GCRA: the slot is the earliest of the bucket's
# theoretical arrival time less its burst tolerance, a 429's block, and what the caller asks.
_RESERVE_PACE = text(
    """
    WITH clock AS (SELECT extract(epoch FROM clock_timestamp())::float8 AS now)
    UPDATE pace_bucket SET
        slot = GREATEST(tat - :tolerance, blocked_until, clock.now + :min_delay),
        tat = GREATEST(tat, blocked_until, clock.now + :min_delay) + :interval
    FROM clock
    WHERE key = :key
    RETURNING slot - clock.now
    """
)


def reserve_pace(
    session: Session, *, key: str, interval: float, tolerance: float, min_delay: float
) -> float:
    """Seconds from now until this call may go, its slot taken in bucket `key`."""
    params = {"key": key, "interval": interval, "tolerance": tolerance, "min_delay": min_delay}
    delay = session.execute(_RESERVE_PACE, params).scalar()
    if delay is None:
        statement: Insert = _insert(session, PaceBucket).values(key=key)
        session.execute(statement.on_conflict_do_nothing(index_elements=["key"]))  # type: ignore[attr-defined]
        delay = session.execute(_RESERVE_PACE, params).scalar_one()
    return float(delay)


def pace_blocked_for(session: Session, *, key: str) -> float:
    """Seconds left of a 429's block on bucket `key` (0 or less: none)."""
    left = session.execute(
        text(
            "SELECT blocked_until - extract(epoch FROM clock_timestamp())::float8 "
            "FROM pace_bucket WHERE key = :key"
        ),
        {"key": key},
    ).scalar()
    return float(left or 0.0)


def block_pace(session: Session, *, key: str, seconds: float) -> None:
    """After a 429: no call of bucket `key` before `seconds` from now, in any replica."""
    statement: Insert = _insert(session, PaceBucket).values(key=key)
    session.execute(statement.on_conflict_do_nothing(index_elements=["key"]))  # type: ignore[attr-defined]
    session.execute(
        text(
            "UPDATE pace_bucket SET blocked_until = GREATEST(blocked_until, "
            "extract(epoch FROM clock_timestamp())::float8 + :seconds) WHERE key = :key"
        ),
        {"key": key, "seconds": seconds},
    )


def prune(session: Session, *, before: datetime) -> tuple[int, int]:
    """Forget Slack event ids seen, and messages done, before `before`: (events, messages)."""
    events = session.execute(delete(SeenEvent).where(col(SeenEvent.seen_at) < before))
    work = session.execute(delete(DueWork).where(col(DueWork.done_at) < before))
    return int(events.rowcount), int(work.rowcount)  # type: ignore[attr-defined]


def outbox_backlog(session: Session, *, now: datetime) -> tuple[int, datetime | None]:
    """How many messages are due and not sent, and the oldest due time among them."""
    count, oldest = session.exec(
        select(func.count(), func.min(DueWork.due_at)).where(
            col(DueWork.done_at).is_(None), col(DueWork.due_at) <= now
        )
    ).one()
    if isinstance(oldest, str):  # SQLite hands an aggregate of a timestamp back as text
        oldest = datetime.fromisoformat(oldest).replace(tzinfo=UTC)
    return int(count), oldest


def count_active_members(session: Session) -> int:
    return session.exec(
        select(func.count()).select_from(Member).where(Member.status == MemberStatus.ACTIVE)
    ).one()
