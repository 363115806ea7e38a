"""What Rex owes the managers' channels: proposals to approve, problem reports, the digest."""

import logging
from datetime import datetime

from sqlmodel import Session

from bot import charts, exchanges, outbox
from bot.digest.compute import compute_digest
from bot.digest.model import Digest
from bot.periods import Period, last_monday
from bot.runtime.rex import Rex
from handlers.outbox.post import Sender, post, upload
from handlers.views.digest import (
    chart_labels,
    chart_title,
    digest_blocks,
    digest_title,
    worth_charting,
)
from handlers.views.intro import report_text
from handlers.views.rounds import approval_blocks
from storage.models import DueWork, ExchangeState, WorkKind

log = logging.getLogger("rex.delivery")


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
    post(
        rex,
        work,
        channel=channel,
        text=report_text(view, reporter.slack_id, report.text, rex.settings.rex_language),
    )
    log.info("report.sent exchange=%s", view.id)
    return "sent"


def _send_approval(rex: Rex, session: Session, work: DueWork, now: datetime) -> str:
    """A pending proposal, posted for the managers to approve, swap out or reject."""
    view = exchanges.load(session, exchange_id=work.exchange_id or -1)
    channel = rex.settings.rex_managers_channel
    if view is None or view.exchange.state != ExchangeState.PENDING or not channel:
        return "skipped"
    content = approval_blocks(view, rex.settings.rex_language)
    post(rex, work, channel=channel, text=content[0]["text"]["text"], blocks=content)
    return "sent"


def _send_digest(rex: Rex, session: Session, work: DueWork, now: datetime) -> str:
    """The digest in the managers' channel, then its chart of the last weeks."""
    channel = rex.settings.rex_digest_channel
    if not channel:
        log.warning("digest.skipped reason=no_channel")
        return "skipped"
    tz = rex.settings.timezone
    owed = outbox.DigestPeriod.queued(work, week_before_due=last_monday(work.due_at, tz))
    period = Period.weeks_to(owed.until, weeks=owed.weeks, tz=tz)
    report = compute_digest(session, period=period)
    lang = rex.settings.rex_language
    content = digest_blocks(report, lang)
    post(
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


def _share_chart(rex: Rex, work: DueWork, channel: str, report: Digest, lang: str) -> None:
    """The weekly chart as a PNG in the channel, once even when the row is retried."""
    title = chart_title(lang)
    upload(
        rex,
        work,
        channel=channel,
        name=f"rex-digest-{work.id}.png",
        title=title,
        content=lambda: charts.weekly_chart(
            report.weekly, title=title, labels=chart_labels(report, lang)
        ),
    )


MANAGER_SENDERS: dict[WorkKind, Sender] = {
    WorkKind.DIGEST: _send_digest,
    WorkKind.APPROVAL: _send_approval,
    WorkKind.REPORT: _send_report,
}
