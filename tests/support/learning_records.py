"""A hand-made history of exchanges for the learning-records tests: what each should give
as a CSV row is worked out in `expected_rows`; every evaluation has a private comment."""

import csv
import io
from datetime import UTC, datetime

from sqlmodel import Session

from bot import privacy
from bot.records import public_base
from storage.models import (
    Evaluation,
    Exchange,
    ExchangeKind,
    ExchangeState,
    GoalMet,
    Lesson,
    Member,
)

HOME = "https://acme.slack.com"
BASE = public_base(None, HOME)  # https://acme.slack.com/rex
SINCE = datetime(2026, 12, 1, tzinfo=UTC)
UNTIL = datetime(2026, 12, 16, tzinfo=UTC)  # `--until 2026-12-15`: the 15th included
SECRET = "SECRET-COMMENT"


def at(day: int, hour: int = 0, minute: int = 0, month: int = 12) -> datetime:
    """A time in December 2026 (UTC), the month the records are exported for."""
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


class History:
    """Builds exchanges the way Rex stores them, every evaluation with a private comment."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.ids: dict[str, int] = {}

    def member(self, slack_id: str, name: str) -> None:
        member = Member(slack_id=slack_id, display_name=name)
        self.session.add(member)
        self.session.flush()
        assert member.id is not None
        self.ids[slack_id] = member.id

    def exchange(
        self,
        lessons: list[tuple[str, str, str, str]],
        *,
        kind: ExchangeKind = ExchangeKind.PAIR,
        state: ExchangeState = ExchangeState.EVALUATED,
        scheduled_at: datetime | None = None,
        held_at: datetime | None = None,
        session_number: int = 1,
    ) -> int:
        """`lessons` are (teacher, learner, teach label, learn label)."""
        exchange = Exchange(
            kind=kind,
            state=state,
            scheduled_at=scheduled_at,
            held_at=held_at,
            session_number=session_number,
            created_at=at(1, month=11),
        )
        self.session.add(exchange)
        self.session.flush()
        assert exchange.id is not None
        for teacher, learner, teach, learn in lessons:
            self.session.add(
                Lesson(
                    exchange_id=exchange.id,
                    teacher_id=self.ids[teacher],
                    learner_id=self.ids[learner],
                    teach_label=teach,
                    learn_label=learn,
                )
            )
        self.session.flush()
        return exchange.id

    def evaluate(
        self,
        exchange_id: int,
        slack_id: str,
        when: datetime,
        *,
        satisfaction: int,
        hours: float,
        goal: GoalMet | None = None,
        useful: GoalMet | None = None,
        number: int = 1,
    ) -> None:
        self.session.add(
            Evaluation(
                exchange_id=exchange_id,
                member_id=self.ids[slack_id],
                session_number=number,
                satisfaction=satisfaction,
                goal_met=goal,
                useful=useful,
                hours=hours,
                comment=f"{SECRET} from {slack_id}",
                created_at=when,
            )
        )


def seed(session: Session) -> dict[str, int]:
    """Exchanges E1-E9 (see `expected_rows` for what each should give); E5's learner,
    Eve, is erased afterwards."""
    h = History(session)
    for slack_id, name in (
        ("UADA", "Ada"),
        ("UBOB", "Bob"),
        ("UCLE", "Clémence"),
        ("UDAN", "Dan"),
        ("UEVE", "Eve"),
    ):
        h.member(slack_id, name)
    y, no, partly = GoalMet.YES, GoalMet.NO, GoalMet.PARTLY
    e: dict[str, int] = {}
    # A swap, scheduled then marked met later: dated by its schedule.
    e["E1"] = h.exchange(
        [
            ("UADA", "UBOB", "Python", "python scripting"),
            ("UBOB", "UADA", "Public speaking", "Public Speaking"),
        ],
        kind=ExchangeKind.SWAP,
        scheduled_at=at(3, 10),
        held_at=at(3, 12),
    )
    h.evaluate(e["E1"], "UADA", at(4, 9), satisfaction=5, hours=1.5, goal=y, useful=y)
    h.evaluate(e["E1"], "UBOB", at(4, 10), satisfaction=3, hours=1.25, goal=partly, useful=y)
    # Two sessions: the first dated by held_at, the second (teacher only) by its schedule.
    e["E2"] = h.exchange(
        [("UCLE", "UDAN", "Excel", "excel")],
        state=ExchangeState.HELD,
        scheduled_at=at(10, 14),
        held_at=at(5, 9),
        session_number=2,
    )
    h.evaluate(e["E2"], "UDAN", at(6, 9), satisfaction=4, hours=2.0, goal=no)
    h.evaluate(e["E2"], "UCLE", at(5, 18), satisfaction=4, hours=2.0, useful=partly)
    h.evaluate(e["E2"], "UCLE", at(11, 8), satisfaction=5, hours=1.0, useful=y, number=2)
    # A group where only Ada evaluated: Bob's lesson has nobody to vouch for it.
    e["E3"] = h.exchange(
        [("UCLE", "UADA", "Excel", "Excel"), ("UCLE", "UBOB", "Excel", "Excel for finance")],
        kind=ExchangeKind.GROUP,
        state=ExchangeState.CLOSED,
        scheduled_at=at(8, 10),
        held_at=at(8, 11),
    )
    h.evaluate(e["E3"], "UADA", at(8, 12), satisfaction=2, hours=1.0, goal=no)
    # Planned for the 20th but evaluated on the 9th: it happened by the evaluation.
    e["E4"] = h.exchange(
        [("UBOB", "UCLE", "Chess", "chess")],
        state=ExchangeState.HELD,
        scheduled_at=at(20, 18),
        held_at=at(9, 8),
    )
    h.evaluate(e["E4"], "UCLE", at(9, 8), satisfaction=4, hours=0.5, goal=y)
    # Eve's lesson: she is erased below; her hours stay, her name goes.
    e["E5"] = h.exchange(
        [("UADA", "UEVE", "Python", "Python")],
        state=ExchangeState.CLOSED,
        scheduled_at=at(12, 9),
        held_at=at(12, 10),
    )
    h.evaluate(e["E5"], "UEVE", at(12, 10), satisfaction=5, hours=1.0, goal=y)
    # Held on the window's last day, evaluated after it; the learner's hours win.
    e["E6"] = h.exchange(
        [("UDAN", "UBOB", "Guitar", "@guitar")], scheduled_at=at(15, 18), held_at=at(15, 20)
    )
    h.evaluate(e["E6"], "UBOB", at(20, 9), satisfaction=4, hours=0.75, goal=y)
    h.evaluate(e["E6"], "UDAN", at(16, 9), satisfaction=5, hours=1.0, useful=y)
    # Outside the window: a minute before it (evaluated inside it), and its first instant after.
    e["E7"] = h.exchange(
        [("UADA", "UCLE", "python", "Python")], scheduled_at=at(30, 23, 59, month=11)
    )
    h.evaluate(e["E7"], "UCLE", at(1, 9), satisfaction=5, hours=2.0, goal=y)
    e["E8"] = h.exchange([("UCLE", "UADA", "Excel", "Excel")], scheduled_at=at(16))
    h.evaluate(e["E8"], "UADA", at(16, 2), satisfaction=4, hours=0.5, goal=y)
    # Held, never evaluated: not training time.
    e["E9"] = h.exchange(
        [("UBOB", "UDAN", "Chess", "Chess")], state=ExchangeState.CLOSED, held_at=at(7)
    )
    session.commit()
    privacy.forget(session, slack_id="UEVE", now=at(18))
    session.commit()
    return e


def expected_rows(e: dict[str, int]) -> list[list[str]]:
    """By hand: date, learner, teacher, skill (its one English name), the teacher's and the
    learner's wordings, hours: never a rating or a goal."""
    rows = [
        ("E1", 1, "03T10:00", "UBOB", "Bob", "UADA", "Ada", "Python", "Python",
         "python scripting", "1.25"),
        ("E1", 1, "03T10:00", "UADA", "Ada", "UBOB", "Bob", "Public speaking",
         "Public speaking", "Public Speaking", "1.50"),
        ("E2", 1, "05T09:00", "UDAN", "Dan", "UCLE", "Clémence", "Excel", "Excel", "excel",
         "2.00"),
        ("E3", 1, "08T10:00", "UADA", "Ada", "UCLE", "Clémence", "Excel", "Excel", "Excel",
         "1.00"),
        ("E4", 1, "09T08:00", "UCLE", "Clémence", "UBOB", "Bob", "Chess", "Chess", "chess",
         "0.50"),
        ("E2", 2, "10T14:00", "UDAN", "Dan", "UCLE", "Clémence", "Excel", "Excel", "excel",
         "1.00"),
        ("E5", 1, "12T09:00", "", "", "UADA", "Ada", "Python", "Python", "Python", "1.00"),
        ("E6", 1, "15T18:00", "UBOB", "Bob", "UDAN", "Dan", "Guitar", "Guitar", "'@guitar",
         "0.75"),
    ]  # fmt: skip
    return [
        [str(e[name]), str(n), f"2026-12-{when}:00+00:00", *rest] for name, n, when, *rest in rows
    ]


def parse_csv(text: str) -> list[list[str]]:
    """The rows of a CSV text, header first."""
    return list(csv.reader(io.StringIO(text)))
