"""End to end: a member's hours attestation and the admins' learning-record export."""

import json
from pathlib import Path
from typing import Any

import pytest

from bot.cli.main import main
from bot.offline.sandbox import Sandbox
from bot.records import CSV_HEADER, EXCEL_BOM
from handlers.ids import BlockId
from handlers.outbox import delivery
from tests.support.slack import evaluate_follow_up, join_pair


def _held_and_evaluated(sandbox: Sandbox) -> None:
    join_pair(sandbox)
    sandbox.command("UADMIN", "admin round")
    sandbox.clock.advance(days=7, minutes=1)
    delivery.sweep(sandbox.rex)
    for user, hours in (("UADA", "1.5"), ("UBOB", "2")):
        values: dict[str, Any] = {
            BlockId.EVAL_SATISFACTION: "4",
            BlockId.EVAL_HOURS: hours,
            BlockId.EVAL_GOAL: "yes",
            BlockId.EVAL_USEFUL: "yes",
        }
        assert evaluate_follow_up(sandbox, user, values).status == 200


def test_me_hours_is_a_members_own_attestation(sandbox: Sandbox) -> None:
    _held_and_evaluated(sandbox)
    [answer] = sandbox.command("UADA", "me hours")
    assert answer.startswith("*Your learning time with Rex*, per skill:")
    assert "taught" in answer and "learned" in answer and "Python" in answer


def test_admin_export_sends_the_records_as_a_file(sandbox: Sandbox) -> None:
    _held_and_evaluated(sandbox)
    assert sandbox.command("UADA", "admin export") == ["Only Rex admins can do that."]
    [sent] = sandbox.command("UADMIN", "admin export csv")
    assert sent.startswith("I've sent you 2 learning records as CSV")
    [stored] = sandbox.fake.files.values()
    assert stored.channel == sandbox.fake.dm_channel("UADMIN") and stored.data is not None
    text = stored.data.decode()
    assert text.startswith(EXCEL_BOM)
    lines = text.removeprefix(EXCEL_BOM).splitlines()
    assert lines[0] == ",".join(CSV_HEADER) and len(lines) == 3
    # the learners rated 4/5 with their goal met: no record says so, nor how they rated
    assert not {"satisfaction", "goal_met", "rating"} & set(CSV_HEADER)
    [xapi] = sandbox.command("UADMIN", "admin export xapi")
    assert "as XAPI" in xapi
    statements = json.loads(
        next(f for f in sandbox.fake.files.values() if f.name.endswith(".json")).data or b"[]"
    )
    assert len(statements) == 2 and {s["verb"]["id"] for s in statements}
    assert all(set(s["result"]) == {"duration", "completion"} for s in statements)
    workspace = f"https://{sandbox.fake.team_domain}.slack.com"  # as auth.test says
    assert {s["actor"]["account"]["homePage"] for s in statements} == {workspace}
    assert all(s["object"]["id"].startswith(f"{workspace}/rex/skills/") for s in statements)
    assert sandbox.command("UADMIN", "admin export csv 2026-13-01") == [
        "Dates as YYYY-MM-DD: `/rex admin export csv 2026-11-01 2026-11-30`"
    ]


def test_rex_export_is_wired_into_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'rex.db'}")
    assert main(["migrate"]) == 0
    assert (
        main(["export", "--format", "csv", "--since", "2026-01-01", "--until", "2026-12-31"]) == 0
    )
    assert capsys.readouterr().out.splitlines()[0] == ",".join(CSV_HEADER)
    assert (
        main(["export", "--format", "csv", "--since", "2026-12-31", "--until", "2026-01-01"]) == 2
    )
