"""Round-planner inputs and outputs in a line each, for the matching engine's tests."""

from collections.abc import Iterable
from typing import Any

from bot.matching.rounds.model import Candidate, RoundResult, Unmatched


def member(
    member_id: str, teach: Iterable[str] = (), learn: Iterable[str] = (), **fields: Any
) -> Candidate:
    """A candidate who teaches and learns these labels; `languages` may be any iterable."""
    if "languages" in fields:
        fields["languages"] = frozenset(fields["languages"])
    return Candidate(member_id, tuple(teach), tuple(learn), **fields)


def pairs_taught(result: RoundResult) -> set[tuple[str, str]]:
    """Every (teacher, learner) the round put together, whatever the exchange's shape."""
    return {(lesson.teacher, lesson.learner) for x in result.exchanges for lesson in x.lessons}


def reason_of(result: RoundResult, member_id: str) -> Unmatched:
    """Why the round left this member out (they must have been)."""
    (found,) = [item for item in result.unmatched if item.id == member_id]
    return found
