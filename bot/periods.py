"""Periods of whole weeks where the managers are: the calendar of digests and weekly deadlines.

Pure date arithmetic (no database): a period is [since, until) of aware datetimes, and the
periods Rex reports on run from Monday 00:00 to Monday 00:00 in the managers' timezone, so
a week, a month (4 weeks) or a quarter (13 weeks) always lines up with whole weekly
digests, and a change of daylight saving time keeps the boundaries at midnight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo


@dataclass(frozen=True)
class Period:
    """The half-open interval [since, until) of aware datetimes."""

    since: datetime
    until: datetime

    def __post_init__(self) -> None:
        if self.since.tzinfo is None or self.until.tzinfo is None:
            raise ValueError("a period needs aware datetimes")
        if self.since >= self.until:
            raise ValueError("a period must end after it starts")

    @classmethod
    def weeks_to(cls, monday: date, *, weeks: int, tz: tzinfo) -> Period:
        """The `weeks` whole weeks before `monday` 00:00 in `tz` (wall-clock weeks, so a
        change of daylight saving time keeps the boundaries at midnight)."""
        until = datetime.combine(monday, time.min, tzinfo=tz)
        return cls(until - timedelta(weeks=weeks), until)

    @property
    def length(self) -> timedelta:
        return self.until - self.since

    def previous(self) -> Period:
        """The period of the same length just before, for trends."""
        return Period(self.since - self.length, self.since)


def last_monday(now: datetime, tz: tzinfo) -> date:
    """The Monday that began the current week in `tz`: the end of the last whole week."""
    today = now.astimezone(tz).date()
    return today - timedelta(days=today.weekday())


def week_closing(when: datetime, tz: tzinfo) -> datetime:
    """The Monday 00:00 in `tz` that ends the week holding `when`."""
    return datetime.combine(last_monday(when, tz) + timedelta(weeks=1), time.min, tzinfo=tz)


def whole_weeks(period: Period) -> int:
    """How many weeks `period` lasts, 0 when it is not whole weeks."""
    weeks, rest = divmod(period.length, timedelta(weeks=1))
    return 0 if rest else weeks


def weeks_of(period: Period, cuts: Sequence[datetime]) -> list[datetime]:
    """The week cuts from `period`'s start to its end, when it lasts two whole weeks or
    more and `cuts` cover it; else none (a one-week period is its own week)."""
    bounds = [cut for cut in cuts if period.since <= cut <= period.until]
    weeks = whole_weeks(period)
    return bounds if weeks >= 2 and len(bounds) == weeks + 1 else []
