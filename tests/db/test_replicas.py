"""Replicas are safe by construction: each scheduled job runs once per due time whatever the
number of processes, rounds never run at once, a digest is owed once per period, and Slack's
pace is one budget for the whole deployment (PostgreSQL). Real processes: tests/e2e."""

import threading
import time
from datetime import UTC, datetime, timedelta

from slack_sdk import WebClient
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from bot.matching.rounds.model import RoundConfig
from bot.offline.sandbox import ManualClock
from bot.rounds import ROUND_LOCK, run_round
from bot.runtime.pacing import Limit, SharedPacer
from bot.runtime.rex import Rex, build_runtime
from bot.serve.jobs import run_scheduled
from bot.settings import load_settings
from storage import repo
from storage.db import make_engine, migrate, session_factory
from storage.models import (
    DueWork,
    Exchange,
    Job,
    Lesson,
    Member,
    Round,
    WorkKind,
)
from tests.support.database import wipe
from tests.support.history import SWAPS, seed_swaps

T0 = datetime(2026, 12, 7, 7, 59, 30, tzinfo=UTC)  # a Monday


def _replica(engine: Engine, clock: ManualClock, **settings: str) -> Rex:
    """A runtime as one process would have it (its own worker id), with no Slack calls."""
    values = {
        "slack_bot_token": "xoxb-test",
        "slack_signing_secret": "s",
        "rex_digest_channel": "CDIGEST",
        "rex_round_cron": "* * * * *",
        "rex_digest_cron": "* * * * *",
        **settings,
    }
    return build_runtime(
        load_settings(_env_file=None, **values),
        WebClient(token="xoxb-test", base_url="http://127.0.0.1:9/"),
        engine=engine,
        clock=clock,
    )


def _count(engine: Engine, model: type[DueWork] | type[Round] | type[Exchange]) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def test_a_job_runs_once_per_due_time_however_many_replicas(engine: Engine) -> None:
    clock = ManualClock(T0)
    replicas = [_replica(engine, clock) for _ in range(3)]
    assert not any(run_scheduled(r, "digest") for r in replicas)  # first sight: due at 08:00
    clock.advance(seconds=31)
    assert [run_scheduled(r, "digest") for r in replicas].count(True) == 1
    assert not any(run_scheduled(r, "digest") for r in replicas)
    clock.advance(minutes=1)  # the next due time, in the same week: the digest is owed already
    assert [run_scheduled(r, "digest") for r in replicas].count(True) == 1
    assert _count(engine, DueWork) == 1
    with Session(engine) as session:
        job = session.get(Job, "digest")
        assert job is not None and job.due_at == datetime(2026, 12, 7, 8, 2, tzinfo=UTC)


def test_a_changed_crontab_is_next_due_at_its_own_next_time(engine: Engine) -> None:
    clock = ManualClock(T0)
    run_scheduled(_replica(engine, clock), "round")
    clock.advance(minutes=5)
    hourly = _replica(engine, clock, rex_round_cron="0 * * * *")
    assert not run_scheduled(hourly, "round")  # the old time does not count for the new line
    with Session(engine) as session:
        job = session.get(Job, "round")
        assert job is not None and job.due_at == datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_a_job_held_by_one_replica_is_skipped_by_the_others(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    migrate(engine)
    wipe(engine)
    sessions = session_factory(engine)
    due = T0 + timedelta(seconds=30)

    def claim(session: Session, now: datetime) -> datetime | None:
        return repo.claim_job(
            session, name="digest", cron="* * * * *", now=now, worker="w", next_due=lambda t: due
        )

    with sessions() as setup:
        assert claim(setup, T0) is None
        setup.commit()
    with sessions() as first, sessions() as second:
        assert claim(first, due) == due  # holds the row until it commits
        assert claim(second, due) is None
        first.commit()
    engine.dispose()


def test_rounds_wait_for_each_other_and_introduce_nobody_twice(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    migrate(engine)
    wipe(engine)
    seed_swaps(engine)
    sessions = session_factory(engine)
    config = RoundConfig(teacher_capacity=2, learner_capacity=1, cooldown_days=90)
    finished = threading.Event()

    def second_round() -> None:
        with sessions() as session:
            run_round(session, config=config, now=T0)
            session.commit()
        finished.set()

    with sessions() as first:
        repo.lock_job(first, name=ROUND_LOCK)  # a round is running
        other = threading.Thread(target=second_round)
        other.start()
        assert not finished.wait(0.5), "a second round ran while the first one held the lock"
        result = run_round(first, config=config, now=T0)
        first.commit()
    other.join(10)
    assert finished.is_set() and len(result.exchanges) == len(SWAPS)
    with Session(engine) as session:
        pairs = session.exec(select(Lesson.teacher_id, Lesson.learner_id)).all()
    assert len(pairs) == 2 * len(SWAPS) and len(set(pairs)) == len(pairs)
    wipe(engine)
    engine.dispose()


def test_the_pace_is_one_budget_for_every_process(postgres_url: str) -> None:
    """Two processes' pacers (two engines) on one database space their calls as one."""
    engines = [make_engine(postgres_url) for _ in range(2)]
    migrate(engines[0])
    wipe(engines[0])
    limit = Limit(3000, burst=1)  # a call every 61/3000 s
    pacers = [SharedPacer(session_factory(e), {"chat.postMessage": limit}) for e in engines]
    calls: list[float] = []
    lock = threading.Lock()

    def send(pacer: SharedPacer) -> None:
        for _ in range(40):
            pacer.wait("chat.postMessage", None)
            with lock:
                calls.append(time.monotonic())

    threads = [threading.Thread(target=send, args=(p,)) for p in pacers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    interval = 61 / 3000
    assert len(calls) == 80
    assert max(calls) - min(calls) >= 79 * interval * 0.9  # one budget, not two
    pacers[0].penalise("chat.postMessage", 0.5)  # a 429 seen by one holds the other off
    started = time.monotonic()
    pacers[1].wait("chat.postMessage", None)
    assert time.monotonic() - started >= 0.4
    for engine in engines:
        engine.dispose()


def test_a_round_takes_its_lock_on_either_backend(engine: Engine) -> None:
    """On either backend a round takes its lock and plans as before."""
    seed_swaps(engine)
    with Session(engine) as session:
        result = run_round(
            session, config=RoundConfig(learner_capacity=1, cooldown_days=90), now=T0
        )
        session.commit()
    assert len(result.exchanges) == len(SWAPS)
    assert _count(engine, Exchange) == len(SWAPS)
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Member)).one() == 2 * len(SWAPS)


def test_a_message_with_a_once_key_is_queued_once(session: Session) -> None:
    def owed() -> DueWork:
        return DueWork(kind=WorkKind.DIGEST, due_at=T0, payload="{}", once_key="digest:C:1")

    assert repo.queue_once(session, work=owed())
    assert not repo.queue_once(session, work=owed())
    session.commit()
    assert not repo.queue_once(session, work=owed())
    assert session.exec(select(func.count()).select_from(DueWork)).one() == 1
