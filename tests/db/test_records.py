"""Learning records on both databases: a hand-made history gives exact CSV rows, xAPI
statements valid under xAPI 1.0.3, and per-skill attestations; `rex export` end to end."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from bot import privacy
from bot.cli.export import run_export
from bot.records import (
    CSV_HEADER,
    LearningRecord,
    SkillHours,
    attestation,
    iso_duration,
    learning_records,
    public_base,
    to_csv,
    to_xapi,
    xapi_json,
)
from storage.db import make_engine, migrate
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
    return list(csv.reader(io.StringIO(text)))


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


# --- xAPI 1.0.3 ------------------------------------------------------------------------

STATEMENT_KEYS = {
    "id", "actor", "verb", "object", "result", "context", "timestamp", "stored",
    "authority", "version", "attachments",
}  # fmt: skip
AGENT_KEYS = {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"}
IFI_KEYS = {"mbox", "mbox_sha1sum", "openid", "account"}
DEFINITION_KEYS = {
    "name", "description", "type", "moreInfo", "extensions", "interactionType",
    "correctResponsesPattern", "choices", "scale", "source", "target", "steps",
}  # fmt: skip
RESULT_KEYS = {"score", "success", "completion", "response", "duration", "extensions"}
CONTEXT_KEYS = {
    "registration", "instructor", "team", "contextActivities", "revision", "platform",
    "language", "statement", "extensions",
}  # fmt: skip
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
# ISO 8601:2004 4.4.3.2 durations (the only form xAPI allows), at least one component.
DURATION = re.compile(
    r"P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?"
    r"(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?"
)
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
IRI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")


def check_iri(value: object, where: str) -> None:
    assert isinstance(value, str) and IRI_SCHEME.fullmatch(value), f"{where}: not an IRI"


def check_irl(value: object, where: str) -> None:
    check_iri(value, where)
    assert isinstance(value, str)
    parts = urlsplit(value)
    assert parts.scheme in ("http", "https") and parts.netloc, f"{where}: not a URL"


def check_language_map(value: object, where: str) -> None:
    assert isinstance(value, dict) and value, f"{where}: not a language map"
    for tag, text in value.items():
        assert LANGUAGE_TAG.fullmatch(tag) and isinstance(text, str), f"{where}: {tag!r}"


def check_extensions(value: object, where: str) -> None:
    assert isinstance(value, dict)
    for key in value:
        check_iri(key, f"{where} key")


def check_agent(value: object, where: str) -> None:
    assert isinstance(value, dict) and set(value) <= AGENT_KEYS, where
    assert value.get("objectType", "Agent") == "Agent", where
    assert len(IFI_KEYS & set(value)) == 1, f"{where}: exactly one identifier"
    if "account" in value:
        account = value["account"]
        assert isinstance(account, dict) and set(account) == {"homePage", "name"}, where
        check_irl(account["homePage"], f"{where}.account.homePage")
        assert isinstance(account["name"], str) and account["name"], where


def check_number(value: object) -> float:
    assert isinstance(value, int | float) and not isinstance(value, bool)
    return float(value)


def check_statement(s: dict[str, Any]) -> None:
    """The xAPI 1.0.3 requirements (Data part 2.4) that apply to what Rex sends."""
    assert set(s) <= STATEMENT_KEYS and {"actor", "verb", "object"} <= set(s)
    assert UUID.fullmatch(s["id"])
    check_agent(s["actor"], "actor")
    verb = s["verb"]
    assert set(verb) <= {"id", "display"}
    check_iri(verb["id"], "verb.id")
    check_language_map(verb["display"], "verb.display")
    activity = s["object"]
    assert set(activity) <= {"objectType", "id", "definition"}
    assert activity.get("objectType", "Activity") == "Activity"
    check_iri(activity["id"], "object.id")
    definition = activity["definition"]
    assert set(definition) <= DEFINITION_KEYS
    check_language_map(definition["name"], "definition.name")
    check_iri(definition["type"], "definition.type")
    result = s.get("result", {})
    assert set(result) <= RESULT_KEYS
    # Rex's own rule on top of the specification: a record carries no rating of a person
    assert not {"score", "success", "response", "extensions"} & set(result), result
    if "completion" in result:
        assert isinstance(result["completion"], bool)
    if "duration" in result:
        assert DURATION.fullmatch(result["duration"]), result["duration"]
    context = s.get("context", {})
    assert set(context) <= CONTEXT_KEYS
    if "registration" in context:
        assert UUID.fullmatch(context["registration"])
    if "instructor" in context:
        check_agent(context["instructor"], "context.instructor")
    assert isinstance(context.get("platform", ""), str)
    check_extensions(context.get("extensions", {}), "context.extensions")
    assert TIMESTAMP.fullmatch(s["timestamp"])
    assert datetime.fromisoformat(s["timestamp"]).tzinfo is not None


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


# --- rex export ------------------------------------------------------------------------


@pytest.fixture
def export_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """A migrated SQLite file with the history, and the environment `rex export` reads."""
    url = f"sqlite:///{tmp_path / 'export.db'}"
    engine = make_engine(url)
    migrate(engine)
    with Session(engine, expire_on_commit=False) as session:
        e = seed(session)
    engine.dispose()
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("REX_TIMEZONE", "UTC")
    return e


WINDOW = ["--since", "2026-12-01", "--until", "2026-12-15"]


def test_export_csv_to_a_file(
    export_db: dict[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "records.csv"
    assert run_export(["--format", "csv", *WINDOW, "--output", str(output)]) == 0
    assert output.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    header, *rows = parse_csv(output.read_text(encoding="utf-8-sig"))
    assert header == list(CSV_HEADER) and rows == expected_rows(export_db)
    assert capsys.readouterr() == ("", "")


def test_export_without_a_database_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{missing}")
    output = tmp_path / "records.csv"
    assert run_export(["--format", "csv", *WINDOW, "--output", str(output)]) == 2
    assert not missing.exists() and not output.exists()
    err = capsys.readouterr().err
    assert err == f"rex export: no database at {missing}: nothing to export\n"


def test_export_xapi_to_stdout(
    export_db: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_export(["--format", "xapi", *WINDOW, "--workspace-url", HOME]) == 0
    statements = json.loads(capsys.readouterr().out)
    assert len(statements) == 7
    for statement in statements:
        check_statement(statement)


def test_export_xapi_names_the_workspace_and_rex_public_url(
    export_db: dict[str, int], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REX_PUBLIC_URL", "https://learning.example.org/rex/")
    assert run_export(["--format", "xapi", *WINDOW, "--workspace-url", HOME + "/"]) == 0
    statements = json.loads(capsys.readouterr().out)
    assert {s["actor"]["account"]["homePage"] for s in statements} == {HOME}
    assert all(
        s["object"]["id"].startswith("https://learning.example.org/rex/skills/") for s in statements
    )


def test_export_xapi_without_the_workspace_is_one_line(
    export_db: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_export(["--format", "xapi", *WINDOW]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "--workspace-url" in err


def test_export_days_are_in_the_network_timezone(
    export_db: dict[str, int], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REX_TIMEZONE", "Europe/Paris")
    assert run_export(["--format", "csv", *WINDOW]) == 0
    _, first, *_ = parse_csv(capsys.readouterr().out)
    # E7 at 23:59 UTC on Nov 30 is 00:59 on Dec 1 in Paris
    assert first[:3] == [str(export_db["E7"]), "1", "2026-12-01T00:59:00+01:00"]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--format", "csv", "--since", "2026-13-01", "--until", "2026-12-15"], "2026-13-01"),
        (["--format", "csv", "--since", "01/12/2026", "--until", "2026-12-15"], "YYYY-MM-DD"),
        (["--format", "csv", "--since", "20261201", "--until", "2026-12-15"], "YYYY-MM-DD"),
        (["--format", "csv", "--since", "2026-12-01", "--until", "9999-12-31"], "9999-12-31"),
        (["--format", "csv", "--since", "2026-12-16", "--until", "2026-12-15"], "is after"),
        (["--format", "pdf", *WINDOW], "invalid choice"),
        (["--format", "csv", "--since", "2026-12-01"], "--until"),
        (WINDOW, "--format"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_export(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith("rex export: ")
    assert expected in err


def test_an_unmigrated_database_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty.db").touch()  # a database file no migration ever ran on
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    assert run_export(["--format", "csv", *WINDOW]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "rex migrate" in err


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
