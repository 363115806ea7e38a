"""Sending what Rex owes people: due intros and follow-ups are rows, claimed atomically and
sent here, so a restart or a second replica never loses or doubles a message."""

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot import digest, exchanges
from bot.messages import DEFAULT_LANGUAGE
from bot.runtime import Rex
from handlers import blocks
from storage import repo
from storage.db import unit_of_work
from storage.models import DueWork, ExchangeState, MemberStatus, WorkKind

log = logging.getLogger("rex.delivery")

LEASE = timedelta(minutes=10)
BATCH = 100
# Slack errors that no retry will fix: the row is given up and logged.
PERMANENT_ERRORS = frozenset(
    {
        "user_not_found",
        "users_not_found",
        "account_inactive",
        "user_disabled",
        "channel_not_found",
        "is_archived",
        "cannot_dm_bot",
        "too_many_users",
        "not_in_channel",
        "invalid_blocks",
        "invalid_auth",
        "not_authed",
    }
)
CLOSED = (ExchangeState.DECLINED, ExchangeState.CANCELLED)


@dataclass(frozen=True)
class SweepReport:
    sent: int = 0
    skipped: int = 0
    retried: int = 0
    failed: int = 0


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def sweep(rex: Rex, *, limit: int = BATCH) -> SweepReport:
    """Send every due row once; failures go back with a backoff, permanent ones are dropped."""
    now = rex.clock()
    with unit_of_work(rex.sessions) as session:
        claimed = repo.claim_due_work(
            session, now=now, worker=rex.worker_id, limit=limit, lease=LEASE
        )
    counts = {"sent": 0, "skipped": 0, "retried": 0, "failed": 0}
    for work in claimed:
        assert work.id is not None
        try:
            with unit_of_work(rex.sessions) as session:
                outcome = _deliver(rex, session, work, now)
                repo.finish_work(session, work_id=work.id, now=now)
            counts[outcome] += 1
        except SlackApiError as exc:
            error = str(exc.response.get("error", "unknown"))
            permanent = error in PERMANENT_ERRORS
            with unit_of_work(rex.sessions) as session:
                if permanent:
                    repo.finish_work(session, work_id=work.id, now=now, error=error)
                else:
                    repo.retry_work(
                        session, work_id=work.id, due_at=now + _backoff(work.attempts), error=error
                    )
            counts["failed" if permanent else "retried"] += 1
            log.warning(
                "delivery.%s work=%s kind=%s exchange=%s error=%s",
                "failed" if permanent else "retry",
                work.id,
                work.kind,
                work.exchange_id,
                error,
            )
    report = SweepReport(**counts)
    if claimed:
        log.info(
            "delivery.sweep worker=%s sent=%d skipped=%d retried=%d failed=%d",
            rex.worker_id,
            report.sent,
            report.skipped,
            report.retried,
            report.failed,
        )
    return report


def _deliver(rex: Rex, session: Session, work: DueWork, now: datetime) -> str:
    lang = DEFAULT_LANGUAGE
    metadata = {"event_type": "rex_delivery", "event_payload": {"work_id": work.id}}
    if work.kind == WorkKind.UNMATCHED:
        return _send_unmatched(rex, session, work, metadata)
    view = exchanges.load(session, exchange_id=work.exchange_id or -1)
    if view is None or view.exchange.state in CLOSED:
        return "skipped"
    if work.kind == WorkKind.INTRO:
        opened = rex.client.conversations_open(users=",".join(view.slack_ids()))
        channel = opened["channel"]["id"]
        posted = rex.client.chat_postMessage(
            channel=channel,
            text=blocks.intro_fallback(view, lang),
            blocks=blocks.intro_blocks(view, lang),
            metadata=metadata,
        )
        exchanges.intro_sent(
            session,
            exchange_id=view.id,
            channel_id=channel,
            ts=str(posted["ts"]),
            now=now,
            followup_days=rex.settings.rex_followup_days,
        )
        log.info(
            "intro.sent exchange=%s channel=%s people=%d", view.id, channel, len(view.slack_ids())
        )
        return "sent"
    member = view.members.get(work.member_id or -1)
    if member is None or member.id is None:
        return "skipped"
    if repo.get_evaluation(session, exchange_id=view.id, member_id=member.id) is not None:
        return "skipped"
    followup = blocks.followup_blocks(view, member.slack_id, lang)
    rex.client.chat_postMessage(
        channel=member.slack_id,
        text=followup[0]["text"]["text"],
        blocks=followup,
        metadata=metadata,
    )
    log.info("followup.sent exchange=%s member=%s", view.id, member.id)
    return "sent"


def _send_unmatched(rex: Rex, session: Session, work: DueWork, metadata: dict[str, Any]) -> str:
    """Tell a member left out of a round why, once; not if they have paused or left since."""
    member = repo.get_members(session, ids=[work.member_id or -1]).get(work.member_id or -1)
    if member is None or member.status != MemberStatus.ACTIVE:
        return "skipped"
    notice = json.loads(work.payload or "{}")
    text = blocks.unmatched_text(
        notice.get("reason", ""),
        notice.get("skill"),
        int(notice.get("demand", 0)),
        DEFAULT_LANGUAGE,
    )
    rex.client.chat_postMessage(channel=member.slack_id, text=text, metadata=metadata)
    log.info(
        "unmatched.sent round=%s member=%s reason=%s",
        work.round_id,
        member.id,
        notice.get("reason"),
    )
    return "sent"


def wake(rex: Rex) -> None:
    """Ask for a sweep now: the scheduler's job when it runs, else inline."""
    if rex.wake_sweeper is not None:
        rex.wake_sweeper()
    else:
        sweep(rex)


def post_digest(rex: Rex, session: Session, *, days: int = 7) -> None:
    """Compute the last `days` days' figures and post them to the digest channel."""
    channel = rex.settings.rex_digest_channel
    if not channel:
        log.warning("digest.skipped reason=no_channel")
        return
    until = rex.clock()
    figures = digest.compute(session, since=until - timedelta(days=days), until=until)
    content = blocks.digest_blocks(figures, DEFAULT_LANGUAGE)
    rex.client.chat_postMessage(channel=channel, text=content[0]["text"]["text"], blocks=content)
    log.info("digest.posted channel=%s evaluations=%d", channel, figures.evaluations)
