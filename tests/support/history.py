"""A small network's history, worked out by hand, for the digest's tests (and the replicas'
and end-to-end ones that need members with skills): members, exchanges moved through their
states, evaluations as the form records them."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from bot.matching import key_of
from bot.periods import Period
from storage.models import (
    Evaluation,
    Exchange,
    ExchangeEvent,
    ExchangeKind,
    ExchangeState,
    GoalMet,
    Lesson,
    Member,
    MemberStatus,
    Skill,
    SkillKind,
)

S = ExchangeState
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # a Monday: the period is the week before
PERIOD = Period(NOW - timedelta(days=7), NOW)  # [Nov 23 09:00, Nov 30 09:00); previous from 16
LONG_AGO = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
SWAPS = [
    ("Python", "Excel"),
    ("SQL", "Figma"),
    ("Git", "Spanish"),
    ("Kubernetes", "Photography"),
    ("Negotiation", "Copywriting"),
]
SECRET = "a private comment that must never leave the evaluation table"


def at(day: int, hour: int = 10, month: int = 11) -> datetime:
    """A time in late 2026, by default a November morning."""
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


def add_member(
    session: Session,
    name: str,
    *,
    teach: Sequence[str] = (),
    learn: Sequence[str] = (),
    joined: datetime = LONG_AGO,
    status: MemberStatus = MemberStatus.ACTIVE,
    left_at: datetime | None = None,
    leaderboard: bool = False,
) -> int:
    """A member (`U` + upper-cased name) with these skills; their id."""
    member = Member(
        slack_id=f"U{name.upper()}",
        display_name=name,
        status=status,
        joined_at=joined,
        charter_agreed_at=joined,
        left_at=left_at,
        leaderboard=leaderboard,
    )
    session.add(member)
    session.flush()
    assert member.id is not None
    for kind, labels in ((SkillKind.TEACH, teach), (SkillKind.LEARN, learn)):
        session.add_all(
            Skill(
                member_id=member.id,
                kind=kind,
                label=label,
                normalized=key_of(label),
                created_at=joined,
            )
            for label in labels
        )
    return member.id


def add_exchange(
    session: Session,
    lessons: Sequence[tuple[int, int, str]],
    moves: Sequence[tuple[ExchangeState, datetime]],
) -> int:
    """An exchange that went through `moves` (the first is its proposal), as
    `bot.lifecycle` records them, with its (teacher, learner, skill) lessons."""
    states = [state for state, _ in moves]
    held = [when for state, when in moves if state == S.HELD]
    last, ended = moves[-1]
    exchange = Exchange(
        kind=ExchangeKind.GROUP if len(lessons) > 2 else ExchangeKind.PAIR,
        state=last,
        created_at=moves[0][1],
        held_at=held[0] if held else None,
        closed_at=ended if last in (S.EVALUATED, S.CLOSED, S.DECLINED, S.EXPIRED) else None,
        session_number=max(len(held), 1),
        participants=len({person for t, learner, _ in lessons for person in (t, learner)}),
    )
    session.add(exchange)
    session.flush()
    assert exchange.id is not None
    session.add_all(
        ExchangeEvent(exchange_id=exchange.id, from_state=before, to_state=state, at=when)
        for before, (state, when) in zip([None, *states], moves, strict=False)
    )
    session.add_all(
        Lesson(
            exchange_id=exchange.id,
            teacher_id=t,
            learner_id=learner,
            teach_label=skill,
            learn_label=skill,
            teach_key=key_of(skill),
        )
        for t, learner, skill in lessons
    )
    session.flush()
    return exchange.id


def evaluate(
    session: Session,
    exchange_id: int,
    member_id: int,
    when: datetime,
    satisfaction: int,
    hours: float,
    *,
    goal: GoalMet | None = None,
    useful: GoalMet | None = None,
    number: int = 1,
    typed_by_learner: bool = False,
) -> None:
    """An evaluation as the form records it: a goal from a learner, usefulness from a
    teacher; typed in a DM, a learner's evaluation has no goal answer."""
    session.add(
        Evaluation(
            exchange_id=exchange_id,
            member_id=member_id,
            session_number=number,
            satisfaction=satisfaction,
            goal_met=goal,
            useful=useful,
            as_learner=goal is not None or typed_by_learner,
            as_teacher=useful is not None,
            hours=hours,
            comment=SECRET,
            created_at=when,
        )
    )


def python_class(
    session: Session, *, proposed: datetime, held: datetime
) -> tuple[int, list[int], int]:
    """Ada teaches Python to Bob, Cleo and Dan in one group: (Ada, learners, exchange)."""
    ada = add_member(session, "Ada", teach=["Python"])
    learners = [add_member(session, name, learn=["Python"]) for name in ("Bob", "Cleo", "Dan")]
    x = add_exchange(
        session,
        [(ada, learner, "Python") for learner in learners],
        [(S.PROPOSED, proposed), (S.HELD, held)],
    )
    return ada, learners, x


@dataclass(frozen=True)
class People:
    """The member ids of `seed_history`."""

    ada: int
    bob: int
    cleo: int
    dan: int
    eve: int
    finn: int


def seed_history(session: Session) -> People:
    """The history the expectations below are worked out from.

    Members: Ada and Bob (long-standing, opted in), Cleo (joined Nov 18, not opted in), Dan
    (joined Nov 25, opted in, nothing to learn), Eve (paused, the only Rust teacher), Finn
    (left on Nov 26). Exchanges, by when things happened (P = previous week, C = current):

    X1 Ada→Bob Python: proposed P, held P, Bob evaluates P, Ada evaluates C, evaluated C.
    X2 Ada→Bob, Cleo, Dan Python (group): proposed, held, all four evaluate, evaluated: C.
    X3 Bob→Ada Public speaking: proposed C, session 1 held C (only Ada evaluates),
       session 2 held C (both evaluate), evaluated C.
    X4 Ada→Cleo: proposed C, declined C.  X5 Cleo→Bob: proposed Nov 10, expired C.
    X6 Ada→Bob: proposed C, still open.  X7 Cleo→Bob: proposed, held, evaluated on Oct 1-4.
    """
    p = People(
        ada=add_member(
            session,
            "Ada",
            teach=["Python", "Knitting"],
            learn=["Public speaking"],
            leaderboard=True,
        ),
        bob=add_member(
            session, "Bob", teach=["Public speaking"], learn=["Python", "Rust"], leaderboard=True
        ),
        cleo=add_member(session, "Cleo", teach=["python"], learn=["Rust"], joined=at(18)),
        dan=add_member(session, "Dan", teach=["Excel"], joined=at(25), leaderboard=True),
        eve=add_member(
            session, "Eve", teach=["Rust"], learn=["Python"], status=MemberStatus.PAUSED
        ),
        finn=add_member(
            session,
            "Finn",
            teach=["Public speaking"],
            learn=["Excel"],
            status=MemberStatus.LEFT,
            left_at=at(26),
        ),
    )
    x1 = add_exchange(
        session,
        [(p.ada, p.bob, "Python")],
        [(S.PROPOSED, at(17)), (S.SCHEDULED, at(18)), (S.HELD, at(20)), (S.EVALUATED, at(24))],
    )
    evaluate(session, x1, p.bob, at(21), 5, 1.5, goal=GoalMet.YES)
    evaluate(session, x1, p.ada, at(24), 4, 1.5, useful=GoalMet.YES)
    x2 = add_exchange(
        session,
        [(p.ada, p.bob, "Python"), (p.ada, p.cleo, "Python"), (p.ada, p.dan, "Python")],
        [
            (S.PROPOSED, at(23, 12)),
            (S.SCHEDULED, at(23, 13)),
            (S.HELD, at(25)),
            (S.EVALUATED, at(26)),
        ],
    )
    evaluate(session, x2, p.bob, at(25, 12), 4, 2.0, goal=GoalMet.YES)
    evaluate(session, x2, p.cleo, at(25, 13), 3, 2.0, goal=GoalMet.PARTLY)
    evaluate(session, x2, p.ada, at(25, 14), 5, 2.0, useful=GoalMet.YES)
    evaluate(session, x2, p.dan, at(26), 5, 1.0, goal=GoalMet.NO)
    x3 = add_exchange(
        session,
        [(p.bob, p.ada, "Public speaking")],
        [
            (S.PROPOSED, at(24, 9)),
            (S.SCHEDULED, at(25, 9)),
            (S.HELD, at(27, 9)),
            (S.SCHEDULED, at(28, 9)),
            (S.HELD, at(29, 9)),
            (S.EVALUATED, at(29, 13)),
        ],
    )
    evaluate(session, x3, p.ada, at(27, 12), 2, 1.0, goal=GoalMet.PARTLY)
    evaluate(session, x3, p.ada, at(29, 12), 4, 1.0, goal=GoalMet.YES, number=2)
    evaluate(session, x3, p.bob, at(29, 13), 5, 1.0, useful=GoalMet.YES, number=2)
    add_exchange(session, [(p.ada, p.cleo, "Python")], [(S.PROPOSED, at(25)), (S.DECLINED, at(26))])
    add_exchange(session, [(p.cleo, p.bob, "python")], [(S.PROPOSED, at(10)), (S.EXPIRED, at(24))])
    add_exchange(session, [(p.ada, p.bob, "Python")], [(S.PROPOSED, at(28))])
    x7 = add_exchange(
        session,
        [(p.cleo, p.bob, "python")],
        [(S.PROPOSED, at(1, month=10)), (S.HELD, at(3, month=10)), (S.EVALUATED, at(4, month=10))],
    )
    evaluate(session, x7, p.bob, at(4, month=10), 1, 0.5, goal=GoalMet.NO)
    session.commit()
    return p


def seed_swaps(engine: Engine) -> list[str]:
    """Pairs who each teach what the other wants (`SWAPS`); their Slack ids."""
    with Session(engine) as session:
        people = []
        for i, (one, other) in enumerate(SWAPS):
            add_member(session, f"a{i}", teach=[one], learn=[other])
            add_member(session, f"b{i}", teach=[other], learn=[one])
            people += [f"UA{i}", f"UB{i}"]
        session.commit()
    return people
