"""Slack's own lifecycle, end to end: deactivated accounts, new ones, a token Slack stops
taking for a while, the app uninstalled, and sessions called off in people's calendars."""

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from icalendar import Calendar
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.offline.sandbox import ManualClock, Sandbox
from bot.serve.jobs import run_scheduled
from handlers.ids import ActionId, BlockId
from handlers.outbox import delivery
from storage.models import DueWork, Exchange, ExchangeState, Member, MemberStatus, Skill, WorkKind
from tests.conftest import PEOPLE, START
from tests.processes import get


@pytest.fixture
def sandbox(engine: Engine) -> Iterator[Sandbox]:
    with Sandbox(engine=engine, clock=ManualClock(START)) as running:
        for user_id, name in PEOPLE.items():
            running.add_person(user_id, name)
        running.rex.slack.probe_seconds = 0  # ask auth.test at every sweep, not every 10 s
        yield running


def _pair(sandbox: Sandbox) -> tuple[str, dict[str, Any]]:
    sandbox.join("UADA", ["Python"], ["Public speaking"])
    sandbox.join("UBOB", ["public speaking"], ["python"])
    sandbox.command("UADMIN", "admin round")
    [channel] = _group_dms(sandbox)
    return channel, sandbox.fake.messages(channel)[0]


def _group_dms(sandbox: Sandbox) -> list[str]:
    return sorted(
        {
            c.response["channel"]["id"]
            for c in sandbox.fake.calls_to("conversations.open")
            if c.response.get("ok") and c.response["channel"]["id"].startswith("G")
        }
    )


def _member(sandbox: Sandbox, slack_id: str) -> Member:
    with Session(sandbox.rex.engine) as session:
        return session.exec(select(Member).where(Member.slack_id == slack_id)).one()


def _exchanges(sandbox: Sandbox) -> list[Exchange]:
    with Session(sandbox.rex.engine) as session:
        return list(session.exec(select(Exchange).order_by(col(Exchange.id))).all())


def _deactivate(sandbox: Sandbox, user_id: str) -> None:
    sandbox.fake.deactivate_user(user_id)
    user = sandbox.fake.user(user_id)
    assert sandbox.driver.event({"type": "user_change", "user": user}).status == 200
    sandbox.settle()


def test_a_deactivated_account_leaves_at_once_and_its_exchange_closes_kindly(
    sandbox: Sandbox,
) -> None:
    channel, _ = _pair(sandbox)
    _deactivate(sandbox, "UBOB")
    bob = _member(sandbox, "UBOB")
    assert bob.status == MemberStatus.LEFT and bob.left_at is not None
    with Session(sandbox.rex.engine) as session:  # their data stays, as for `leave`
        assert session.exec(select(Skill).where(Skill.member_id == bob.id)).all()
    [exchange] = _exchanges(sandbox)
    assert exchange.state == ExchangeState.CANCELLED
    said = sandbox.fake.messages(channel)[-1]["text"]
    assert said.startswith("One of you is no longer on Slack, so Rex closes this introduction.")
    _deactivate(sandbox, "UBOB")  # Slack says it again: nothing more happens
    assert len(sandbox.fake.messages(channel)) == 2
    sandbox.join("UCLE", ["prise de parole en public"], ["Python"])
    sandbox.command("UADMIN", "admin round")  # Ada is back in the pool, Bob is not
    [_, new] = _exchanges(sandbox)
    assert new.state == ExchangeState.PROPOSED
    assert len(_group_dms(sandbox)) == 2


def test_an_intro_that_meets_a_deactivated_account_frees_the_others(sandbox: Sandbox) -> None:
    sandbox.join("UADA", ["Python"], ["Public speaking"])
    sandbox.join("UBOB", ["public speaking"], ["python"])
    sandbox.fake.deactivate_user("UBOB")  # before Slack's event reached Rex
    sandbox.command("UADMIN", "admin round")
    [exchange] = _exchanges(sandbox)
    assert exchange.state == ExchangeState.CANCELLED
    assert _member(sandbox, "UBOB").status == MemberStatus.LEFT
    assert _member(sandbox, "UADA").status == MemberStatus.ACTIVE
    assert _group_dms(sandbox) == []


def test_a_refused_token_stops_sending_until_it_works_again_losing_nothing(
    sandbox: Sandbox,
) -> None:
    sandbox.join("UADA", ["Python"], ["Public speaking"])
    sandbox.join("UBOB", ["public speaking"], ["python"])
    sandbox.fake.refuse_token("invalid_auth")
    sandbox.command("UADMIN", "admin round")  # the round is stored, its intro waits
    assert _group_dms(sandbox) == []
    status, body = get(f"{sandbox.url}/healthz")
    assert (status, body) == (503, b"slack token refused (invalid_auth)")
    [exchange] = _exchanges(sandbox)
    assert exchange.state == ExchangeState.PROPOSED  # not undeliverable
    sandbox.clock.advance(minutes=10)
    assert delivery.sweep(sandbox.rex) == delivery.SweepReport()  # still refused: nothing taken
    sandbox.fake.refuse_token(None)
    assert delivery.sweep(sandbox.rex).sent == 1
    assert get(f"{sandbox.url}/healthz") == (200, b"ok")
    [channel] = _group_dms(sandbox)
    [intro] = sandbox.fake.messages(channel)
    assert intro["metadata"]["event_payload"]["work_id"]
    with Session(sandbox.rex.engine) as session:
        [work] = session.exec(select(DueWork).where(DueWork.kind == WorkKind.INTRO)).all()
        assert work.done_at is not None and work.last_error == "invalid_auth"


def test_an_uninstalled_app_stops_the_schedulers_slack_work_loudly(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    sandbox.join("UADA", ["Python"], ["Public speaking"])
    sandbox.fake.refuse_token("token_revoked")
    with caplog.at_level(logging.CRITICAL, logger="rex.workspace"):
        sandbox.driver.event({"type": "app_uninstalled"})
        sandbox.settle()
    assert "slack.app_uninstalled" in caplog.text and "Rex stops sending" in caplog.text
    assert get(f"{sandbox.url}/healthz")[0] == 503
    sandbox.clock.advance(days=8)  # the weekly round comes and waits
    assert not run_scheduled(sandbox.rex, "round")
    assert _member(sandbox, "UADA").status == MemberStatus.ACTIVE  # data stays
    sandbox.fake.refuse_token(None)
    assert delivery.sweep(sandbox.rex) == delivery.SweepReport(claimed=0)
    assert sandbox.rex.slack.ok


def test_a_new_account_brings_its_locale(sandbox: Sandbox) -> None:
    sandbox.fake.add_user("UNEW", "zoe", locale="fr-FR")
    user = {**(sandbox.fake.user("UNEW") or {}), "locale": "fr-FR"}
    sandbox.driver.event({"type": "team_join", "user": user})
    sandbox.settle()
    sandbox.fake.reset_calls()
    assert sandbox.command("UNEW", "aide")[0].startswith("*Rex, le réseau")
    assert sandbox.fake.calls_to("users.info") == []


def test_a_session_called_off_is_cancelled_in_calendars(sandbox: Sandbox) -> None:
    channel, intro = _pair(sandbox)
    sandbox.click("UADA", ActionId.SCHEDULE, channel, intro["ts"])
    sandbox.submit(
        "UADA",
        {
            BlockId.SCHEDULE_DATE: "2026-12-03",
            BlockId.SCHEDULE_TIME: "15:30",
            BlockId.SCHEDULE_DURATION: "60",
            BlockId.SCHEDULE_PLACE: "Room 4.12",
        },
    )
    [invitation] = sandbox.fake.files.values()
    sandbox.click("UBOB", ActionId.NOT_FIT, channel, intro["ts"])
    sandbox.submit("UBOB", {BlockId.NOT_FIT_REASON: ""})
    files = [f for f in sandbox.fake.files.values() if f.id != invitation.id]
    [cancellation] = files
    sent = Calendar.from_ical(invitation.data or b"").walk("VEVENT")[0]
    calendar = Calendar.from_ical(cancellation.data or b"")
    event = calendar.walk("VEVENT")[0]
    assert str(calendar["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == str(sent["UID"])
    assert int(str(event["SEQUENCE"])) == int(str(sent["SEQUENCE"])) + 1
    assert cancellation.channel == channel
    assert "will not take place" in json.dumps(sandbox.fake.messages(channel)[-1])
