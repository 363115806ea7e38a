"""Listeners called directly, as Bolt would, with a real Web API client on the fake Slack."""

from typing import Any

import pytest
from slack_bolt import BoltContext
from slack_sdk import WebClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.offline.fakeslack import FakeSlack
from bot.runtime.rex import Rex, build_runtime
from bot.serve.jobs import (
    DIGEST_JOB,
    LEASE_JOB,
    RETENTION_JOB,
    ROUND_JOB,
    SWEEP_JOB,
    build_scheduler,
)
from bot.settings import load_settings
from handlers import commands, home, join
from handlers.ids import ActionId, BlockId
from storage.models import Member


class Recorder:
    """Stands in for ack()/respond(), remembering the order of everything said."""

    def __init__(self, log: list[tuple[str, Any]], name: str) -> None:
        self.log, self.name = log, name

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        self.log.append((self.name, args[0] if args else kwargs))


@pytest.fixture
def fake(fake: FakeSlack) -> FakeSlack:
    """The fake Slack with one person, not a member yet."""
    fake.add_user("U1", "ada")
    return fake


@pytest.fixture
def rex(fake: FakeSlack, engine: Engine) -> Rex:
    settings = load_settings(
        _env_file=None,
        slack_bot_token=fake.bot_token,
        slack_signing_secret="s",
        slack_api_url=fake.api_url,
        rex_admins="UADMIN",
        rex_round_cron="0 8 * * mon",
    )
    return build_runtime(
        settings, WebClient(token=fake.bot_token, base_url=fake.api_url), engine=engine
    )


def _context(rex: Rex, session: Session) -> BoltContext:
    return BoltContext({"rex": rex, "session": session})


def test_slash_command_acks_before_it_answers(rex: Rex, session: Session) -> None:
    said: list[tuple[str, Any]] = []
    ack: Any = Recorder(said, "ack")
    respond: Any = Recorder(said, "respond")
    commands.on_rex(
        ack, {"text": "me", "user_id": "U1"}, _context(rex, session), rex.client, respond
    )
    assert [name for name, _ in said] == ["ack", "respond"]
    assert said[1][1]["text"] == "You haven't joined Rex yet: type `/rex join` to start."


def test_join_with_errors_acks_field_errors_and_writes_nothing(
    rex: Rex, session: Session, fake: FakeSlack
) -> None:
    said: list[tuple[str, Any]] = []
    view = {
        "state": {
            "values": {
                BlockId.TEACH_SKILLS: {
                    ActionId.SKILL_SEARCH: {
                        "type": "multi_external_select",
                        "selected_options": [{"text": {"text": "Go"}, "value": "Go"}],
                    }
                },
                BlockId.LEARN_SKILLS: {
                    ActionId.SKILL_SEARCH: {"type": "multi_external_select", "selected_options": []}
                },
                BlockId.JOIN_AGREE: {
                    ActionId.INPUT: {"type": "checkboxes", "selected_options": []}
                },
            }
        }
    }
    ack: Any = Recorder(said, "ack")
    join.on_join_submitted(
        ack, {"user": {"id": "U1", "name": "ada"}}, view, _context(rex, session), rex.client
    )
    [(name, answer)] = said
    assert name == "ack" and answer["response_action"] == "errors"
    assert set(answer["errors"]) == {BlockId.LEARN_SKILLS, BlockId.JOIN_AGREE}
    assert session.exec(select(Member)).all() == []
    assert fake.calls_to("chat.postMessage") == []


def test_home_tab_is_published_for_a_stranger_too(
    rex: Rex, session: Session, fake: FakeSlack
) -> None:
    home.on_home_opened({"user": "U1", "tab": "home"}, _context(rex, session), rex.client)
    home.on_home_opened({"user": "U1", "tab": "messages"}, _context(rex, session), rex.client)
    [call] = fake.calls_to("views.publish")
    assert call.body["user_id"] == "U1"
    published = fake.home("U1")
    assert published is not None and "/rex join" in str(published["blocks"])


def test_scheduler_jobs_have_stable_ids_and_primitive_arguments(rex: Rex) -> None:
    scheduler = build_scheduler(rex, key="test")
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {SWEEP_JOB, LEASE_JOB, ROUND_JOB, DIGEST_JOB, RETENTION_JOB}
    assert all(job.args[0] == "test" for job in jobs.values())
    assert all(isinstance(arg, str) for job in jobs.values() for arg in job.args)
    assert "day_of_week='mon'" in str(jobs[ROUND_JOB].trigger)


def test_an_unknown_admin_subcommand_gets_the_admin_usage(rex: Rex, session: Session) -> None:
    said: list[tuple[str, Any]] = []
    ack: Any = Recorder(said, "ack")
    respond: Any = Recorder(said, "respond")
    command = {"text": "admin frobnicate now", "user_id": "UADMIN"}
    commands.on_rex(ack, command, _context(rex, session), rex.client, respond)
    assert [name for name, _ in said] == ["ack", "respond"]
    assert said[1][1]["text"].startswith("Admin commands: `/rex admin round`")
