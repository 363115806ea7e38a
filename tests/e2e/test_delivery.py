"""Delivery loses nothing and doubles nothing: retries, crashes, restarts, two processes."""

import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from bot import exchanges
from bot.offline.fakeslack import FakeSlack
from bot.offline.sandbox import Sandbox
from handlers.outbox import delivery
from storage.db import make_engine, migrate
from storage.models import DueWork, Exchange, WorkKind
from tests.support.database import backlog, wipe
from tests.support.processes import RexProcess, seed_known_work, wait_for
from tests.support.slack import group_dms, join_pair


def _sent_ids(fake: FakeSlack, channels: list[str]) -> Counter[int]:
    """How many messages carry each outbox row id, across the given conversations."""
    seen: Counter[int] = Counter()
    for channel in channels:
        for message in fake.messages(channel):
            payload = (message.get("metadata") or {}).get("event_payload") or {}
            if "work_id" in payload:
                seen[int(payload["work_id"])] += 1
    return seen


def _crash_once_after_the_post(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first intro Slack accepts is never recorded: the process "crashed" right after."""
    original = exchanges.intro_sent
    crashes = iter([True])

    def crash_once(*args: Any, **kwargs: Any) -> None:
        if next(crashes, False):
            raise ConnectionError("database went away after Slack accepted the post")
        original(*args, **kwargs)

    monkeypatch.setattr(exchanges, "intro_sent", crash_once)


def test_a_crash_after_slack_took_the_post_does_not_post_it_again(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    join_pair(sandbox)
    _crash_once_after_the_post(monkeypatch)
    sandbox.command("UADMIN", "admin round")  # first attempt: posted, then "crashed"
    [channel] = group_dms(sandbox.fake)
    assert len(sandbox.fake.messages(channel)) == 1
    sandbox.clock.advance(minutes=5)
    report = delivery.sweep(sandbox.rex)
    assert report.sent == 1
    assert len(sandbox.fake.messages(channel)) == 1  # found by its metadata, not re-sent
    with Session(sandbox.rex.engine) as session:
        [exchange] = session.exec(select(Exchange)).all()
        assert exchange.channel_id == channel and exchange.intro_ts is not None


def test_without_the_history_scopes_a_retry_falls_back_to_at_least_once(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The documented trade-off: a retry cannot look for its message, so after a crash that
    followed Slack's acceptance it is posted again, rather than never or forever retried."""
    join_pair(sandbox)
    _crash_once_after_the_post(monkeypatch)
    sandbox.command("UADMIN", "admin round")
    sandbox.fake.inject("conversations.history", error="missing_scope")
    sandbox.clock.advance(minutes=5)
    assert delivery.sweep(sandbox.rex).sent == 1
    [channel] = group_dms(sandbox.fake)
    assert len(sandbox.fake.messages(channel)) == 2


def test_a_payload_not_as_its_kind_writes_it_is_given_up_not_guessed(sandbox: Sandbox) -> None:
    with Session(sandbox.rex.engine) as session:
        session.add(DueWork(kind=WorkKind.DIGEST, due_at=sandbox.rex.clock(), payload="{}"))
        session.commit()
    assert delivery.sweep(sandbox.rex).failed == 1
    assert sandbox.fake.messages(sandbox.rex.settings.rex_digest_channel or "") == []


def test_server_errors_beyond_retries_come_back_later_once(sandbox: Sandbox) -> None:
    join_pair(sandbox)
    sandbox.fake.inject("chat.postMessage", status=500, times=3)
    sandbox.command("UADMIN", "admin round")
    [channel] = group_dms(sandbox.fake)
    assert sandbox.fake.messages(channel) == []
    sandbox.clock.advance(minutes=1)
    assert delivery.sweep(sandbox.rex).sent == 1
    assert len(sandbox.fake.messages(channel)) == 1


# --- real processes -----------------------------------------------------------------------


def _held(engine: Engine) -> int:
    """Rows still claimed and not done."""
    with Session(engine) as session:
        return session.exec(
            select(func.count())
            .select_from(DueWork)
            .where(col(DueWork.done_at).is_(None), col(DueWork.claimed_by).is_not(None))
        ).one()


def _a_new_process_delivers_the_rest(
    fake: FakeSlack, url: str, tmp_path: Path, engine: Engine
) -> None:
    """A fresh `rex run` finishes the 500 intros within a minute, none of them twice."""
    second = RexProcess(fake, url, tmp_path)
    restarted = time.monotonic()
    try:
        wait_for(lambda: backlog(engine, WorkKind.INTRO) == 0, 60, "every intro delivered")
    finally:
        second.stop()
    assert time.monotonic() - restarted < 60
    sent = _sent_ids(fake, group_dms(fake))
    assert len(sent) == 500 and set(sent.values()) == {1}


def test_sigkill_mid_drain_with_the_default_lease_loses_and_doubles_none(
    fake: FakeSlack, tmp_path: Path
) -> None:
    """The lease is the default one: a killed process's rows are taken over within it."""
    url = f"sqlite:///{tmp_path / 'rex.db'}"
    engine = make_engine(url)
    migrate(engine)
    seed_known_work(fake, engine, 500, WorkKind.INTRO)
    first = RexProcess(fake, url, tmp_path)
    try:
        wait_for(lambda: len(fake.calls_to("chat.postMessage")) >= 150, 60, "150 intros")
        first.kill()
    finally:
        first.stop()
    assert 150 <= len(fake.calls_to("chat.postMessage")) < 500
    # what the dead process held (unless it died between two claims) waits for its lease
    _a_new_process_delivers_the_rest(fake, url, tmp_path, engine)
    engine.dispose()


def test_sigterm_mid_drain_hands_back_what_it_held_and_exits_within_10_s(
    fake: FakeSlack, postgres_url: str, tmp_path: Path
) -> None:
    engine = make_engine(postgres_url)
    migrate(engine)
    wipe(engine)
    seed_known_work(fake, engine, 500, WorkKind.INTRO)
    first = RexProcess(fake, postgres_url, tmp_path, REX_PACING_FACTOR="100")
    try:
        wait_for(lambda: len(fake.calls_to("chat.postMessage")) >= 100, 60, "100 intros")
        assert first.terminate() < 10
        assert first.process.returncode == 0
    finally:
        first.stop()
    assert len(fake.calls_to("chat.postMessage")) < 500
    assert _held(engine) == 0  # handed back: nobody waits for a lease
    _a_new_process_delivers_the_rest(fake, postgres_url, tmp_path, engine)
    wipe(engine)
    engine.dispose()


def test_two_processes_on_one_postgresql_send_1000_follow_ups_once(
    fake: FakeSlack, postgres_url: str, tmp_path: Path
) -> None:
    engine = make_engine(postgres_url)
    migrate(engine)
    wipe(engine)
    bots = [RexProcess(fake, postgres_url, tmp_path), RexProcess(fake, postgres_url, tmp_path)]
    try:
        # the work appears once both are up, as on a Monday with replicas long started: a
        # process slower to start (a loaded machine) would otherwise find nothing left
        wait_for(lambda: all(bot.healthy() for bot in bots), 60, "both processes up")
        people = seed_known_work(fake, engine, 1000, WorkKind.FOLLOWUP)
        wait_for(lambda: backlog(engine, WorkKind.FOLLOWUP) == 0, 120, "1000 follow-ups")
    finally:
        for bot in bots:
            bot.stop()
    teachers = [p for p in people if p.startswith("UT")]
    sent = _sent_ids(fake, [fake.dm_channel(user) for user in teachers])
    assert len(sent) == 1000 and set(sent.values()) == {1}
    with Session(engine) as session:
        claimed_by = set(
            session.exec(select(DueWork.claimed_by).where(DueWork.kind == WorkKind.FOLLOWUP)).all()
        )
    assert len(claimed_by) == 2, f"both processes should share the work: {claimed_by}"
    wipe(engine)
    engine.dispose()
