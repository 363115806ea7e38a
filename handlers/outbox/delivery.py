"""The sweep: the rows Rex owes (written by `bot.outbox`) are claimed atomically, a few at a
time under a lease, and each handed to its kind's sender; a failure goes back with a
back-off, so a restart or a second replica never loses or doubles a message."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot import accounts, exchanges
from bot.runtime import metrics
from bot.runtime.pacing import Stopping
from bot.runtime.rex import TOKEN_ERRORS, Rex
from handlers.outbox.exchanges import EXCHANGE_SENDERS
from handlers.outbox.managers import MANAGER_SENDERS
from handlers.outbox.members import MEMBER_SENDERS
from handlers.outbox.post import Sender
from storage import repo
from storage.db import unit_of_work
from storage.models import DueWork, WorkKind

log = logging.getLogger("rex.delivery")


BATCH = 100


CLAIM = 10


# Slack errors that no retry will fix: the row is given up and logged. (A bot that is not
# in a channel is retried: once invited, it delivers; see `NOT_IN_CHANNEL`.)
PERMANENT_ERRORS = frozenset(
    {
        "user_not_found",
        "users_not_found",
        "user_disabled",
        "channel_not_found",
        "is_archived",
        "cannot_dm_bot",
        "too_many_users",
        "invalid_blocks",
        "PayloadError",  # a row not as its kind writes it: a bug, never guessed at
    }
)


NOT_IN_CHANNEL = "not_in_channel"


# An intro that meets these has a deactivated account among its people (`account_inactive`
# once auth.test has shown the bot's own token works).
ACCOUNT_GONE = frozenset({"user_disabled", "account_inactive"})


@dataclass(frozen=True)
class SweepReport:
    sent: int = 0
    skipped: int = 0
    retried: int = 0
    failed: int = 0
    claimed: int = 0


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def _error_of(exc: Exception) -> str:
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error", "unknown"))
    return type(exc).__name__


def sweep(rex: Rex, *, limit: int = BATCH) -> SweepReport:
    """Send up to `limit` due rows, each once; failures go back with a backoff, permanent
    ones are dropped.

    Rows are claimed CLAIM at a time, so replicas share a backlog and a crash strands only
    a few (until their lease runs out). Nothing is taken while the process is stopping or
    while Slack refuses the bot token; rows claimed but not started then are handed back."""
    counts = {"sent": 0, "skipped": 0, "retried": 0, "failed": 0, "claimed": 0}
    if rex.stopping.is_set() or not rex.slack.usable():
        return SweepReport()
    going = True
    while going and counts["claimed"] < limit:
        now = rex.clock()
        with unit_of_work(rex.sessions) as session:
            claimed = repo.claim_due_work(
                session,
                now=now,
                worker=rex.worker_id,
                limit=min(CLAIM, limit - counts["claimed"]),
                lease=rex.delivery_lease,
            )
        if not claimed:
            break
        counts["claimed"] += len(claimed)
        going = _send_claimed(rex, claimed, now, counts)
    report = SweepReport(**counts)
    if report.claimed:
        log.info(
            "delivery.sweep worker=%s sent=%d skipped=%d retried=%d failed=%d",
            rex.worker_id,
            report.sent,
            report.skipped,
            report.retried,
            report.failed,
        )
    return report


def _send_claimed(rex: Rex, claimed: list[DueWork], now: datetime, counts: dict[str, int]) -> bool:
    """Send claimed rows in order; False when the process stops or the token stopped
    working (what is left is handed back)."""
    for index, work in enumerate(claimed):
        assert work.id is not None
        if rex.stopping.is_set() or not rex.slack.ok:
            _hand_back(rex, claimed[index:])
            return False
        try:
            with unit_of_work(rex.sessions) as session:
                outcome = _deliver(rex, session, work, now)
                repo.finish_work(session, work_id=work.id, now=now)
            counts[outcome] += 1
            if outcome == "sent":
                metrics.MESSAGES_SENT.labels(kind=work.kind).inc()
        except Stopping:
            # cut short before a call: what it sent already is found again by the retry
            _retry(rex, work, due_at=now, error="stopping")
            _hand_back(rex, claimed[index + 1 :])
            return False
        except Exception as exc:  # a network error must not strand the rest of the batch
            error = _error_of(exc)
            if error in TOKEN_ERRORS and not rex.slack.verify():
                _retry(rex, work, due_at=now, error=error)  # not the row's fault: no backoff
                _hand_back(rex, claimed[index + 1 :])
                return False
            counts[_failed(rex, work, error, now)] += 1
    return True


def _failed(rex: Rex, work: DueWork, error: str, now: datetime) -> str:
    """Give a failed row up (a permanent error) or put it back with a backoff."""
    assert work.id is not None
    permanent = error in PERMANENT_ERRORS or (
        error in TOKEN_ERRORS  # the token works: `account_inactive` was a member's account
    )
    if permanent:
        with unit_of_work(rex.sessions) as session:
            repo.finish_work(session, work_id=work.id, now=now, error=error)
            if work.kind == WorkKind.INTRO and work.exchange_id is not None:
                exchanges.undeliverable(session, exchange_id=work.exchange_id, now=now, error=error)
                if error in ACCOUNT_GONE:
                    _deactivate_gone(rex, session, work.exchange_id, now)
    else:
        # from the time of failure: a long paced batch outlives its start time
        _retry(rex, work, due_at=rex.clock() + _backoff(work.attempts), error=error)
    counter = metrics.MESSAGES_FAILED if permanent else metrics.MESSAGES_RETRIED
    counter.labels(kind=work.kind, error=error).inc()
    log.warning(
        "delivery.%s work=%s kind=%s exchange=%s error=%s%s",
        "failed" if permanent else "retry",
        work.id,
        work.kind,
        work.exchange_id,
        error,
        " hint=invite Rex to the channel with /invite @Rex" if error == NOT_IN_CHANNEL else "",
    )
    return "failed" if permanent else "retried"


def _deactivate_gone(rex: Rex, session: Session, exchange_id: int, now: datetime) -> None:
    """Slack does not say whose account stopped an intro: users.info tells, and they leave
    the pool as if Slack had said so (`user_change` with `deleted`)."""
    view = exchanges.load(session, exchange_id=exchange_id)
    for member in view.members.values() if view else ():
        rex.pacer.wait("users.info")
        try:
            gone = bool(rex.client.users_info(user=member.slack_id)["user"].get("deleted"))
        except SlackApiError as exc:
            gone = exc.response.get("error") == "user_not_found"
        if gone:
            closed = accounts.deactivated(session, slack_id=member.slack_id, now=now)
            log.info("member.deactivated member=%s closed=%d via=intro", member.id, len(closed))


def _retry(rex: Rex, work: DueWork, *, due_at: datetime, error: str) -> None:
    assert work.id is not None
    with unit_of_work(rex.sessions) as session:
        repo.retry_work(session, work_id=work.id, due_at=due_at, error=error)


def _hand_back(rex: Rex, works: Sequence[DueWork]) -> None:
    """Rows claimed and never started go back to the pool for any process to take now."""
    if works:
        with unit_of_work(rex.sessions) as session:
            repo.release_claims(
                session, worker=rex.worker_id, ids=[w.id for w in works if w.id is not None]
            )
        log.info("delivery.handed_back worker=%s rows=%d", rex.worker_id, len(works))


def _deliver(rex: Rex, session: Session, work: DueWork, now: datetime) -> str:
    return SENDERS[WorkKind(work.kind)](rex, session, work, now)


# every kind has one sender, grouped by whom it concerns
SENDERS: dict[WorkKind, Sender] = {**EXCHANGE_SENDERS, **MEMBER_SENDERS, **MANAGER_SENDERS}


def wake(rex: Rex) -> None:
    """Ask for a sweep now: the scheduler's job when it runs, else inline."""
    if rex.wake_sweeper is not None:
        rex.wake_sweeper()
    else:
        sweep(rex)
