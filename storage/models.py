"""Rex's tables. Alembic owns the schema; these models are its source of truth."""

from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, Index, String, Text, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

LABEL_MAX = 80
NAME_MAX = 120
COMMENT_MAX = 2000
BIO_MAX = 500
NOTE_MAX = 200
SITE_MAX = 80


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite would hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return (
            value.astimezone(UTC)
            if dialect.name != "sqlite"
            else value.astimezone(UTC).replace(tzinfo=None)
        )

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def timestamp(*, default_factory: Callable[[], datetime] | None = None, index: bool = False) -> Any:
    """A UTC timestamp column; without a default it is nullable."""
    if default_factory is None:
        return Field(default=None, sa_type=UtcDateTime, index=index)
    return Field(default_factory=default_factory, sa_type=UtcDateTime, index=index)


class MemberStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    LEFT = "left"


class SkillKind(StrEnum):
    TEACH = "teach"
    LEARN = "learn"


class ExchangeState(StrEnum):
    """Where an exchange stands; `bot.lifecycle` says which moves are allowed."""

    PENDING = "pending"  # awaiting a manager's approval
    PROPOSED = "proposed"
    SCHEDULED = "scheduled"
    HELD = "held"
    EVALUATED = "evaluated"
    CLOSED = "closed"
    DECLINED = "declined"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class TeachLevel(StrEnum):
    BASICS = "basics"
    INTERMEDIATE = "intermediate"
    EXPERT = "expert"


class LearnLevel(StrEnum):
    BEGINNER = "beginner"
    SOME = "some"


class MeetingPreference(StrEnum):
    IN_PERSON = "in_person"
    REMOTE = "remote"
    EITHER = "either"


class ExchangeKind(StrEnum):
    PAIR = "pair"
    SWAP = "swap"
    CYCLE = "cycle"
    GROUP = "group"


# States that still take a teacher's and a learner's capacity (see bot.lifecycle).
OPEN_STATES = (ExchangeState.PENDING, ExchangeState.PROPOSED, ExchangeState.SCHEDULED)


class GoalMet(StrEnum):
    YES = "yes"
    PARTLY = "partly"
    NO = "no"


class WorkKind(StrEnum):
    INTRO = "intro"
    FOLLOWUP = "followup"
    FOLLOWUP_REMINDER = "followup_remind"  # kinds fit String(16)
    CLOSE = "close"
    UNMATCHED = "unmatched"
    NUDGE = "nudge"
    EXPIRE = "expire"
    REMINDER = "reminder"
    REPORT = "report"
    INVITATION = "invitation"
    APPROVAL = "approval"
    DIGEST = "digest"
    AUTO_PAUSED = "auto_paused"
    WITHDRAWN = "withdrawn"  # someone's Slack account went: the others are told kindly
    UNINVITE = "uninvite"  # the calendar cancellation of a session that will not happen


class Member(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slack_id: str = Field(max_length=32, unique=True, index=True)
    display_name: str = Field(default="", max_length=NAME_MAX)
    status: MemberStatus = Field(default=MemberStatus.ACTIVE, sa_type=String(16))
    joined_at: datetime = timestamp(default_factory=utcnow)
    charter_agreed_at: datetime = timestamp(default_factory=utcnow)
    left_at: datetime | None = timestamp()
    paused_until: datetime | None = timestamp()
    bio: str | None = Field(default=None, max_length=BIO_MAX)
    languages: str = Field(default="", max_length=64)
    preference: MeetingPreference = Field(default=MeetingPreference.EITHER, sa_type=String(12))
    # where they work (a city, an office), as typed: in-person exchanges stay on one site
    site: str | None = Field(default=None, max_length=SITE_MAX)
    tz: str | None = Field(default=None, max_length=64)
    locale: str | None = Field(default=None, max_length=16)
    language: str | None = Field(default=None, max_length=8)  # chosen; else from the locale
    leaderboard: bool = False  # opted in to be named in the digest's recognition
    slack_synced_at: datetime | None = timestamp()


class Skill(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("member_id", "kind", "normalized"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    kind: SkillKind = Field(sa_type=String(8))
    label: str = Field(max_length=LABEL_MAX)
    normalized: str = Field(max_length=LABEL_MAX * 2, index=True)
    level: str | None = Field(default=None, sa_type=String(16))
    note: str | None = Field(default=None, max_length=NOTE_MAX)
    created_at: datetime = timestamp(default_factory=utcnow)


class Avoidance(SQLModel, table=True):
    """Someone a member never wants to be matched with; shown only to that member."""

    __table_args__ = (UniqueConstraint("member_id", "avoided_slack_id"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    avoided_slack_id: str = Field(max_length=32, index=True)
    created_at: datetime = timestamp(default_factory=utcnow)


class Round(SQLModel, table=True):
    """One matching round: when it ran and what it decided, for history and de-duplication."""

    id: int | None = Field(default=None, primary_key=True)
    planned_at: datetime = timestamp(default_factory=utcnow, index=True)
    seed: int = 0
    exchanges: int = 0
    unmatched: int = 0


class Exchange(SQLModel, table=True):
    """One introduction: a pair, a swap, a cycle or a group, in one group DM."""

    id: int | None = Field(default=None, primary_key=True)
    round_id: int | None = Field(default=None, foreign_key="round.id", index=True)
    kind: ExchangeKind = Field(default=ExchangeKind.PAIR, sa_type=String(8))
    state: ExchangeState = Field(default=ExchangeState.PROPOSED, sa_type=String(16), index=True)
    channel_id: str | None = Field(default=None, max_length=32)
    intro_ts: str | None = Field(default=None, max_length=32)
    scheduled_at: datetime | None = timestamp()
    duration_minutes: int | None = None
    place: str | None = Field(default=None, max_length=200)
    url: str | None = Field(default=None, max_length=500)
    invitation_sequence: int = 0
    session_number: int = 1
    participants: int = 0  # the people in its lessons: each is asked to evaluate a session
    created_at: datetime = timestamp(default_factory=utcnow, index=True)
    held_at: datetime | None = timestamp()
    closed_at: datetime | None = timestamp()


class Lesson(SQLModel, table=True):
    """Who teaches what to whom inside an exchange (a swap has two, a group several)."""

    id: int | None = Field(default=None, primary_key=True)
    exchange_id: int = Field(foreign_key="exchange.id", index=True)
    teacher_id: int = Field(foreign_key="member.id", index=True)
    learner_id: int = Field(foreign_key="member.id", index=True)
    teach_label: str = Field(max_length=LABEL_MAX)
    learn_label: str = Field(max_length=LABEL_MAX)
    # the skill taught, as matching files it when the lesson is made: the digest groups
    # evaluations by it, unchanged by later edits of profiles or of the vocabulary
    teach_key: str = Field(default="", max_length=LABEL_MAX * 2)
    score: float = 0.0


class Evaluation(SQLModel, table=True):
    """One participant's a-posteriori evaluation; comments never leave this table."""

    __table_args__ = (
        UniqueConstraint(
            "exchange_id", "member_id", "session_number", name="uq_evaluation_session"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    exchange_id: int = Field(foreign_key="exchange.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    session_number: int = 1
    satisfaction: int = Field(ge=1, le=5)
    goal_met: GoalMet | None = Field(default=None, sa_type=String(8))
    useful: GoalMet | None = Field(default=None, sa_type=String(8))
    # the evaluator's roles in the exchange (both in a swap), kept so the digest counts
    # learning and teaching hours without a join, whichever answers were given
    as_learner: bool = False
    as_teacher: bool = False
    another_session: bool = False
    hours: float = Field(ge=0)
    comment: str | None = Field(default=None, max_length=COMMENT_MAX)
    created_at: datetime = timestamp(default_factory=utcnow, index=True)


class DueWork(SQLModel, table=True):
    """A message Rex owes someone at a time: claimed atomically by the sweep job.

    It concerns an exchange (intro, follow-up) or a member in a round (why they were not
    matched); `payload` carries the little the message needs, as JSON.
    """

    __tablename__ = "due_work"
    __table_args__ = (UniqueConstraint("kind", "round_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: WorkKind = Field(sa_type=String(16))
    exchange_id: int | None = Field(default=None, foreign_key="exchange.id", index=True)
    round_id: int | None = Field(default=None, foreign_key="round.id")
    member_id: int | None = Field(default=None, foreign_key="member.id")
    payload: str | None = Field(default=None, sa_type=Text)
    due_at: datetime = Field(sa_type=UtcDateTime, index=True)
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_at: datetime | None = timestamp()
    done_at: datetime | None = timestamp(index=True)
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=200)
    # a message owed once per key however often it is queued (a period's scheduled digest)
    once_key: str | None = Field(default=None, max_length=120, unique=True)


class ExchangeEvent(SQLModel, table=True):
    """One move of an exchange's state, with who made it and when (a private reason for a
    decline stays here, never shown to the others)."""

    __tablename__ = "exchange_event"
    # the digest reads counts from these indexes alone: moves to a state within a time
    # range, and an exchange's sessions held before a given one
    __table_args__ = (
        Index("ix_exchange_event_to_state_at", "to_state", "at"),
        Index("ix_exchange_event_exchange_state_at", "exchange_id", "to_state", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    exchange_id: int = Field(foreign_key="exchange.id")
    from_state: str | None = Field(default=None, sa_type=String(16))
    to_state: str = Field(sa_type=String(16))
    member_id: int | None = Field(default=None, foreign_key="member.id")
    at: datetime = timestamp(default_factory=utcnow)
    reason: str | None = Field(default=None, max_length=COMMENT_MAX)


class EvaluationDraft(SQLModel, table=True):
    """A rating or a duration typed in Rex's DM, kept until both make an evaluation."""

    __tablename__ = "evaluation_draft"
    __table_args__ = (UniqueConstraint("exchange_id", "member_id", "session_number"),)

    id: int | None = Field(default=None, primary_key=True)
    exchange_id: int = Field(foreign_key="exchange.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    session_number: int = 1
    satisfaction: int | None = None
    hours: float | None = None
    updated_at: datetime = timestamp(default_factory=utcnow)


class Setting(SQLModel, table=True):
    """A network-wide switch the admins set from Slack (e.g. approval of rounds)."""

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=500)
    updated_at: datetime = timestamp(default_factory=utcnow)


class SeenEvent(SQLModel, table=True):
    """Slack event ids already handled, so a redelivery is handled once."""

    __tablename__ = "seen_event"

    event_id: str = Field(primary_key=True, max_length=64)
    seen_at: datetime = timestamp(default_factory=utcnow)


# --- operations: replicas share the schedule and Slack's budget -----------------------------


class Job(SQLModel, table=True):
    """A scheduled job (the round, the digest, the retention sweep): when it is next due.

    Every process's scheduler looks at it; the one that moves `due_at` on (a compare-and-set
    under a row lock) runs that due time, so a job runs once per due time however many
    replicas there are. The row doubles as the job's lock: a round holds it while it runs."""

    name: str = Field(primary_key=True, max_length=32)
    cron: str | None = Field(default=None, max_length=100)
    due_at: datetime | None = timestamp()
    last_run_at: datetime | None = timestamp()
    last_worker: str | None = Field(default=None, max_length=64)


class PaceBucket(SQLModel, table=True):
    """One Slack Web API method's pacing, shared by every replica (PostgreSQL): a GCRA
    token bucket in the database's own clock (epoch seconds), see `bot.runtime.pacing`."""

    __tablename__ = "pace_bucket"

    key: str = Field(primary_key=True, max_length=64)
    tat: float = 0.0  # the theoretical arrival time of the next call
    slot: float = 0.0  # the instant given to the last call
    blocked_until: float = 0.0  # after a 429: nobody calls before this
