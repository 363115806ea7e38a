"""What a round takes and gives: members, past exchanges and rules in; exchanges and reasons out.

These are the engine's whole interface (`bot.matching.rounds.planner.plan_round`), kept
apart from how a round is planned so the bot, `rex match` and the tests share them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bot.matching.meeting import MeetingMode, language_names, meeting_mode, place_names

ExchangeKind = Literal["swap", "cycle", "pair", "group"]
ReasonCode = Literal[
    "nothing_to_teach",
    "nothing_to_learn",
    "learner_at_capacity",
    "nobody_teaches",
    "only_avoided_or_recent",
    "teachers_busy",
    "no_shared_language",
    "no_site",
    "teachers_elsewhere",
    "teachers_in_person",
]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A member taking part in a round (the caller leaves paused members out).

    Capacities left as None take the round's `RoundConfig` values; `open_as_*` count the
    exchanges already open, which use up capacity before this round starts.

    Who they can meet (see `bot.matching.meeting`): `languages` they can exchange in (ISO 639 codes;
    empty: not known, so any), `mode` (`in_person`, `remote` or `either`), `site` (free
    text, compared as skills are) and `utc_offset` (minutes east of UTC, or None).
    """

    id: str
    teach: tuple[str, ...]
    learn: tuple[str, ...]
    avoid: frozenset[str] = frozenset()
    teacher_capacity: int | None = None
    learner_capacity: int | None = None
    open_as_teacher: int = 0
    open_as_learner: int = 0
    waited_days: float = 0.0
    hours_taught: float = 0.0
    hours_learned: float = 0.0
    languages: frozenset[str] = frozenset()
    mode: MeetingMode = "either"
    site: str | None = None
    utc_offset: int | None = None

    def __post_init__(self) -> None:
        meeting_mode(self.mode)


@dataclass(frozen=True, slots=True)
class PastExchange:
    """An earlier exchange; `met` says whether it actually happened."""

    teacher: str
    learner: str
    days_ago: float
    met: bool


@dataclass(frozen=True, slots=True)
class RoundConfig:
    """Round-wide rules (REX_TEACHER_CAPACITY, REX_LEARNER_CAPACITY, REX_COOLDOWN_DAYS).

    Groups hold `group_min_learners` to `group_max_size - 1` learners plus their teacher;
    with `group_max_size - 1 < group_min_learners` no group can form.
    """

    teacher_capacity: int = 2
    learner_capacity: int = 1
    cooldown_days: float = 90
    seed: int = 0
    group_min_learners: int = 3
    group_max_size: int = 6

    def __post_init__(self) -> None:
        if self.teacher_capacity < 0 or self.learner_capacity < 0:
            raise ValueError("capacities must be zero or more")
        if self.cooldown_days < 0:
            raise ValueError("cooldown_days must be zero or more")
        if self.group_min_learners < 2:
            raise ValueError("a group needs at least 2 learners (one learner is a pair)")


@dataclass(frozen=True, slots=True)
class Lesson:
    """One teacher teaching one learner one skill, with each side's own wording."""

    teacher: str
    learner: str
    teach: str
    learn: str
    score: float


@dataclass(frozen=True, slots=True)
class ProposedExchange:
    """One introduction: a pair, a swap, a 3-cycle (in teaching order) or a group.

    `members` lists the teacher first for pairs and groups, and A, B, C for a cycle
    A→B→C→A.
    """

    kind: ExchangeKind
    members: tuple[str, ...]
    lessons: tuple[Lesson, ...]


@dataclass(frozen=True, slots=True)
class Unmatched:
    """Why a member got nothing this round, structured so the Slack layer can localise it.

    `skill` is the member's own wording of the skill the reason is about, `demand` how many
    other members want that same skill (same normalised label) this round. For the reasons
    about meeting: `languages` the member speaks (`no_shared_language`), `sites` where the
    teachers who speak one of them are (as most people write it; empty when some are not
    known or there are too many to name) and `teachers` how many of those there are
    (`teachers_elsewhere`, `teachers_in_person`).
    """

    id: str
    reason_code: ReasonCode
    skill: str | None = None
    demand: int = 0
    languages: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    teachers: int = 0

    @property
    def reason(self) -> str:
        """Plain English, for `rex match` output and logs."""
        others = (
            f"; {self.demand} other {'person wants' if self.demand == 1 else 'people want'} it too"
            if self.demand
            else ""
        )
        match self.reason_code:
            case "nothing_to_teach":
                return "add a skill you can teach: exchanges are reciprocal"
            case "nothing_to_learn":
                return "add a skill you want to learn"
            case "learner_at_capacity":
                return "you already have as many open exchanges as a learner as you allow"
            case "nobody_teaches":
                return f"nobody teaches {self.skill} yet{others}"
            case "only_avoided_or_recent":
                return f"everyone who teaches {self.skill} is someone you avoid or met recently"
            case "teachers_busy":
                return f"everyone who teaches {self.skill} is fully booked this round{others}"
            case "no_shared_language":
                speaks = language_names(self.languages, "en")
                return f"nobody who speaks {speaks} teaches {self.skill} yet{others}"
            case "no_site":
                return (
                    f"you asked to meet in person but gave no site, so nobody who teaches"
                    f" {self.skill} is known to be near you"
                )
            case "teachers_elsewhere":
                who = (
                    f"the only person who teaches {self.skill} works"
                    if self.teachers == 1
                    else f"the people who teach {self.skill} work"
                )
                return f"{who} {self._where()}, and you asked to meet in person"
            case "teachers_in_person":
                who = (
                    f"the only person who teaches {self.skill} meets"
                    if self.teachers == 1
                    else f"the people who teach {self.skill} meet"
                )
                return f"{who} only in person, {self._where()}"

    def _where(self) -> str:
        return f"in {place_names(self.sites, 'en')}" if self.sites else "elsewhere"


@dataclass(frozen=True, slots=True)
class RoundResult:
    """The chosen exchanges (swaps, cycles, groups, pairs in that order) and the rest."""

    exchanges: tuple[ProposedExchange, ...]
    unmatched: tuple[Unmatched, ...]
    stats: dict[str, int | float] = field(default_factory=dict)
