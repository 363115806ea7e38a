"""`rex export` end to end on a migrated SQLite file: CSV and xAPI out, the network's
timezone, and one-line refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import Session

from bot.cli.export import run_export
from bot.records import CSV_HEADER
from storage.db import make_engine, migrate
from tests.support.learning_records import HOME, expected_rows, parse_csv, seed
from tests.support.xapi import check_statement


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
