"""`rex match`: a JSON file in, the round's JSON out; bad input is one clear line, exit 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks.synthetic import write_network
from bot.cli.match import run_match

SAMPLE: dict[str, Any] = {
    "members": [
        {"id": "U1", "teach": ["Kubernetes"], "learn": ["Excel"], "avoid": [], "capacity": 2},
        {"id": "U2", "teach": ["excel"], "learn": ["kubernetes"]},
        {"id": "U3", "teach": ["Figma"], "learn": ["Rust"], "waited_days": 12.5},
        {"id": "U4", "teach": [], "learn": ["Figma"]},
    ],
    "history": [{"teacher": "U1", "learner": "U3", "days_ago": 30, "met": True}],
}


def write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "members.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_a_round_is_written_in_the_documented_shape(tmp_path: Path) -> None:
    output = tmp_path / "result.json"
    assert run_match(["--input", str(write(tmp_path, SAMPLE)), "--output", str(output)]) == 0
    result = json.loads(output.read_text(encoding="utf-8"))
    assert set(result) == {"exchanges", "unmatched", "stats"}
    (swap,) = result["exchanges"]
    assert swap["kind"] == "swap" and sorted(swap["members"]) == ["U1", "U2"]
    for lesson in swap["lessons"]:
        assert set(lesson) == {"teacher", "learner", "teach", "learn", "score"}
        assert isinstance(lesson["score"], float)
    assert {(x["teach"], x["learn"]) for x in swap["lessons"]} == {
        ("Kubernetes", "kubernetes"),
        ("excel", "Excel"),
    }
    reasons = {item["id"]: item for item in result["unmatched"]}
    assert set(reasons) == {"U3", "U4"}
    assert reasons["U3"]["reason"] == "nobody teaches Rust yet"
    assert reasons["U4"]["reason_code"] == "nothing_to_teach"
    assert result["stats"]["swaps"] == 1 and result["stats"]["members"] == 4


def test_the_result_goes_to_stdout_by_default_and_stays_quiet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_match(["--input", str(write(tmp_path, SAMPLE))]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["stats"]["exchanges"] == 1
    assert captured.err == ""  # progress only for runs longer than a second


def test_round_options_reach_the_engine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = {
        "members": [
            {"id": "T", "teach": ["Python"], "learn": ["Figma"]},
            *({"id": f"L{k}", "teach": ["Excel"], "learn": ["Python"]} for k in range(2)),
        ],
        "history": [{"teacher": "T", "learner": "L0", "days_ago": 30, "met": True}],
    }
    path = str(write(tmp_path, document))
    assert run_match(["--input", path, "--teacher-capacity", "1", "--cooldown-days", "7"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert len(result["exchanges"]) == 1
    assert run_match(["--input", path, "--seed", "3"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [x["members"] for x in result["exchanges"]] == [["T", "L1"]]  # L0 met T recently


M = {"id": "U1", "teach": [], "learn": []}
H = {"teacher": "U1", "learner": "U2", "days_ago": 3, "met": True}


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("{not json", "is not JSON (line 1, column 2"),
        ([], "input: expected an object, got a list"),
        ({}, "input: missing field 'members'"),
        ({"members": {}}, "input.members: expected a list, got an object"),
        ({"members": [3]}, "members[0]: expected an object, got a number"),
        ({"members": [{"teach": [], "learn": []}]}, "members[0]: missing field 'id'"),
        ({"members": [{**M, "id": ""}]}, "members[0].id: expected a non-empty string"),
        ({"members": [{"id": "U1", "learn": []}]}, "members[0]: missing field 'teach'"),
        ({"members": [{**M, "teach": "Go"}]}, "members[0].teach: expected a list, got a string"),
        ({"members": [{**M, "teach": [1]}]}, "members[0].teach[0]: expected a string"),
        ({"members": [{**M, "capacity": "2"}]}, "members[0].capacity: expected a whole number"),
        ({"members": [{**M, "capacity": True}]}, "members[0].capacity: expected a whole number"),
        ({"members": [{**M, "capacity": -1}]}, "members[0].capacity: expected a whole number"),
        ({"members": [{**M, "waited_days": "x"}]}, "members[0].waited_days: expected a number"),
        ({"members": [{**M, "avoid": [None]}]}, "members[0].avoid[0]: expected a string"),
        ({"members": [M, M]}, "members[1].id: duplicate member id 'U1'"),
        ({"members": [], "history": {}}, "input.history: expected a list"),
        ({"members": [], "history": [{**H, "met": "yes"}]}, "history[0].met: expected true or"),
        ({"members": [], "history": [{**H, "days_ago": -3}]}, "history[0].days_ago: expected"),
        ({"members": [], "history": [{**H, "teacher": 7}]}, "history[0].teacher: expected a"),
        ({"members": [{**M, "languages": "fr"}]}, "members[0].languages: expected a list"),
        ({"members": [{**M, "languages": [3]}]}, "members[0].languages[0]: expected a string"),
        (
            {"members": [{**M, "languages": ["en", "French"]}]},
            "members[0].languages[1]: expected a language code such as \"fr\", got 'French'",
        ),
        (
            {"members": [{**M, "mode": "online"}]},
            'members[0].mode: expected one of "in_person", "remote", "either", got \'online\'',
        ),
        ({"members": [{**M, "mode": 1}]}, "members[0].mode: expected one of"),
        ({"members": [{**M, "site": ["Lyon"]}]}, "members[0].site: expected a string, got a list"),
        (
            {"members": [{**M, "timezone": "Paris"}]},
            "members[0].timezone: expected an IANA timezone such as \"Europe/Paris\", got 'Paris'",
        ),
        ({"members": [{**M, "timezone": "../../etc/passwd"}]}, "members[0].timezone: expected"),
        ({"members": [{**M, "timezone": 2}]}, "members[0].timezone: expected an IANA timezone"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], document: object, expected: str
) -> None:
    path = tmp_path / "members.json"
    text = document if isinstance(document, str) else json.dumps(document)
    path.write_text(text, encoding="utf-8")
    assert run_match(["--input", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith("rex match: ")
    assert expected in captured.err


@pytest.mark.parametrize(
    "argv",
    [
        ["--input", "/nonexistent/members.json"],
        [],
        ["--input", "x.json", "--seed", "abc"],
        ["--input", "x.json", "--teacher-capacity", "-1"],
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if "x.json" in argv:
        argv = [str(write(tmp_path, SAMPLE)) if arg == "x.json" else arg for arg in argv]
    assert run_match(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("rex match: ")


def test_an_unwritable_output_fails_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(write(tmp_path, SAMPLE))
    assert run_match(["--input", path, "--output", str(tmp_path / "missing" / "out.json")]) == 1
    assert capsys.readouterr().err.startswith("rex match: cannot write ")


def test_a_synthetic_network_runs_end_to_end(tmp_path: Path) -> None:
    path, output = tmp_path / "members.json", tmp_path / "result.json"
    write_network(path, 300, seed=5)
    assert run_match(["--input", str(path), "--output", str(output)]) == 0
    result = json.loads(output.read_text(encoding="utf-8"))
    assert result["stats"]["members"] == 300 and result["exchanges"]
    kinds = {exchange["kind"] for exchange in result["exchanges"]}
    assert kinds <= {"swap", "cycle", "group", "pair"} and "swap" in kinds


def test_who_can_meet_is_read_from_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = {
        "members": [
            {"id": "T", "teach": ["Rust"], "learn": ["Figma"], "languages": ["FR", "en-GB"],
             "mode": "in_person", "site": "Toulouse", "timezone": "Europe/Paris"},
            {"id": "L1", "teach": ["Figma"], "learn": ["rust"], "languages": ["fr"],
             "mode": "in_person", "site": "toulouze", "timezone": "Europe/Paris"},
            {"id": "L2", "teach": ["Excel"], "learn": ["Rust"], "languages": ["en"],
             "mode": "in_person", "site": "Bordeaux"},
            {"id": "L3", "teach": ["Excel"], "learn": ["Go"], "languages": ["de"], "site": ""},
            {"id": "G", "teach": ["Go"], "learn": ["Excel"], "languages": ["en"],
             "mode": "remote", "site": None, "timezone": None},
        ]
    }  # fmt: skip
    assert run_match(["--input", str(write(tmp_path, document))]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [sorted(x["members"]) for x in result["exchanges"]] == [["L1", "T"]]
    reasons = {item["id"]: item for item in result["unmatched"]}
    assert reasons["L2"]["reason_code"] == "teachers_elsewhere"
    assert reasons["L2"]["sites"] == ["Toulouse"] and reasons["L2"]["teachers"] == 1
    assert reasons["L2"]["reason"] == (
        "the only person who teaches Rust works in Toulouse, and you asked to meet in person"
    )
    assert reasons["L3"]["reason_code"] == "no_shared_language"
    assert reasons["L3"]["languages"] == ["de"]
    assert reasons["L3"]["reason"] == "nobody who speaks German teaches Go yet"


def test_help_documents_the_whole_input_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_match(["--help"]) == 0
    help_text = capsys.readouterr().out
    for field in (
        '"members"', '"id"', '"teach"', '"learn"', '"avoid"', '"capacity"', '"learner_capacity"',
        '"open_as_teacher"', '"open_as_learner"', '"waited_days"', '"hours_taught"',
        '"hours_learned"', '"languages"', '"mode"', '"site"', '"timezone"', '"history"',
        '"days_ago"', '"met"', '"in_person"', '"remote"', '"either"',
    ):  # fmt: skip
        assert field in help_text, field
