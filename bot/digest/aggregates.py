"""SQL pieces every digest query shares: interval buckets, conditional sums, and k raters.

A rating figure stands on the evaluations of at least `MIN_RATERS` different people;
`complete_raters` tells whether it does by walking an index for up to k of them, never
by counting everyone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    ScalarSelect,
    case,
)
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select  # select() is typed for up to four columns

from bot.digest.model import MIN_RATERS
from storage.models import (
    Evaluation,
)

K = TypeVar("K")


def rated(part: float, whole: int, raters: frozenset[int]) -> float | None:
    """A rating figure, only when the evaluations of at least k people stand behind it."""
    return part / whole if whole and len(raters) >= MIN_RATERS else None


def interval_index(column: Any, cuts: Sequence[datetime]) -> ColumnElement[int]:
    """Which interval [cuts[i], cuts[i + 1]) holds `column`, for rows already kept within
    [cuts[0], cuts[-1]) (at least three cuts)."""
    return case(*((column < cut, i) for i, cut in enumerate(cuts[1:-1])), else_=len(cuts) - 2)


def case_when(condition: ColumnElement[bool], value: Any = 1) -> ColumnElement[Any]:
    return case((condition, value), else_=0)


def next_rater(
    start: datetime, end: datetime, found: set[Any], *conditions: ColumnElement[bool]
) -> ScalarSelect[Any]:
    """Someone else than `found` who evaluated in [start, end): a walk of the index on
    `created_at` that stops at the first such row (never a scan of the table)."""
    created, member = col(Evaluation.created_at), col(Evaluation.member_id)
    return (
        select(member)
        .where(created >= start, created < end, member.not_in(found), *conditions)
        .order_by(created)
        .limit(1)
        .scalar_subquery()
    )


def complete_raters(
    session: Session,
    raters: dict[K, set[Any]],
    walk: Callable[[K, set[Any]], ScalarSelect[Any]],
    *,
    everyone: set[K],
) -> None:
    """Grow each set of evaluators up to k people, one `walk` (`next_rater`) per set
    still short in each round trip; `everyone` holds the keys of sets already known to
    hold all their people. Enough to tell whether k people stand behind a figure, and
    sets of intervals, united, tell it for their union too."""
    while short := [
        k for k, found in raters.items() if k not in everyone and len(found) < MIN_RATERS
    ]:
        found: Sequence[Any] = session.exec(Select(*(walk(k, raters[k]) for k in short))).one()
        for key, person in zip(short, found, strict=True):
            if person is None:
                everyone.add(key)
            else:
                raters[key].add(person)
