"""Slack's own lifecycle, end to end: deactivated accounts, new ones, a token Slack stops
taking for a while, the app uninstalled, and sessions called off in people's calendars."""

import json
import logging

import pytest
from icalendar import Calendar
from sqlmodel import Session, select

from bot.offline.sandbox import Sandbox
from bot.serve.jobs import run_scheduled
from handlers.ids import ActionId, BlockId
from handlers.outbox import delivery
from storage.models import DueWork, Exchange, ExchangeState, MemberStatus, Skill, WorkKind
from tests.support.http import get
from tests.support.slack import group_dms, introduce_pair, join_pair, member, rows


@pytest.fixture
def sandbox(sandbox: Sandbox) -> Sandbox:
    """The shared sandbox, asking auth.test at every sweep instead of every 10 s."""
    sandbox.rex.slack.probe_seconds = 0
    return sandbox


def _deactivate(sandbox: Sandbox, user_id: str) -> None:
    sandbox.fake.deactivate_user(user_id)
    user = sandbox.fake.user(user_id)
    assert sandbox.driver.event({"type": "user_change", "user": user}).status == 200
    sandbox.settle()


def test_a_deactivated_account_leaves_at_once_and_its_exchange_closes_kindly(
    sandbox: Sandbox,
) -> None:
    channel, _ = introduce_pair(sandbox)
    _deactivate(sandbox, "UBOB")
    bob = member(sandbox, "UBOB")
    assert bob.status == MemberStatus.LEFT and bob.left_at is not None
    with Session(sandbox.rex.engine) as session:  # their data stays, as for `leave`
        assert session.exec(select(Skill).where(Skill.member_id == bob.id)).all()
    [exchange] = rows(sandbox, Exchange)
    assert exchange.state == ExchangeState.CANCELLED
    said = sandbox.fake.messages(channel)[-1]["text"]
    assert said.startswith("One of you is no longer on Slack, so Rex closes this introduction.")
    _deactivate(sandbox, "UBOB")  # Slack says it again: nothing more happens
    assert len(sandbox.fake.messages(channel)) == 2
    sandbox.join("UCLE", ["prise de parole en public"], ["Python"])
    sandbox.command("UADMIN", "admin round")  # Ada is back in the pool, Bob is not
    [_, new] = rows(sandbox, Exchange)
    assert new.state == ExchangeState.PROPOSED
    assert len(group_dms(sandbox.fake)) == 2


def test_an_intro_that_meets_a_deactivated_account_frees_the_others(sandbox: Sandbox) -> None:
    join_pair(sandbox)
    sandbox.fake.deactivate_user("UBOB")  # before Slack's event reached Rex
    sandbox.command("UADMIN", "admin round")
    [exchange] = rows(sandbox, Exchange)
    assert exchange.state == ExchangeState.CANCELLED
    assert member(sandbox, "UBOB").status == MemberStatus.LEFT
    assert member(sandbox, "UADA").status == MemberStatus.ACTIVE
    assert group_dms(sandbox.fake) == []


def test_a_refused_token_stops_sending_until_it_works_again_losing_nothing(
    sandbox: Sandbox,
) -> None:
    join_pair(sandbox)
    sandbox.fake.refuse_token("invalid_auth")
    sandbox.command("UADMIN", "admin round")  # the round is stored, its intro waits
    assert group_dms(sandbox.fake) == []
    status, body = get(f"{sandbox.url}/healthz")
    assert (status, body) == (503, b"slack token refused (invalid_auth)")
    [exchange] = rows(sandbox, Exchange)
    assert exchange.state == ExchangeState.PROPOSED  # not undeliverable
    sandbox.clock.advance(minutes=10)
    assert delivery.sweep(sandbox.rex) == delivery.SweepReport()  # still refused: nothing taken
    sandbox.fake.refuse_token(None)
    assert delivery.sweep(sandbox.rex).sent == 1
    assert get(f"{sandbox.url}/healthz") == (200, b"ok")
    [channel] = group_dms(sandbox.fake)
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
    assert member(sandbox, "UADA").status == MemberStatus.ACTIVE  # data stays
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
    channel, intro = introduce_pair(sandbox)
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
