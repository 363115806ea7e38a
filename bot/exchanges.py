"""The exchange loop's rules: a round proposes exchanges, people meet, decline or
schedule, and each participant evaluates afterwards. Slack-free: callers send messages."""

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from sqlmodel import Session

from bot import lifecycle
from bot.matching import key_of
from bot.matching.meeting import meeting_mode, utc_offset_minutes
from bot.matching.rounds.model import Candidate, PastExchange, RoundConfig, RoundResult
from bot.matching.rounds.planner import plan_round
from bot.members import spoken_languages
from bot.periods import week_closing
from bot.text import InvalidInput
from storage import repo
from storage.models import (
    DueWork,
    Evaluation,
    Exchange,
    ExchangeKind,
    ExchangeState,
    GoalMet,
    Lesson,
    Member,
    MemberStatus,
    Round,
    SkillKind,
    WorkKind,
)

MAX_HOURS = 100.0
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

    def slack_ids(self) -> list[str]:
        return [self.members[i].slack_id for i in repo.participant_ids(self.lessons)]

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


def _participant(
    session: Session, *, exchange_id: int, slack_id: str
) -> tuple[ExchangeView, Member]:
    view = load(session, exchange_id=exchange_id, lock=True)
    if view is None:
        raise ExchangeGone("exchange.closed")
    member = view.member_for(slack_id)
    if member is None:
        raise ExchangeGone("exchange.not_yours")
    return view, member


@dataclass(frozen=True)
class RoundInput:
    """What the engine needs, read from the database, and the way back to member ids."""

    candidates: list[Candidate]
    history: list[PastExchange]
    member_ids: dict[str, int]


# Reasons worth telling a member about; "already has an open exchange" is not news to them.
NOTIFIED_REASONS = frozenset(
    {
        "nobody_teaches",
        "teachers_busy",
        "only_avoided_or_recent",
        "nothing_to_teach",
        "nothing_to_learn",
        "no_shared_language",
        "no_site",
        "teachers_elsewhere",
        "teachers_in_person",
    }
)


def round_input(session: Session, *, config: RoundConfig, now: datetime) -> RoundInput:
    """Active members with their load, waiting time, balance and who they can meet (their
    languages, else their Slack locale's; their mode and site; their timezone's offset
    now); recent pairings."""
    members_skills = [
        (member, member.id, skills)
        for member, skills in repo.active_members_with_skills(session)
        if member.id is not None
    ]
    load_ = repo.open_load(session)
    balance = repo.hours_balance(session)
    avoids = repo.avoid_map(session)
    slack_of = {member_id: member.slack_id for member, member_id, _ in members_skills}
    last_seen = {member_id: member.joined_at for member, member_id, _ in members_skills}
    history: list[PastExchange] = []
    for past in repo.past_pairings(session, since=now - timedelta(days=config.cooldown_days)):
        for member_id in (past.teacher_id, past.learner_id):
            if member_id in last_seen and past.created_at > last_seen[member_id]:
                last_seen[member_id] = past.created_at
        if past.teacher_id in slack_of and past.learner_id in slack_of:
            history.append(
                PastExchange(
                    teacher=slack_of[past.teacher_id],
                    learner=slack_of[past.learner_id],
                    days_ago=(now - past.created_at).total_seconds() / 86400,
                    met=past.met,
                )
            )
    candidates = [
        Candidate(
            id=member.slack_id,
            teach=tuple(s.label for s in skills if s.kind == SkillKind.TEACH),
            learn=tuple(s.label for s in skills if s.kind == SkillKind.LEARN),
            avoid=avoids.get(member_id, frozenset()),
            open_as_teacher=load_.as_teacher.get(member_id, 0),
            open_as_learner=load_.as_learner.get(member_id, 0),
            waited_days=(now - last_seen[member_id]).total_seconds() / 86400,
            hours_taught=balance.get(member_id, (0.0, 0.0))[0],
            hours_learned=balance.get(member_id, (0.0, 0.0))[1],
            languages=spoken_languages(member),
            mode=meeting_mode(member.preference),
            site=member.site,
            utc_offset=utc_offset_minutes(member.tz, now),
        )
        for member, member_id, skills in members_skills
    ]
    member_ids = {slack_id: member_id for member_id, slack_id in slack_of.items()}
    return RoundInput(candidates, history, member_ids)


def preview_round(session: Session, *, config: RoundConfig, now: datetime) -> RoundResult:
    """What a round would propose right now, writing nothing."""
    plan = round_input(session, config=config, now=now)
    return plan_round(plan.candidates, plan.history, config)


APPROVAL_SETTING = "approval"
# The scheduled round's job row (bot.serve.jobs) is also the lock every round takes.
ROUND_LOCK = "round"


def approval_required(session: Session) -> bool:
    """Whether the managers review each round's proposals before any intro goes out."""
    return repo.get_setting(session, key=APPROVAL_SETTING) == "on"


def run_round(
    session: Session,
    *,
    config: RoundConfig,
    now: datetime,
    only: str | None = None,
    not_again: tuple[tuple[str, str], ...] = (),
) -> RoundResult:
    """Plan a round and store it: its exchanges with their intros due now, and a notice due
    for each member left out, so every message is sent once by the sweep.

    With `only`, a member's "find me a match now": the round is planned for everyone (so
    every constraint and load is honoured) but only that member's part of it is kept.
    Rounds never run at once (in this process or another): each waits for the one before
    to commit, then plans with its exchanges counted.
    """
    repo.lock_job(session, name=ROUND_LOCK)
    plan = round_input(session, config=config, now=now)
    # pairs a manager just swapped out count as if they had met: not proposed again now
    blocked = [PastExchange(teacher=a, learner=b, days_ago=0, met=True) for a, b in not_again]
    result = plan_round(plan.candidates, [*plan.history, *blocked], config)
    if only is not None:
        result = RoundResult(
            exchanges=tuple(e for e in result.exchanges if only in e.members),
            unmatched=tuple(u for u in result.unmatched if u.id == only),
            stats=result.stats,
        )
    notices = [u for u in result.unmatched if u.reason_code in NOTIFIED_REASONS]
    review = approval_required(session)
    round_ = Round(
        planned_at=now, seed=config.seed, exchanges=len(result.exchanges), unmatched=len(notices)
    )
    session.add(round_)
    session.flush()
    for proposed in result.exchanges:
        exchange = Exchange(
            round_id=round_.id,
            kind=ExchangeKind(proposed.kind),
            participants=len(set(proposed.members)),
            created_at=now,
            state=ExchangeState.PENDING if review else ExchangeState.PROPOSED,
        )
        session.add(exchange)
        session.flush()
        assert exchange.id is not None
        lifecycle.created(session, exchange, now=now)
        session.add_all(
            Lesson(
                exchange_id=exchange.id,
                teacher_id=plan.member_ids[lesson.teacher],
                learner_id=plan.member_ids[lesson.learner],
                teach_label=lesson.teach,
                learn_label=lesson.learn,
                teach_key=key_of(lesson.teach),
                score=lesson.score,
            )
            for lesson in proposed.lessons
        )
        kind = WorkKind.APPROVAL if review else WorkKind.INTRO
        session.add(DueWork(kind=kind, exchange_id=exchange.id, due_at=now))
    session.add_all(
        DueWork(
            kind=WorkKind.UNMATCHED,
            round_id=round_.id,
            member_id=plan.member_ids[notice.id],
            due_at=now,
            payload=json.dumps(
                {
                    "reason": notice.reason_code,
                    "skill": notice.skill,
                    "demand": notice.demand,
                    "languages": notice.languages,
                    "sites": notice.sites,
                    "teachers": notice.teachers,
                }
            ),
        )
        for notice in notices
    )
    session.flush()
    return result


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
        repo.add_due_work(
            session,
            kind=WorkKind.FOLLOWUP,
            exchange_id=exchange_id,
            member_id=member_id,
            due_at=now + timedelta(days=followup_days),
        )
    for kind, days in ((WorkKind.NUDGE, nudge_days), (WorkKind.EXPIRE, expire_days)):
        session.add(DueWork(kind=kind, exchange_id=exchange_id, due_at=now + timedelta(days=days)))
    session.flush()


def _move(
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


def _settle_work(
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
    view, member = _participant(session, exchange_id=exchange_id, slack_id=slack_id)
    if view.exchange.held_at is not None:
        return False
    _move(session, view, ExchangeState.HELD, now=now, member=member)
    _settle_work(
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
    view, member = _participant(session, exchange_id=exchange_id, slack_id=slack_id)
    _move(
        session,
        view,
        ExchangeState.DECLINED,
        now=now,
        member=member,
        reason=(reason or "").strip()[:2000] or None,
    )
    _settle_work(
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
    view, member = _participant(session, exchange_id=exchange_id, slack_id=slack_id)
    further = view.exchange.state == ExchangeState.HELD
    _move(session, view, ExchangeState.SCHEDULED, now=now, member=member)
    exchange = view.exchange
    if further:  # another session: its own follow-ups and evaluations
        exchange.session_number += 1
        _settle_work(session, exchange_id, now=now, kinds=PENDING_KINDS)
        session.add_all(
            DueWork(
                kind=WorkKind.FOLLOWUP,
                exchange_id=exchange_id,
                member_id=member_id,
                due_at=when + duration,
            )
            for member_id in repo.participant_ids(view.lessons)
        )
    exchange.scheduled_at = when
    exchange.duration_minutes = int(duration.total_seconds() // 60)
    exchange.place, exchange.url = place, url
    exchange.invitation_sequence += 1
    session.add(exchange)
    superseded = (WorkKind.NUDGE, WorkKind.EXPIRE, WorkKind.REMINDER, WorkKind.INVITATION)
    _settle_work(session, exchange_id, now=now, kinds=superseded)
    _settle_work(session, exchange_id, now=now, kinds=(WorkKind.FOLLOWUP,), due_at=when + duration)
    version = json.dumps({"sequence": exchange.invitation_sequence})
    session.add(
        DueWork(
            kind=WorkKind.INVITATION,
            exchange_id=exchange_id,
            member_id=member.id,
            due_at=now,
            payload=version,
        )
    )
    remind_at = when - timedelta(hours=reminder_hours)
    if remind_at > now:
        session.add(
            DueWork(
                kind=WorkKind.REMINDER, exchange_id=exchange_id, due_at=remind_at, payload=version
            )
        )
    session.flush()


def report_problem(
    session: Session, *, exchange_id: int, slack_id: str, text: str, now: datetime
) -> None:
    """A confidential report for the managers, sent by the outbox like any message."""
    _, member = _participant(session, exchange_id=exchange_id, slack_id=slack_id)
    session.add(
        DueWork(
            kind=WorkKind.REPORT,
            exchange_id=exchange_id,
            member_id=member.id,
            due_at=now,
            payload=json.dumps({"text": text}),
        )
    )
    session.flush()


def expire(session: Session, view: ExchangeView, *, now: datetime) -> list[int]:
    """Close an introduction nobody acted on. Members whose last introductions all expired
    like this one are paused, and told (with the choice to stay, pause or leave)."""
    lifecycle.move(session, view.exchange, ExchangeState.EXPIRED, now=now)
    _settle_work(session, view.id, now=now, kinds=(WorkKind.FOLLOWUP, WorkKind.NUDGE))
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
            session.add(
                DueWork(
                    kind=WorkKind.AUTO_PAUSED,
                    exchange_id=view.id,
                    member_id=member_id,
                    due_at=now,
                    payload=json.dumps({"count": AUTO_PAUSE_AFTER}),
                )
            )
            paused.append(member_id)
    session.flush()
    return paused


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
    view, member = _participant(session, exchange_id=exchange_id, slack_id=slack_id)
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
        raise ExchangeGone("exchange.closed")
    if view.exchange.state in lifecycle.OPEN:
        _move(session, view, ExchangeState.HELD, now=now, member=member)
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
        _settle_work(
            session, exchange_id, now=now, kinds=(WorkKind.FOLLOWUP_REMINDER, WorkKind.CLOSE)
        )
        session.flush()
    return True


def undeliverable(session: Session, *, exchange_id: int, now: datetime, error: str) -> None:
    """An intro Slack will never deliver (a deactivated account, say): the exchange is
    cancelled, with the reason, and its people go back to the pool."""
    view = load(session, exchange_id=exchange_id, lock=True)
    if view is None or view.exchange.state not in lifecycle.OPEN:
        return
    lifecycle.move(
        session, view.exchange, ExchangeState.CANCELLED, now=now, reason=f"undeliverable: {error}"
    )
    _settle_work(session, exchange_id, now=now, kinds=PENDING_KINDS)
    session.flush()


def approve(session: Session, *, exchange_id: int, manager_id: str, now: datetime) -> None:
    """A manager approves a proposal: its intro goes out."""
    view = load(session, exchange_id=exchange_id, lock=True)
    if view is None or not lifecycle.can_move(view.exchange, ExchangeState.PROPOSED):
        raise ExchangeGone("exchange.closed")
    lifecycle.move(
        session, view.exchange, ExchangeState.PROPOSED, now=now, reason=f"approved by {manager_id}"
    )
    session.add(DueWork(kind=WorkKind.INTRO, exchange_id=exchange_id, due_at=now))
    session.flush()


def reject(session: Session, *, exchange_id: int, manager_id: str, now: datetime) -> ExchangeView:
    """A manager rejects a proposal: nobody is told, everyone stays in the pool."""
    view = load(session, exchange_id=exchange_id, lock=True)
    if view is None or view.exchange.state != ExchangeState.PENDING:
        raise ExchangeGone("exchange.closed")
    lifecycle.move(
        session, view.exchange, ExchangeState.CANCELLED, now=now, reason=f"rejected by {manager_id}"
    )
    session.flush()
    return view


def wont_happen(session: Session, *, exchange_id: int, slack_id: str, now: datetime) -> None:
    """ "It won't happen": an exchange still to happen is cancelled; after a session, the
    further one is given up and the exchange closes."""
    view, member = _participant(session, exchange_id=exchange_id, slack_id=slack_id)
    to = ExchangeState.CANCELLED if view.exchange.state in lifecycle.OPEN else ExchangeState.CLOSED
    _move(session, view, to, now=now, member=member)
    _settle_work(session, exchange_id, now=now, kinds=PENDING_KINDS)
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
    _settle_work(session, view.id, now=now, kinds=PENDING_KINDS)
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
    session.add(
        DueWork(
            kind=WorkKind.FOLLOWUP_REMINDER,
            exchange_id=view.id,
            member_id=member_id,
            due_at=now + timedelta(days=reminder_days),
        )
    )
    if not repo.pending_work(session, exchange_id=view.id, kind=WorkKind.CLOSE):
        session.add(
            DueWork(
                kind=WorkKind.CLOSE, exchange_id=view.id, due_at=now + timedelta(days=close_days)
            )
        )
    session.flush()
