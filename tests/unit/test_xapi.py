"""The tests' xAPI validator refuses what the specification forbids (so a valid verdict
means something)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bot.records import LearningRecord, to_xapi
from tests.support.learning_records import BASE, HOME, at
from tests.support.xapi import check_statement


def _valid_statement() -> dict[str, Any]:
    record = LearningRecord(
        exchange_id=1,
        session_number=1,
        held_at=at(3, 10),
        learner_slack_id="UBOB",
        learner_name="Bob",
        teacher_slack_id="UADA",
        teacher_name="Ada",
        skill="Python",
        learner_wording="python",
        hours=1.5,
    )
    [statement] = to_xapi([record], homepage=HOME, base=BASE)
    return statement


def _set(path: str, value: object) -> Callable[[dict[str, Any]], None]:
    *parents, last = path.split(".")

    def spoil(statement: dict[str, Any]) -> None:
        node = statement
        for key in parents:
            node = node[key]
        node[last] = value

    return spoil


@pytest.mark.parametrize(
    "spoil",
    [
        lambda s: s.pop("actor"),
        _set("comment", "a private comment"),
        _set("id", "not-a-uuid"),
        _set("verb.id", "attended"),
        _set("verb.display", {"english": "attended"}),
        _set("actor.mbox", "mailto:bob@example.com"),
        _set("actor.account.homePage", "slack"),
        _set("object.id", "python"),
        _set("result.duration", "1:30"),
        _set("result.duration", "PT"),
        _set("result.completion", "yes"),
        _set("result.score", {"scaled": 0.75, "raw": 4, "min": 1, "max": 5}),
        _set("result.success", True),
        _set("result.extensions", {f"{BASE}/xapi/goal-met": "yes"}),
        _set("context.registration", "exchange-1"),
        _set("timestamp", "2026-12-03T10:00:00"),
    ],
)
def test_the_validator_rejects_what_the_specification_forbids(
    spoil: Callable[[dict[str, Any]], None],
) -> None:
    statement = _valid_statement()
    check_statement(statement)
    spoil(statement)
    with pytest.raises(AssertionError):
        check_statement(statement)
