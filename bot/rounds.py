"""A round in the network, on the database side: read who can be matched, plan with the pure
planner (`bot.matching.rounds`), store the proposals with the messages they owe, and the
managers' review of proposals when approval is on. Slack-free."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot import exchanges, lifecycle, outbox
from bot.matching import key_of
from bot.matching.meeting import meeting_mode, utc_offset_minutes
from bot.matching.rounds.model import Candidate, PastExchange, RoundConfig, RoundResult
from bot.matching.rounds.planner import plan_round
from bot.members import spoken_languages
from storage import repo
from storage.models import (
    Exchange,
    ExchangeKind,
    ExchangeState,
    Lesson,
    Round,
    SkillKind,
)


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


def require_approval(session: Session, *, on: bool, now: datetime) -> None:
    """Turn the managers' review of proposals on or off, from the next round."""
    repo.put_setting(session, key=APPROVAL_SETTING, value="on" if on else "off", now=now)


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
        owe = outbox.owe_approval if review else outbox.owe_intro
        owe(session, exchange_id=exchange.id, due_at=now)
    assert round_.id is not None
    for notice in notices:
        outbox.owe_unmatched(
            session,
            round_id=round_.id,
            member_id=plan.member_ids[notice.id],
            notice=outbox.UnmatchedNotice(
                reason=notice.reason_code,
                skill=notice.skill,
                demand=notice.demand,
                languages=notice.languages,
                sites=notice.sites,
                teachers=notice.teachers,
            ),
            due_at=now,
        )
    session.flush()
    return result


def approve(session: Session, *, exchange_id: int, manager_id: str, now: datetime) -> None:
    """A manager approves a proposal: its intro goes out."""
    view = exchanges.load(session, exchange_id=exchange_id, lock=True)
    if view is None or not lifecycle.can_move(view.exchange, ExchangeState.PROPOSED):
        raise exchanges.ExchangeGone("exchange.closed")
    lifecycle.move(
        session, view.exchange, ExchangeState.PROPOSED, now=now, reason=f"approved by {manager_id}"
    )
    outbox.owe_intro(session, exchange_id=exchange_id, due_at=now)
    session.flush()


def reject(
    session: Session, *, exchange_id: int, manager_id: str, now: datetime
) -> exchanges.ExchangeView:
    """A manager rejects a proposal: nobody is told, everyone stays in the pool."""
    view = exchanges.load(session, exchange_id=exchange_id, lock=True)
    if view is None or view.exchange.state != ExchangeState.PENDING:
        raise exchanges.ExchangeGone("exchange.closed")
    lifecycle.move(
        session, view.exchange, ExchangeState.CANCELLED, now=now, reason=f"rejected by {manager_id}"
    )
    session.flush()
    return view
