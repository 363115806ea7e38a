"""Scheduled work. Jobs have stable ids and take only primitive arguments (a runtime key and
a job name), so they could live in a persistent job store; the due work itself is rows.

Every process runs the same APScheduler jobs; a `job` row per scheduled job decides which
process runs each due time (`repo.claim_job`), so however many replicas run, a round or a
digest runs once per due time. The sweep, every REX_SWEEP_SECONDS, also catches up on any
due time missed (a process down at that moment, a Slack token that did not work)."""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_RUNNING
from sqlmodel import Session

from bot import members, outbox
from bot.rounds import run_round
from bot.runtime import metrics
from bot.runtime.rex import Rex
from bot.settings import Settings, cron_trigger, next_after
from handlers.outbox import delivery
from storage import repo
from storage.db import unit_of_work
from storage.models import utcnow

log = logging.getLogger("rex.jobs")

RUNTIMES: dict[str, Rex] = {}
SWEEP_JOB = "rex.sweep"
LEASE_JOB = "rex.lease"
ROUND_JOB = "rex.round"
DIGEST_JOB = "rex.digest"
RETENTION_JOB = "rex.retention"
RETENTION_CRON: Final = "30 3 * * *"


@dataclass(frozen=True)
class Scheduled:
    """A job run once per due time across every process: `run` gets the runtime, the
    transaction holding the job's row, and the due time claimed."""

    name: str
    cron: Callable[[Settings], str]
    run: Callable[[Rex, Session, datetime], None]
    needs_slack: bool = True


def _round(rex: Rex, session: Session, due: datetime) -> None:
    started = time.perf_counter()
    with metrics.ROUND_SECONDS.time():
        result = run_round(session, config=rex.round_config, now=rex.clock())
    log.info(
        "round.done due=%s exchanges=%d unmatched=%d seconds=%.2f",
        due.isoformat(),
        len(result.exchanges),
        len(result.unmatched),
        time.perf_counter() - started,
    )


def _digest(rex: Rex, session: Session, due: datetime) -> None:
    queued = outbox.owe_digest(
        session,
        channel=rex.settings.rex_digest_channel,
        tz=rex.settings.timezone,
        now=rex.clock(),
        scheduled_at=due,
    )
    log.info("digest.%s due=%s", "queued" if queued else "already_owed", due.isoformat())


def _retention(rex: Rex, session: Session, due: datetime) -> None:
    before = rex.clock() - timedelta(days=rex.settings.rex_retention_days)
    events, messages = repo.prune(session, before=before)
    log.info("retention.pruned seen_events=%d done_messages=%d before=%s", events, messages, before)


SCHEDULE: Final = {
    job.name: job
    for job in (
        Scheduled("round", lambda s: s.rex_round_cron, _round),
        Scheduled("digest", lambda s: s.rex_digest_cron, _digest),
        Scheduled("retention", lambda s: RETENTION_CRON, _retention, needs_slack=False),
    )
}


def run_scheduled(rex: Rex, name: str) -> bool:
    """Run job `name` if its due time has come and no other process took it; True if it
    ran here. While Slack refuses the token, jobs that send wait (their due time stays)."""
    job = SCHEDULE[name]
    if rex.stopping.is_set() or (job.needs_slack and not rex.slack.usable()):
        return False
    cron = job.cron(rex.settings)
    trigger = cron_trigger(cron, rex.settings.timezone)
    with unit_of_work(rex.sessions) as session:
        due = repo.claim_job(
            session,
            name=name,
            cron=cron,
            now=rex.clock(),
            worker=rex.worker_id,
            next_due=lambda moment: next_after(trigger, moment),
        )
        if due is None:
            return False
        job.run(rex, session, due)
    return True


def scheduled_job(key: str, name: str) -> None:
    rex = RUNTIMES[key]
    if run_scheduled(rex, name) and SCHEDULE[name].needs_slack:
        delivery.wake(rex)


def sweep_job(key: str) -> None:
    rex = RUNTIMES[key]
    resume_paused(rex)
    for name in SCHEDULE:
        run_scheduled(rex, name)
    while delivery.sweep(rex).claimed >= delivery.BATCH:
        pass  # a full sweep: more may be due


def lease_job(key: str) -> None:
    """Renew this process's claims, so a row it works on is never taken over, while a dead
    process's are within a lease."""
    rex = RUNTIMES[key]
    with unit_of_work(rex.sessions) as session:
        repo.renew_claims(session, worker=rex.worker_id, now=rex.clock())


def resume_paused(rex: Rex) -> None:
    """Members whose "pause until" date has come are matched again (idempotent: replicas
    doing it at once change the same rows the same way)."""
    with unit_of_work(rex.sessions) as session:
        woken = members.resume_due(session, now=rex.clock())
    for member in woken:
        log.info("member.resumed member=%s", member.id)


def build_scheduler(rex: Rex, key: str = "main") -> BackgroundScheduler:
    """The scheduled jobs, the sweep that sends what is due, and the lease renewal."""
    RUNTIMES[key] = rex
    tz = rex.settings.timezone
    scheduler = BackgroundScheduler(timezone=tz)
    common = {"max_instances": 1, "coalesce": True, "replace_existing": True}
    scheduler.add_job(
        sweep_job,
        "interval",
        seconds=rex.settings.rex_sweep_seconds,
        id=SWEEP_JOB,
        args=[key],
        **common,
    )
    scheduler.add_job(
        lease_job,
        "interval",
        seconds=max(1.0, rex.settings.rex_delivery_lease_seconds / 3),
        id=LEASE_JOB,
        args=[key],
        **common,
    )
    for job in SCHEDULE.values():
        scheduler.add_job(
            scheduled_job,
            cron_trigger(job.cron(rex.settings), tz),
            id=f"rex.{job.name}",
            args=[key, job.name],
            **common,
        )
    rex.wake_sweeper = lambda: scheduler.modify_job(SWEEP_JOB, next_run_time=utcnow())
    rex.scheduler_alive = lambda: (
        scheduler.state == STATE_RUNNING
        and bool(getattr(scheduler, "_thread", None) and scheduler._thread.is_alive())
    )
    return scheduler
