"""What Rex owes an exchange's people: the intro, follow-ups and their reminder, the nudge,
the expiry, the session's invitation, reminder and cancellation, the close, a withdrawal."""

import logging
from datetime import datetime

from sqlmodel import Session

from bot import calendar, exchanges, lifecycle, outbox
from bot.i18n.l10n import language_of_member
from bot.i18n.messages import t
from bot.runtime.rex import Rex
from handlers.outbox.post import Sender, open_conversation, post, upload
from handlers.views.evaluation import followup_blocks
from handlers.views.intro import intro_blocks, intro_fallback, nudge_text
from handlers.views.kit import for_everyone
from handlers.views.schedule import invitation_text, reminder_text, session_plan
from storage import repo
from storage.models import DueWork, ExchangeState, WorkKind

log = logging.getLogger("rex.delivery")


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
    langs = view.languages()
    channel = open_conversation(rex, view.slack_ids())
    notes = repo.learner_notes(session, lessons=view.lessons)
    ts = post(
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
    post(
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
        text = for_everyone(view.languages(), lambda lang: t("closed.text", lang))
        post(rex, work, channel=view.exchange.channel_id, text=text)
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
    post(rex, work, channel=view.exchange.channel_id, text=nudge_text(view, view.languages()))
    log.info("intro.nudged exchange=%s", view.id)
    return "sent"


def _send_expiry(rex: Rex, session: Session, work: DueWork, now: datetime) -> str:
    view = _still_proposed(session, work)
    if view is None:
        return "skipped"
    paused = exchanges.expire(session, view, now=now)
    post(
        rex,
        work,
        channel=view.exchange.channel_id,
        text=for_everyone(
            view.languages(),
            lambda lang: t("expired.text", lang, days=rex.settings.rex_intro_expire_days),
        ),
    )
    log.info("intro.expired exchange=%s auto_paused=%d", view.id, len(paused))
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
    post(
        rex,
        work,
        channel=view.exchange.channel_id,
        text=reminder_text(view, view.languages()),
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
    uploaded = upload(
        rex,
        work,
        channel=channel,
        name=name,
        title=name,
        content=lambda: calendar.build_ics(
            session_plan(view, organiser.tz if organiser else None, view.languages()[0]),
            now=now,
        ),
        comment=invitation_text(view, organiser, view.languages()),
    )
    if uploaded:
        log.info(
            "invitation.sent exchange=%s sequence=%s", view.id, view.exchange.invitation_sequence
        )
    return "sent"


def _send_withdrawn(rex: Rex, session: Session, work: DueWork, now: datetime) -> str:
    """Someone's Slack account went: their exchange is closed, kindly, for the others."""
    view = exchanges.load(session, exchange_id=work.exchange_id or -1)
    if view is None or not view.exchange.channel_id:
        return "skipped"
    text = for_everyone(view.languages(), lambda lang: t("withdrawn.text", lang))
    post(rex, work, channel=view.exchange.channel_id, text=text)
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
    langs = view.languages()
    upload(
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


EXCHANGE_SENDERS: dict[WorkKind, Sender] = {
    WorkKind.INTRO: _send_intro,
    WorkKind.FOLLOWUP: _send_followup,
    WorkKind.FOLLOWUP_REMINDER: _send_followup,
    WorkKind.CLOSE: _send_close,
    WorkKind.NUDGE: _send_nudge,
    WorkKind.EXPIRE: _send_expiry,
    WorkKind.REMINDER: _send_reminder,
    WorkKind.INVITATION: _send_invitation,
    WorkKind.WITHDRAWN: _send_withdrawn,
    WorkKind.UNINVITE: _send_uninvite,
}
