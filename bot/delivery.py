"""Sending what Rex owes people: due intros and follow-ups are rows, claimed atomically and
sent here, so a restart or a second replica never loses or doubles a message."""

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot import accounts, calendar, charts, digest, exchanges, lifecycle, outbox
from bot.i18n.l10n import group_languages, language_of_member
from bot.i18n.messages import t
from bot.runtime import metrics
from bot.runtime.pacing import Stopping
from bot.runtime.rex import TOKEN_ERRORS, Rex
from handlers.views.digest import (
    chart_labels,
    chart_title,
    digest_blocks,
    digest_title,
    worth_charting,
)
from handlers.views.evaluation import followup_blocks
from handlers.views.intro import intro_blocks, intro_fallback, nudge_text, report_text
from handlers.views.kit import for_everyone
from handlers.views.members import auto_paused_blocks
from handlers.views.rounds import approval_blocks, unmatched_text
from handlers.views.schedule import invitation_text, reminder_text, session_plan
from storage import repo
from storage.db import unit_of_work
from storage.models import DueWork, ExchangeState, MemberStatus, WorkKind

log = logging.getLogger("rex.delivery")

BATCH = 100
CLAIM = 10
METADATA_EVENT = "rex_delivery"
HISTORY_LOOKBACK = 100
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


def _metadata(work: DueWork) -> dict[str, Any]:
    """Every message Rex sends carries the id of the row it fulfils, so a retry can tell
    whether an earlier attempt reached Slack before the process died."""
    return {"event_type": METADATA_EVENT, "event_payload": {"work_id": work.id}}


def _history(rex: Rex, channel: str, *, metadata: bool) -> list[dict[str, Any]]:
    """The conversation's latest messages, for a retry to find what an earlier attempt
    posted. Without the history scopes (optional, see the README) Slack refuses: delivery
    then falls back to at-least-once, and a retry after a crash may post a second time."""
    rex.pacer.wait("conversations.history")
    try:
        history = rex.client.conversations_history(
            channel=channel, include_all_metadata=metadata, limit=HISTORY_LOOKBACK
        )
    except SlackApiError as exc:
        if exc.response.get("error") != "missing_scope":
            raise
        log.warning(
            "delivery.history_unavailable channel=%s: no history scope, so a retried message "
            "may be posted twice (at-least-once)",
            channel,
        )
        return []
    return list(history.get("messages") or [])


def _already_sent(rex: Rex, channel: str, work: DueWork) -> str | None:
    """The ts of this row's message if an earlier attempt posted it (outcome unknown)."""
    for message in _history(rex, channel, metadata=True):
        metadata = message.get("metadata") or {}
        payload = metadata.get("event_payload") or {}
        if metadata.get("event_type") == METADATA_EVENT and payload.get("work_id") == work.id:
            return str(message["ts"])
    return None


def _open(rex: Rex, users: Sequence[str]) -> str:
    rex.pacer.wait("conversations.open")
    return str(rex.client.conversations_open(users=",".join(users))["channel"]["id"])


def _post(
    rex: Rex,
    work: DueWork,
    *,
    channel: str | None,
    user: str | None = None,
    text: str,
    blocks: list[dict[str, Any]] | None = None,
) -> str:
    """Post once: a retried row first looks for its own message in the conversation."""
    if work.attempts > 1:
        where = channel or _open(rex, [user or ""])
        found = _already_sent(rex, where, work)
        if found is not None:
            log.info("delivery.recovered work=%s kind=%s", work.id, work.kind)
            return found
    target = channel or user or ""
    rex.pacer.wait("chat.postMessage", target)
    posted = rex.client.chat_postMessage(
        channel=target, text=text, blocks=blocks, metadata=_metadata(work)
    )
    return str(posted["ts"])


Sender = Callable[[Rex, Session, DueWork, datetime], str]


def _deliver(rex: Rex, session: Session, work: DueWork, now: datetime) -> str:
    return SENDERS[WorkKind(work.kind)](rex, session, work, now)


def _group(view: exchanges.ExchangeView) -> tuple[str, ...]:
    """The languages a group DM's messages are written in: each of its people's."""
    return group_languages(view.members.values())


def _live_exchange(session: Session, work: DueWork) -> exchanges.ExchangeView | None:
    """The row's exchange, unless it ended without happening (then nothing is sent)."""
    view = exchanges.load(session, exchange_id=work.exchange_id or -1)
    if view is None or view.exchange.state in lifecycle.NEVER_HAPPENED:
        return None
    return view


def _send_intro(rex: Rex, session: Session, work: DueWork, now: datetime) -> str:
    view = _live_exchange(session, work)
    if view is None:
        return "skipped"
    langs = _group(view)
    channel = _open(rex, view.slack_ids())
    notes = repo.learner_notes(session, lessons=view.lessons)
    ts = _post(
        rex,
        work,
        channel=channel,
        text=intro_fallback(view, langs),
        blocks=intro_blocks(view, langs, notes=notes, now=now),
    )
    settings = rex.settings
    exchanges.intro_sent(
        session,
        exchange_id=view.id,
        channel_id=channel,
        ts=ts,
        now=now,
        followup_days=settings.rex_followup_days,
        nudge_days=settings.rex_intro_nudge_days,
        expire_days=settings.rex_intro_expire_days,
    )
    log.info("intro.sent exchange=%s channel=%s people=%d", view.id, channel, len(view.slack_ids()))
    return "sent"


def _send_followup(rex: Rex, session: Session, work: DueWork, now: datetime) -> str:
    """ "Did it happen?" to one participant, or its one reminder; both only while the
    exchange is alive and they have not evaluated this session yet."""
    view = _live_exchange(session, work)
    member = view.members.get(work.member_id or -1) if view else None
    if view is None or member is None or member.id is None:
        return "skipped"
    if view.exchange.state in (ExchangeState.EVALUATED, ExchangeState.CLOSED):
        return "skipped"
    if (
        repo.get_evaluation(
            session,
            exchange_id=view.id,
            member_id=member.id,
            session_number=view.exchange.session_number,
        )
        is not None
    ):
        return "skipped"
    reminder = work.kind == WorkKind.FOLLOWUP_REMINDER
    followup = followup_blocks(view, member.slack_id, language_of_member(member), reminder=reminder)
    _post(
        rex,
        work,
        channel=None,
        user=member.slack_id,
        text=followup[0]["text"]["text"],
        blocks=followup,
    )
    if not reminder:
        exchanges.followup_sent(session, view=view, member_id=member.id, now=now)
    log.info("followup.sent exchange=%s member=%s reminder=%s", view.id, member.id, reminder)
    return "sent"


def _send_close(rex: Rex, session: Session, work: DueWork, now: datetime) -> str:
    """Close an exchange whose follow-ups went unanswered, and say so in its group DM."""
    view = _live_exchange(session, work)
    if view is None or not exchanges.close_unevaluated(session, view, now=now):
        return "skipped"
    if view.exchange.channel_id:
        text = for_everyone(_group(view), lambda lang: t("closed.text", lang))
        _post(rex, work, channel=view.exchange.channel_id, text=text)
    log.info("exchange.closed exchange=%s reason=not_evaluated", view.id)
    return "sent"


def _still_proposed(session: Session, work: DueWork) -> exchanges.ExchangeView | None:
    """Nudges and expiries only concern an introduction nobody has acted on."""
    view = _live_exchange(session, work)
    if view is None or view.exchange.state != ExchangeState.PROPOSED:
        return None
    return view if view.exchange.channel_id else None


def _send_nudge(rex: Rex, session: Session, work: DueWork, now: datetime) -> str:
    view = _still_proposed(session, work)
    if view is None:
        return "skipped"
    _post(rex, work, channel=view.exchange.channel_id, text=nudge_text(view, _group(view)))
    log.info("intro.nudged exchange=%s", view.id)
    return "sent"


def _send_expiry(rex: Rex, session: Session, work: DueWork, now: datetime) -> str:
    view = _still_proposed(session, work)
    if view is None:
        return "skipped"
    paused = exchanges.expire(session, view, now=now)
    _post(
        rex,
        work,
        channel=view.exchange.channel_id,
        text=for_everyone(
            _group(view),
            lambda lang: t("expired.text", lang, days=rex.settings.rex_intro_expire_days),
        ),
    )
    log.info("intro.expired exchange=%s auto_paused=%d", view.id, len(paused))
    return "sent"


def _send_auto_paused(rex: Rex, session: Session, work: DueWork, now: datetime) -> str:
    member = repo.get_members(session, ids=[work.member_id or -1]).get(work.member_id or -1)
    if member is None or member.status != MemberStatus.PAUSED:
        return "skipped"
    notice = outbox.AutoPaused.of(work)
    content = auto_paused_blocks(notice.count, language_of_member(member))
    _post(
        rex,
        work,
        channel=None,
        user=member.slack_id,
        text=content[0]["text"]["text"],
        blocks=content,
    )
    log.info("member.auto_paused member=%s", member.id)
    return "sent"


def _current_session(session: Session, work: DueWork) -> exchanges.ExchangeView | None:
    """The exchange when this row is about its current schedule (not a moved one)."""
    view = _live_exchange(session, work)
    version = outbox.SessionVersion.of(work)
    if view is None or view.exchange.scheduled_at is None or not view.exchange.channel_id:
        return None
    return view if version.sequence == view.exchange.invitation_sequence else None


def _send_reminder(rex: Rex, session: Session, work: DueWork, now: datetime) -> str:
    view = _current_session(session, work)
    if view is None or view.exchange.state != ExchangeState.SCHEDULED:
        return "skipped"
    _post(
        rex,
        work,
        channel=view.exchange.channel_id,
        text=reminder_text(view, _group(view)),
    )
    return "sent"


def _send_invitation(rex: Rex, session: Session, work: DueWork, now: datetime) -> str:
    """The confirmation in the group DM, with the .ics attached (same UID each time,
    a higher SEQUENCE when rescheduled)."""
    view = _current_session(session, work)
    if view is None:
        return "skipped"
    channel = view.exchange.channel_id or ""
    organiser = view.members.get(work.member_id or -1)
    name = f"rex-session-{view.id}-v{view.exchange.invitation_sequence}.ics"
    uploaded = _upload(
        rex,
        work,
        channel=channel,
        name=name,
        title=name,
        content=lambda: calendar.build_ics(
            session_plan(view, organiser.tz if organiser else None, _group(view)[0]),
            now=now,
        ),
        comment=invitation_text(view, organiser, _group(view)),
    )
    if uploaded:
        log.info(
            "invitation.sent exchange=%s sequence=%s", view.id, view.exchange.invitation_sequence
        )
    return "sent"


def _upload(
    rex: Rex,
    work: DueWork,
    *,
    channel: str,
    name: str,
    title: str,
    content: Callable[[], str | bytes],
    comment: str | None = None,
) -> bool:
    """Share a file once: a retried row first looks for it, by name, in the conversation
    (then nothing is made or sent again). False when it was already there."""
    if work.attempts > 1 and _file_already_shared(rex, channel, name):
        return False
    rex.pacer.wait("files.completeUploadExternal")
    rex.client.files_upload_v2(
        channel=channel, filename=name, title=title, content=content(), initial_comment=comment
    )
    return True


def _file_already_shared(rex: Rex, channel: str, name: str) -> bool:
    return any(
        f.get("name") == name
        for message in _history(rex, channel, metadata=False)
        for f in message.get("files") or []
    )


def _send_report(rex: Rex, session: Session, work: DueWork, now: datetime) -> str:
    """A problem report goes to the managers' channel, never to the exchange."""
    channel = rex.settings.rex_managers_channel
    view = exchanges.load(session, exchange_id=work.exchange_id or -1)
    reporter = view.members.get(work.member_id or -1) if view else None
    if not channel or view is None or reporter is None:
        log.warning(
            "report.undeliverable exchange=%s reason=%s",
            work.exchange_id,
            "no_managers_channel" if not channel else "no_exchange",
        )
        return "skipped"
    report = outbox.ProblemReport.of(work)
    _post(
        rex,
        work,
        channel=channel,
        text=report_text(view, reporter.slack_id, report.text, rex.settings.rex_language),
    )
    log.info("report.sent exchange=%s", view.id)
    return "sent"


def _send_unmatched(rex: Rex, session: Session, work: DueWork, now: datetime) -> str:
    """Tell a member left out of a round why, once; not if they have paused or left since."""
    member = repo.get_members(session, ids=[work.member_id or -1]).get(work.member_id or -1)
    if member is None or member.status != MemberStatus.ACTIVE:
        return "skipped"
    notice = outbox.UnmatchedNotice.of(work)
    text = unmatched_text(
        notice.reason,
        notice.skill,
        notice.demand,
        language_of_member(member),
        languages=notice.languages,
        sites=notice.sites,
        teachers=notice.teachers,
    )
    _post(rex, work, channel=None, user=member.slack_id, text=text)
    log.info(
        "unmatched.sent round=%s member=%s reason=%s",
        work.round_id,
        member.id,
        notice.reason,
    )
    return "sent"


def _send_approval(rex: Rex, session: Session, work: DueWork, now: datetime) -> str:
    """A pending proposal, posted for the managers to approve, swap out or reject."""
    view = exchanges.load(session, exchange_id=work.exchange_id or -1)
    channel = rex.settings.rex_managers_channel
    if view is None or view.exchange.state != ExchangeState.PENDING or not channel:
        return "skipped"
    content = approval_blocks(view, rex.settings.rex_language)
    _post(rex, work, channel=channel, text=content[0]["text"]["text"], blocks=content)
    return "sent"


def _send_digest(rex: Rex, session: Session, work: DueWork, now: datetime) -> str:
    """The digest in the managers' channel, then its chart of the last weeks."""
    channel = rex.settings.rex_digest_channel
    if not channel:
        log.warning("digest.skipped reason=no_channel")
        return "skipped"
    tz = rex.settings.timezone
    owed = outbox.DigestPeriod.of(work, week_before_due=digest.last_monday(work.due_at, tz))
    period = digest.Period.weeks_to(owed.until, weeks=owed.weeks, tz=tz)
    report = digest.compute_digest(session, period=period)
    lang = rex.settings.rex_language
    content = digest_blocks(report, lang)
    _post(
        rex,
        work,
        channel=channel,
        text=digest_title(report.period, lang),
        blocks=content,
    )
    charted = worth_charting(report)
    if charted:
        _share_chart(rex, work, channel, report, lang)
    log.info(
        "digest.posted work=%s channel=%s until=%s weeks=%d evaluations=%d blocks=%d chart=%s",
        work.id,
        channel,
        owed.until.isoformat(),
        owed.weeks,
        report.current.evaluations,
        len(content),
        charted,
    )
    return "sent"


def _share_chart(rex: Rex, work: DueWork, channel: str, report: digest.Digest, lang: str) -> None:
    """The weekly chart as a PNG in the channel, once even when the row is retried."""
    title = chart_title(lang)
    _upload(
        rex,
        work,
        channel=channel,
        name=f"rex-digest-{work.id}.png",
        title=title,
        content=lambda: charts.weekly_chart(
            report.weekly, title=title, labels=chart_labels(report, lang)
        ),
    )


def _send_withdrawn(rex: Rex, session: Session, work: DueWork, now: datetime) -> str:
    """Someone's Slack account went: their exchange is closed, kindly, for the others."""
    view = exchanges.load(session, exchange_id=work.exchange_id or -1)
    if view is None or not view.exchange.channel_id:
        return "skipped"
    text = for_everyone(_group(view), lambda lang: t("withdrawn.text", lang))
    _post(rex, work, channel=view.exchange.channel_id, text=text)
    log.info("exchange.withdrawn exchange=%s", view.id)
    return "sent"


def _send_uninvite(rex: Rex, session: Session, work: DueWork, now: datetime) -> str:
    """The calendar cancellation (METHOD:CANCEL, the invitation's UID, a higher SEQUENCE)
    of a session that will not happen, when its invitation went out."""
    view = exchanges.load(session, exchange_id=work.exchange_id or -1)
    sequence = outbox.SessionVersion.of(work).sequence
    if (
        view is None
        or view.exchange.scheduled_at is None
        or not view.exchange.channel_id
        or sequence != view.exchange.invitation_sequence
        or not repo.sent_work(session, exchange_id=view.id, kind=WorkKind.INVITATION)
    ):
        return "skipped"
    organiser = next(
        (view.members[i] for i in repo.participant_ids(view.lessons) if i in view.members), None
    )
    langs = _group(view)
    _upload(
        rex,
        work,
        channel=view.exchange.channel_id,
        name=f"rex-session-{view.id}-v{sequence}-cancelled.ics",
        title=t("uninvite.title", langs[0]),
        content=lambda: calendar.cancel_ics(
            session_plan(view, organiser.tz if organiser else None, langs[0]), now=now
        ),
        comment=for_everyone(langs, lambda lang: t("uninvite.text", lang)),
    )
    log.info("invitation.cancelled exchange=%s sequence=%s", view.id, sequence)
    return "sent"


SENDERS: dict[WorkKind, Sender] = {
    WorkKind.DIGEST: _send_digest,
    WorkKind.APPROVAL: _send_approval,
    WorkKind.INTRO: _send_intro,
    WorkKind.FOLLOWUP: _send_followup,
    WorkKind.FOLLOWUP_REMINDER: _send_followup,
    WorkKind.CLOSE: _send_close,
    WorkKind.UNMATCHED: _send_unmatched,
    WorkKind.NUDGE: _send_nudge,
    WorkKind.EXPIRE: _send_expiry,
    WorkKind.AUTO_PAUSED: _send_auto_paused,
    WorkKind.REMINDER: _send_reminder,
    WorkKind.INVITATION: _send_invitation,
    WorkKind.REPORT: _send_report,
    WorkKind.WITHDRAWN: _send_withdrawn,
    WorkKind.UNINVITE: _send_uninvite,
}


def wake(rex: Rex) -> None:
    """Ask for a sweep now: the scheduler's job when it runs, else inline."""
    if rex.wake_sweeper is not None:
        rex.wake_sweeper()
    else:
        sweep(rex)


def queue_digest(
    rex: Rex, session: Session, *, weeks: int = 1, scheduled_at: datetime | None = None
) -> bool:
    """Owe the digest channel the figures of the last `weeks` whole weeks: a row like any
    message, so a crash or a second replica never loses or doubles it, and a retry
    reports the same weeks. A scheduled digest (`scheduled_at`, its due time) is owed once
    per period and channel however often the schedule fires; False when it already was."""
    now = rex.clock()
    until = digest.last_monday(scheduled_at or now, rex.settings.timezone)
    period = outbox.DigestPeriod(until=until, weeks=weeks)
    once_key = (
        f"digest:{rex.settings.rex_digest_channel}:{until.isoformat()}:{weeks}"
        if scheduled_at is not None
        else None
    )
    return outbox.owe_digest(session, period=period, due_at=now, once_key=once_key)
