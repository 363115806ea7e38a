"""Delivery loses nothing and doubles nothing: retries, crashes, restarts, two processes."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from bot import delivery, exchanges
from bot.fakeslack import FakeSlack
from bot.sandbox import Sandbox
from storage.db import make_engine, migrate
from storage.models import DueWork, Exchange, Lesson, Member, WorkKind, utcnow


def _pair(sandbox: Sandbox) -> None:
    sandbox.join("UADA", ["Python"], ["Public speaking"])
    sandbox.join("UBOB", ["public speaking"], ["python"])


def _sent_ids(fake: FakeSlack, channels: list[str]) -> Counter[int]:
    """How many messages carry each outbox row id, across the given conversations."""
    seen: Counter[int] = Counter()
    for channel in channels:
        for message in fake.messages(channel):
            payload = (message.get("metadata") or {}).get("event_payload") or {}
            if "work_id" in payload:
                seen[int(payload["work_id"])] += 1
    return seen


def test_a_crash_after_slack_took_the_post_does_not_post_it_again(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pair(sandbox)
    original = exchanges.intro_sent
    crashes = iter([True])

    def crash_once(*args: Any, **kwargs: Any) -> None:
        if next(crashes, False):
            raise ConnectionError("database went away after Slack accepted the post")
        original(*args, **kwargs)

    monkeypatch.setattr(exchanges, "intro_sent", crash_once)
    sandbox.command("UADMIN", "admin round")  # first attempt: posted, then "crashed"
    [channel] = [c.response["channel"]["id"] for c in sandbox.fake.calls_to("conversations.open")]
    assert len(sandbox.fake.messages(channel)) == 1
    sandbox.clock.advance(minutes=5)
    report = delivery.sweep(sandbox.rex)
    assert report.sent == 1
    assert len(sandbox.fake.messages(channel)) == 1  # found by its metadata, not re-sent
    with Session(sandbox.rex.engine) as session:
        [exchange] = session.exec(select(Exchange)).all()
        assert exchange.channel_id == channel and exchange.intro_ts is not None


def test_server_errors_beyond_retries_come_back_later_once(sandbox: Sandbox) -> None:
    _pair(sandbox)
    sandbox.fake.inject("chat.postMessage", status=500, times=3)
    sandbox.command("UADMIN", "admin round")
    [channel] = {
        c.response["channel"]["id"]
        for c in sandbox.fake.calls_to("conversations.open")
        if not c.faulted
    }
    assert sandbox.fake.messages(channel) == []
    sandbox.clock.advance(minutes=1)
    assert delivery.sweep(sandbox.rex).sent == 1
    assert len(sandbox.fake.messages(channel)) == 1


# --- real processes -----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _seed(engine: Engine, fake: FakeSlack, count: int, kind: WorkKind) -> list[str]:
    """`count` pair exchanges with an intro (or each participant's follow-up) due now."""
    now = utcnow()
    people: list[str] = []
    with Session(engine) as session:
        for i in range(count):
            a, b = f"UT{i:05d}", f"UL{i:05d}"
            for user in (a, b):
                fake.add_user(user, user.lower())
            teacher, learner = Member(slack_id=a), Member(slack_id=b)
            exchange = Exchange(created_at=now)
            session.add_all([teacher, learner, exchange])
            session.flush()
            assert teacher.id and learner.id and exchange.id
            session.add(
                Lesson(
                    exchange_id=exchange.id,
                    teacher_id=teacher.id,
                    learner_id=learner.id,
                    teach_label="Go",
                    learn_label="go",
                )
            )
            if kind == WorkKind.INTRO:
                session.add(DueWork(kind=kind, exchange_id=exchange.id, due_at=now))
            else:
                session.add(
                    DueWork(kind=kind, exchange_id=exchange.id, member_id=teacher.id, due_at=now)
                )
            people += [a, b]
        session.commit()
    return people


def _pending(engine: Engine, kind: WorkKind) -> int:
    with Session(engine) as session:
        return session.exec(
            select(func.count())
            .select_from(DueWork)
            .where(col(DueWork.done_at).is_(None), DueWork.kind == kind)
        ).one()


class Bot:
    """`rex run` in its own process, sweeping due work every second."""

    def __init__(self, fake: FakeSlack, database_url: str, tmp_path: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "REX_"))}
        env.update(
            SLACK_BOT_TOKEN=fake.bot_token,
            SLACK_SIGNING_SECRET="secret",
            SLACK_API_URL=fake.api_url,
            DATABASE_URL=database_url,
            PORT=str(_free_port()),
            REX_SWEEP_SECONDS="1",
            REX_DELIVERY_LEASE_SECONDS="3",
            REX_PACING_FACTOR="1000",
            REX_ROUND_CRON="0 0 1 1 *",
            REX_DIGEST_CRON="0 0 1 1 *",
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def _wait(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as running:
        yield running


def test_sigkill_in_the_middle_of_500_intros_loses_and_doubles_none(
    fake: FakeSlack, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'rex.db'}"
    engine = make_engine(url)
    migrate(engine)
    _seed(engine, fake, 500, WorkKind.INTRO)
    first = Bot(fake, url, tmp_path)
    try:
        _wait(lambda: len(fake.calls_to("chat.postMessage")) >= 150, 60, "150 intros")
        first.kill()
    finally:
        first.stop()
    posted_before_restart = len(fake.calls_to("chat.postMessage"))
    assert 150 <= posted_before_restart < 500
    second = Bot(fake, url, tmp_path)
    try:
        _wait(lambda: _pending(engine, WorkKind.INTRO) == 0, 90, "every intro delivered")
    finally:
        second.stop()
    channels = sorted(
        {
            c.response["channel"]["id"]
            for c in fake.calls_to("conversations.open")
            if c.response.get("ok")
        }
    )
    sent = _sent_ids(fake, channels)
    assert len(sent) == 500 and set(sent.values()) == {1}
    engine.dispose()


def test_two_processes_on_one_postgresql_send_1000_follow_ups_once(
    fake: FakeSlack, postgres_url: str, tmp_path: Path
) -> None:
    engine = make_engine(postgres_url)
    migrate(engine)
    from tests.conftest import wipe

    wipe(engine)
    people = _seed(engine, fake, 1000, WorkKind.FOLLOWUP)
    bots = [Bot(fake, postgres_url, tmp_path), Bot(fake, postgres_url, tmp_path)]
    try:
        _wait(lambda: _pending(engine, WorkKind.FOLLOWUP) == 0, 120, "1000 follow-ups delivered")
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
