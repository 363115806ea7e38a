"""Scheduled work. Jobs have stable ids and take only a runtime key (a string), so they
could live in a persistent job store; the due work itself is rows in the database."""

import logging

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from bot import delivery, members
from bot.exchanges import run_round
from bot.runtime import Rex
from storage.db import unit_of_work
from storage.models import utcnow

log = logging.getLogger("rex.jobs")

RUNTIMES: dict[str, Rex] = {}
SWEEP_JOB = "rex.sweep"
ROUND_JOB = "rex.round"
DIGEST_JOB = "rex.digest"


def sweep_job(key: str) -> None:
    rex = RUNTIMES[key]
    resume_paused(rex)
    delivery.sweep(rex)


def resume_paused(rex: Rex) -> None:
    """Members whose "pause until" date has come are matched again."""
    with unit_of_work(rex.sessions) as session:
        woken = members.resume_due(session, now=rex.clock())
    for member in woken:
        log.info("member.resumed member=%s", member.id)


def round_job(key: str) -> None:
    rex = RUNTIMES[key]
    with unit_of_work(rex.sessions) as session:
        result = run_round(session, config=rex.round_config, now=rex.clock())
    log.info("round.done exchanges=%d unmatched=%d", len(result.exchanges), len(result.unmatched))
    delivery.sweep(rex)


def digest_job(key: str) -> None:
    rex = RUNTIMES[key]
    with unit_of_work(rex.sessions) as session:
        delivery.queue_digest(rex, session)
    delivery.sweep(rex)


def build_scheduler(rex: Rex, key: str = "main") -> BackgroundScheduler:
    """The weekly round and digest, and the sweep that sends what is due."""
    RUNTIMES[key] = rex
    tz = rex.settings.timezone
    scheduler = BackgroundScheduler(timezone=tz)
    common = {"args": [key], "max_instances": 1, "coalesce": True, "replace_existing": True}
    scheduler.add_job(
        sweep_job, "interval", seconds=rex.settings.rex_sweep_seconds, id=SWEEP_JOB, **common
    )
    scheduler.add_job(
        round_job,
        CronTrigger.from_crontab(rex.settings.rex_round_cron, timezone=tz),
        id=ROUND_JOB,
        **common,
    )
    scheduler.add_job(
        digest_job,
        CronTrigger.from_crontab(rex.settings.rex_digest_cron, timezone=tz),
        id=DIGEST_JOB,
        **common,
    )
    rex.wake_sweeper = lambda: scheduler.modify_job(SWEEP_JOB, next_run_time=utcnow())
    return scheduler
