"""Replicas as real processes: SQLite refuses a second `rex run`; on PostgreSQL two replicas
with crons every ten seconds run each job once per due time and pace Slack as one."""

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from bot.offline.fakeslack import FakeSlack
from storage.db import make_engine, migrate
from storage.models import DueWork, Exchange, Lesson, Member, MemberStatus, Round, WorkKind, utcnow
from tests.support.database import backlog, wipe
from tests.support.history import SWAPS, seed_swaps
from tests.support.processes import RexProcess, clean_env, seed_known_work, wait_for


@pytest.fixture
def fake(fake: FakeSlack) -> FakeSlack:
    """The fake Slack with the digest channel, Rex in it."""
    fake.add_channel("CDIGEST", "rex-digest", members=[fake.bot_user_id])
    return fake


def test_a_second_process_on_one_sqlite_database_is_refused_in_one_line(
    fake: FakeSlack, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'rex.db'}"
    first = RexProcess(fake, url, tmp_path).wait_healthy()
    try:
        env = clean_env(
            SLACK_BOT_TOKEN=fake.bot_token,
            SLACK_SIGNING_SECRET="s",
            SLACK_API_URL=fake.api_url,
            DATABASE_URL=url,
        )
        second = subprocess.run(
            [sys.executable, "-m", "bot", "run"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        first.stop()
    assert second.returncode == 2
    assert second.stderr.strip().splitlines() == [
        f"rex: another Rex process already runs on {tmp_path / 'rex.db'}: SQLite is for one "
        "process; for replicas use PostgreSQL (DATABASE_URL=postgresql://user:password@host/rex)"
    ]


def _calls_in_window(times: list[float], seconds: float) -> int:
    """The most calls any `seconds`-long window holds."""
    times, most, start = sorted(times), 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= seconds:
            start += 1
        most = max(most, end - start + 1)
    return most


def test_two_replicas_with_crons_every_ten_seconds(
    fake: FakeSlack, postgres_url: str, tmp_path: Path
) -> None:
    """Every cron fires every 10 s (the seconds field tests may use) in two `rex run` on one
    PostgreSQL: one round per due time, one digest for the period, no pair introduced
    twice, and both replicas' posts paced as one."""
    engine = make_engine(postgres_url)
    migrate(engine)
    wipe(engine)
    for user in seed_swaps(engine):
        fake.add_user(user, user.lower())
    seed_known_work(fake, engine, 60, WorkKind.FOLLOWUP)
    with Session(engine) as session:  # only owed a follow-up: not in the rounds
        session.execute(
            update(Member)
            .where(col(Member.slack_id).startswith("UT") | col(Member.slack_id).startswith("UL"))
            .values(status=MemberStatus.PAUSED)
        )
        session.commit()
    every_ten = "*/10 * * * * *"
    settings = {
        "REX_ROUND_CRON": every_ten,
        "REX_DIGEST_CRON": every_ten,
        "REX_DIGEST_CHANNEL": "CDIGEST",
        "REX_PACING_FACTOR": "2",
    }
    replicas = [
        RexProcess(fake, postgres_url, tmp_path, log=tmp_path / f"rex{i}.log", **settings)
        for i in range(2)
    ]
    try:
        for replica in replicas:
            replica.wait_healthy()
        started = time.monotonic()
        wait_for(lambda: time.monotonic() - started > 25, 40, "three due times")
        wait_for(lambda: backlog(engine, due_by=utcnow()) == 0, 30, "every message")
    finally:
        for replica in replicas:
            replica.stop()
    with Session(engine) as session:
        rounds = session.exec(select(Round.planned_at)).all()
        pairs = session.exec(
            select(Lesson.teacher_id, Lesson.learner_id)
            .join(Exchange, col(Exchange.id) == Lesson.exchange_id)
            .where(col(Exchange.round_id).is_not(None))
        ).all()
        digests = session.exec(select(DueWork).where(DueWork.kind == WorkKind.DIGEST)).all()
        workers = set(session.exec(select(DueWork.claimed_by)).all())
    slots = Counter(at.replace(second=at.second // 10 * 10, microsecond=0) for at in rounds)
    assert len(rounds) >= 2 and set(slots.values()) == {1}  # once per due time
    assert len(pairs) == 2 * len(SWAPS) and len(set(pairs)) == len(pairs)
    assert len(digests) == 1
    [digest] = [m for m in fake.messages("CDIGEST") if "metadata" in m]
    assert digest["metadata"]["event_payload"] == {"work_id": digests[0].id}
    assert len(workers - {None}) == 2  # both replicas sent
    posts = [c.at for c in fake.calls_to("chat.postMessage") if c.status == 200]
    interval, burst = 61 / (600 - 10 + 1), 10
    assert len(posts) == 60 + len(SWAPS) + 1
    assert _calls_in_window(posts, 3.0) <= burst + 3.0 / interval + 1
    assert not [c for c in fake.calls if c.status == 429]
    wipe(engine)
    engine.dispose()
