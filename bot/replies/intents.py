"""What a reply to Rex can mean: the typed intents the parser returns, and what Rex asked.

Small frozen values with their own range checks, so a listener acts only on a valid
rating or duration. `MAX_HOURS` is Rex's one bound on the hours of an exchange.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final, TypeAlias

MAX_HOURS: Final = 100.0  # the most hours one exchange may record


class Expecting(StrEnum):
    """What Rex asked last in a DM: it decides what a bare "4" or "no" means."""

    NOTHING = "nothing"
    DID_IT_HAPPEN = "did_it_happen"
    RATING = "rating"
    HOURS = "hours"
    EVALUATION = "evaluation"  # either a rating or hours, each with its unit
    # A partner said it happened, but this member's own "Did it happen?" still stands:
    # every answer to it stays understood ("not yet" too), and so do a rating or hours.
    HAPPENED_OR_EVALUATION = "happened_or_evaluation"


@dataclass(frozen=True, slots=True)
class Happened:
    """The exchange took place: record it and post the evaluation button."""


@dataclass(frozen=True, slots=True)
class NotYet:
    """It has not happened (yet): offer to reschedule."""


@dataclass(frozen=True, slots=True)
class WontHappen:
    """It will not happen: close it as the "Not a fit" button would."""


@dataclass(frozen=True, slots=True)
class Rating:
    """A satisfaction rating, 1 to 5."""

    value: int

    def __post_init__(self) -> None:
        if not 1 <= self.value <= 5:
            raise ValueError(f"rating out of range: {self.value}")


@dataclass(frozen=True, slots=True)
class Hours:
    """Hours spent, in quarter hours, more than 0 and at most `MAX_HOURS`."""

    value: float

    def __post_init__(self) -> None:
        if not 0 < self.value <= MAX_HOURS or self.value * 4 != int(self.value * 4):
            raise ValueError(f"hours not a positive quarter hour up to {MAX_HOURS}: {self.value}")


@dataclass(frozen=True, slots=True)
class Command:
    """A subcommand typed as text; `argument` is what follows it, trimmed (for skills,
    as typed without the leading French articles; for `pause`, the date or "")."""

    name: str
    argument: str = ""


@dataclass(frozen=True, slots=True)
class Unknown:
    """Not understood: answer kindly, suggesting `closest_command` when there is one."""

    closest_command: str | None = None


Intent: TypeAlias = Happened | NotYet | WontHappen | Rating | Hours | Command | Unknown
