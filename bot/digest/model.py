"""What a digest holds: each period's figures, their trends, the skills, the leaderboard, the weeks.

Plain values (no database), shared by `compute` which fills them, the Block Kit view and the
chart which show them; with the thresholds that keep a figure from naming anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.periods import Period

MIN_RATERS = 3  # k: evaluations from fewer people than this never make a rating figure
WEEKS = 12  # the weekly series (and chart) covers this many weeks
TOP_SKILLS = 5  # most offered / most requested
MARKET_LIST = 10  # orphan requests and idle offers shown (with the total)
SKILL_QUALITY_MAX = 10  # the most evaluated skills with enough evaluations
LEADERBOARD_MAX = 10  # teachers named
LEARNERS_MAX = 5  # learners named on their line
SATISFIED = 4  # a 4 or a 5 out of 5


@dataclass(frozen=True)
class Figures:
    """A period's counts and rates; rates are None when too few answers stand behind them."""

    period: Period
    active: int
    new: int
    paused: int
    left: int
    incomplete: int  # active members with nothing to teach or nothing to learn
    proposed: int
    held: int  # exchanges that held a session
    sessions: int  # sessions held (an exchange's further session counts again)
    evaluated: int
    declined: int
    expired: int
    hours: float  # learning hours: what learners reported
    evaluations: int
    satisfaction_rate: float | None  # share of 4-5 out of 5
    satisfaction_average: float | None
    goals_yes: float | None  # shares of learners' goal answers
    goals_partly: float | None
    evaluations_asked: int  # participants of the sessions held in the period
    evaluations_given: int  # how many of those have evaluated (to this day)
    disputed: int = 0  # "not yet" answers after a partner said it happened (never who)

    @property
    def response_rate(self) -> float | None:
        return _share(self.evaluations_given, self.evaluations_asked)

    @property
    def quiet(self) -> bool:
        """Nothing happened: no one joined or left, no exchange moved, nobody evaluated."""
        return not (
            self.new
            or self.left
            or self.proposed
            or self.held
            or self.declined
            or self.expired
            or self.evaluations
        )


TrendFigure = Literal[
    "active",
    "new",
    "paused",
    "left",
    "incomplete",
    "proposed",
    "held",
    "sessions",
    "evaluated",
    "declined",
    "expired",
    "hours",
    "evaluations",
    "satisfaction_rate",
    "satisfaction_average",
    "goals_yes",
    "goals_partly",
    "response_rate",
]


@dataclass(frozen=True)
class Trend:
    current: float | None
    previous: float | None

    @property
    def delta(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous

    @property
    def direction(self) -> Literal[-1, 0, 1]:
        """1 for ▲, -1 for ▼, 0 when unchanged or not comparable."""
        delta = self.delta
        if not delta:
            return 0
        return 1 if delta > 0 else -1


@dataclass(frozen=True)
class SkillCount:
    """A skill (members' wordings grouped by normalised form) and how many members."""

    label: str  # the wording most members used
    normalized: str
    members: int


@dataclass(frozen=True)
class Market:
    """Today's offer and demand among active members."""

    offered: tuple[SkillCount, ...] = ()
    requested: tuple[SkillCount, ...] = ()
    orphans: tuple[SkillCount, ...] = ()  # wanted, nobody teaches: teachers to recruit
    orphan_total: int = 0
    idle: tuple[SkillCount, ...] = ()  # taught, nobody wants
    idle_total: int = 0


@dataclass(frozen=True)
class SkillQuality:
    label: str
    normalized: str
    evaluations: int  # from MIN_RATERS people at least
    satisfaction_rate: float
    satisfaction_average: float


@dataclass(frozen=True)
class Ranked:
    slack_id: str
    display_name: str
    hours: float


@dataclass(frozen=True)
class Leaderboard:
    """Opted-in members only: teachers by hours taught, learners by hours learned."""

    teachers: tuple[Ranked, ...] = ()
    learners: tuple[Ranked, ...] = ()


@dataclass(frozen=True)
class Week:
    start: datetime
    proposed: int
    sessions: int  # sessions held
    hours: float
    evaluations: int
    satisfaction_rate: float | None


@dataclass(frozen=True)
class Digest:
    current: Figures
    previous: Figures
    market: Market
    skill_quality: tuple[SkillQuality, ...]
    leaderboard: Leaderboard
    weekly: tuple[Week, ...]

    @property
    def period(self) -> Period:
        return self.current.period

    def trend(self, figure: TrendFigure) -> Trend:
        current: float | None = getattr(self.current, figure)
        previous: float | None = getattr(self.previous, figure)
        return Trend(current, previous)


def _share(part: float, whole: float) -> float | None:
    return part / whole if whole else None
