"""Learning records on both databases: a hand-made history gives exact CSV rows, xAPI
statements valid under xAPI 1.0.3, and per-skill attestations."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from bot import privacy
from bot.records import (
    CSV_HEADER,
    SkillHours,
    attestation,
    iso_duration,
    learning_records,
    to_csv,
    to_xapi,
    xapi_json,
)
from tests.support.learning_records import (
    BASE,
    HOME,
    SECRET,
    SINCE,
    UNTIL,
    at,
    expected_rows,
    parse_csv,
    seed,
)
from tests.support.xapi import DURATION, check_statement


def test_csv_rows_are_the_hand_computed_ones(session: Session) -> None:
    e = seed(session)
    text = to_csv(learning_records(session, since=SINCE, until=UNTIL))
    header, *rows = parse_csv(text)
    assert header == list(CSV_HEADER)
    assert rows == expected_rows(e)
    assert text.endswith("\r\n") and SECRET not in text


def test_the_window_is_half_open_on_the_held_date(session: Session) -> None:
    e = seed(session)
    late = learning_records(session, since=at(15, 18), until=at(16, 0, 1))
    assert [(r.exchange_id, r.held_at) for r in late] == [(e["E6"], at(15, 18)), (e["E8"], at(16))]
    assert learning_records(session, since=at(15, 18, 1), until=at(16)) == []
    november = learning_records(session, since=at(30, month=11), until=SINCE)
    assert [(r.exchange_id, r.skill, r.hours) for r in november] == [(e["E7"], "python", 2.0)]


def test_records_in_another_timezone_keep_their_instant(session: Session) -> None:
    seed(session)
    records = learning_records(session, since=SINCE, until=UNTIL)
    paris = parse_csv(to_csv(records[:1], tz=ZoneInfo("Europe/Paris")))[1]
    assert paris[2] == "2026-12-03T11:00:00+01:00"


def test_erased_members_keep_their_hours_but_not_their_names(session: Session) -> None:
    """Eve (a learner) and Dan (a teacher and a learner) are erased: their sessions still
    count, the CSV shows no one, xAPI has no actor for them and no instructor for Dan."""
    e = seed(session)
    privacy.forget(session, slack_id="UDAN", now=at(19))
    session.commit()
    records = learning_records(session, since=SINCE, until=UNTIL)
    assert len(records) == 8
    [eve] = [r for r in records if r.exchange_id == e["E5"]]
    assert (eve.learner_slack_id, eve.learner_name, eve.hours) == (None, "", 1.0)
    [guitar] = [r for r in records if r.exchange_id == e["E6"]]
    assert (guitar.teacher_slack_id, guitar.teacher_name, guitar.learner_slack_id) == (
        None,
        "",
        "UBOB",
    )
    statements = to_xapi(records, homepage=HOME, base=BASE)
    assert len(statements) == 8 - 3  # Eve's lesson and Dan's two Excel sessions
    for statement in statements:
        check_statement(statement)
    assert "instructor" not in statements[-1]["context"]
    text = to_csv(records) + xapi_json(records, homepage=HOME, base=BASE)
    assert "forgotten" not in text and "Dan" not in text and "Eve" not in text


def test_xapi_statements_are_valid_and_say_what_happened(session: Session) -> None:
    seed(session)
    records = learning_records(session, since=SINCE, until=UNTIL)
    text = xapi_json(records, homepage="https://acme.slack.com", base=BASE)
    statements = json.loads(text)
    assert isinstance(statements, list) and len(statements) == 7 and SECRET not in text
    for statement in statements:
        check_statement(statement)
    assert len({s["id"] for s in statements}) == 7
    bob_python = statements[0]
    assert bob_python == {
        "id": bob_python["id"],
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": "https://acme.slack.com", "name": "UBOB"},
        },
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-US": "attended"}},
        "object": {
            "objectType": "Activity",
            "id": "https://acme.slack.com/rex/skills/python",
            "definition": {
                "name": {"en": "Python", "fr": "Python", "es": "Python"},
                "type": "http://adlnet.gov/expapi/activities/lesson",
            },
        },
        "result": {"duration": "PT1H15M", "completion": True},
        "context": {
            "registration": bob_python["context"]["registration"],
            "platform": "Rex",
            "extensions": {
                "https://acme.slack.com/rex/xapi/session": 1,
                "https://acme.slack.com/rex/xapi/learner-wording": "python scripting",
            },
            "instructor": {
                "objectType": "Agent",
                "account": {"homePage": "https://acme.slack.com", "name": "UADA"},
            },
        },
        "timestamp": "2026-12-03T10:00:00+00:00",
    }
    ada = statements[1]  # the swap's other lesson: same exchange, same registration
    assert ada["context"]["registration"] == bob_python["context"]["registration"]
    teacher_only = statements[5]  # E2's second session: only the teacher evaluated
    assert teacher_only["result"] == {"duration": "PT1H", "completion": True}
    assert teacher_only["context"]["extensions"][f"{BASE}/xapi/session"] == 2
    assert statements[2]["object"]["id"] == f"{BASE}/skills/excel"
    # what a learner thought stays private: no score, success or goal, in any statement
    assert all(set(s["result"]) == {"duration", "completion"} for s in statements)


def test_statement_ids_are_stable_across_exports(session: Session) -> None:
    seed(session)
    records = learning_records(session, since=SINCE, until=UNTIL)
    first = to_xapi(records, homepage=HOME, base=BASE)
    again = to_xapi(learning_records(session, since=SINCE, until=UNTIL), homepage=HOME, base=BASE)
    assert [s["id"] for s in first] == [s["id"] for s in again]
    elsewhere = to_xapi(records, homepage="https://other.slack.com", base=BASE)
    assert not {s["id"] for s in first} & {s["id"] for s in elsewhere}


@pytest.mark.parametrize(
    ("hours", "duration"),
    [(1.5, "PT1H30M"), (2.0, "PT2H"), (0.75, "PT45M"), (0.0, "PT0S"), (1 / 3600, "PT1S"),
     (100.0, "PT100H"), (1.3333, "PT1H20M")],
)  # fmt: skip
def test_iso_durations(hours: float, duration: str) -> None:
    assert iso_duration(hours) == duration
    assert DURATION.fullmatch(duration)


# --- attestation -----------------------------------------------------------------------


def test_attestation_sums_hours_per_skill_all_time(session: Session) -> None:
    seed(session)
    # Ada taught python (E7, Nov), Python (E1: Bob's 1.25) and Python (E5: erased Eve's 1.0);
    # learned Public Speaking (E1, her 1.5) and Excel (E3 1.0 + E8 0.5).
    assert attestation(session, slack_id="UADA") == [
        SkillHours("Excel", 0.0, 1.5),
        SkillHours("Public Speaking", 0.0, 1.5),
        SkillHours("Python", 4.25, 0.0),
    ]
    # Dan's two Excel sessions add up (2 + 1, the second by his teacher's count).
    assert attestation(session, slack_id="UDAN") == [
        SkillHours("excel", 0.0, 3.0),
        SkillHours("Guitar", 0.75, 0.0),
    ]
    assert attestation(session, slack_id="UNOBODY") == []
