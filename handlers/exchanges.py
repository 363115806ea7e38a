"""Buttons on an intro (Schedule, We met, Not a fit, Report a problem) and their modals."""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlmodel import Session

from bot import calendar, exchanges
from bot.i18n.messages import N_, t
from bot.text import InvalidInput, clean_text
from handlers.context import (
    exchange_id_of,
    form_errors,
    language_of,
    rex_of,
    said,
    selected_value,
    selected_values,
    session_of,
    state_of,
    text_value,
    user_id_of,
)
from handlers.ids import ActionId, BlockId, CallbackId
from handlers.outbox import delivery
from handlers.views.intro import done_by, not_fit_modal, report_modal
from handlers.views.schedule import ScheduleForm, schedule_modal
from storage import repo


def register(app: App) -> None:
    app.action(ActionId.SCHEDULE)(on_schedule_clicked)
    app.action(ActionId.MET)(on_met_clicked)
    app.action(ActionId.NOT_FIT)(on_not_fit_clicked)
    app.action(ActionId.REPORT)(on_report_clicked)
    app.view(CallbackId.SCHEDULE)(on_schedule_submitted)
    app.view(CallbackId.NOT_FIT)(on_not_fit_submitted)
    app.view(CallbackId.REPORT)(on_report_submitted)


def _channel_of(body: dict[str, Any]) -> str | None:
    channel = body.get("channel") or {}
    return channel.get("id") if isinstance(channel, dict) else None


def on_schedule_clicked(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Schedule (or, from a follow-up, "not yet"): pick a time right away."""
    ack()
    today = rex_of(context).clock().date().isoformat()
    client.views_open(
        trigger_id=body["trigger_id"],
        view=schedule_modal(exchange_id_of(body), language_of(context), today=today),
    )


def _answer_in_exchange(
    body: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    respond: Respond,
    change: Callable[[Session, int, str, datetime], bool],
    done_key: str,
    again_key: str,
) -> bool:
    """Apply a button's change for the clicker; tell the group, or only the clicker when the
    exchange is closed or the change was already made (a double click)."""
    lang = language_of(context)
    slack_id = user_id_of(body)
    session = session_of(context)
    try:
        changed = change(session, exchange_id_of(body), slack_id, rex_of(context).clock())
    except exchanges.ExchangeGone as exc:
        respond(text=t(exc.key, lang), response_type="ephemeral", replace_original=False)
        return False
    session.commit()
    if not changed:
        respond(text=t(again_key, lang), response_type="ephemeral", replace_original=False)
        return False
    channel = _channel_of(body)
    view = exchanges.load(session, exchange_id=exchange_id_of(body))
    if channel and view is not None:
        client.chat_postMessage(channel=channel, text=done_by(view, done_key, slack_id))
    return True


def on_met_clicked(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    ack()

    def met(session: Session, exchange_id: int, slack_id: str, now: datetime) -> bool:
        return exchanges.mark_met(session, exchange_id=exchange_id, slack_id=slack_id, now=now)

    if _answer_in_exchange(body, context, client, respond, met, N_("met.done"), N_("met.already")):
        delivery.wake(rex_of(context))


def _opens(modal: Callable[[int, str], dict[str, Any]]) -> Callable[..., None]:
    """A button that opens a modal about its exchange, with the click's trigger at once."""

    def handle(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        ack()
        view = modal(exchange_id_of(body), language_of(context))
        client.views_open(trigger_id=body["trigger_id"], view=view)

    return handle


on_not_fit_clicked = _opens(not_fit_modal)
on_report_clicked = _opens(report_modal)


def on_not_fit_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Close the exchange; the others are told kindly, and never see the reason."""
    lang = language_of(context)
    slack_id = user_id_of(body)
    session = session_of(context)
    exchange_id = int(view["private_metadata"])
    try:
        exchanges.decline(
            session,
            exchange_id=exchange_id,
            slack_id=slack_id,
            now=rex_of(context).clock(),
            reason=text_value(view, BlockId.NOT_FIT_REASON),
        )
    except exchanges.ExchangeGone as exc:
        session.rollback()
        ack(form_errors({BlockId.NOT_FIT_REASON: t(exc.key, lang)}))
        return
    session.commit()
    ack()
    loaded = exchanges.load(session, exchange_id=exchange_id)
    if loaded is not None and loaded.exchange.channel_id:
        text = done_by(loaded, N_("not_fit.done"), slack_id)
        client.chat_postMessage(channel=loaded.exchange.channel_id, text=text)
    delivery.wake(rex_of(context))  # a session it called off: the calendar cancellation


def on_report_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    lang = language_of(context)
    slack_id = user_id_of(body)
    session = session_of(context)
    rex = rex_of(context)
    try:
        text = clean_text(text_value(view, BlockId.REPORT_TEXT) or "", max_length=2000)
        if not text:
            raise InvalidInput("error.label_empty")
        exchanges.report_problem(
            session,
            exchange_id=int(view["private_metadata"]),
            slack_id=slack_id,
            text=text,
            now=rex.clock(),
        )
    except InvalidInput as exc:
        ack(form_errors({BlockId.REPORT_TEXT: said(exc.key, lang, exc.params)}))
        return
    except exchanges.ExchangeGone as exc:
        ack(form_errors({BlockId.REPORT_TEXT: t(exc.key, lang)}))
        return
    session.commit()
    ack()
    client.chat_postMessage(channel=slack_id, text=t("report.thanks", lang))
    delivery.wake(rex)


def _session_start(view: dict[str, Any], tz: str) -> datetime:
    """The picked date and time, read in the clicker's timezone."""
    day = state_of(view, BlockId.SCHEDULE_DATE).get("selected_date")
    clock = state_of(view, BlockId.SCHEDULE_TIME).get("selected_time")
    try:
        return calendar.local_start(str(day), str(clock), tz)
    except ValueError as exc:
        raise InvalidInput("error.time") from exc


def _night(
    session: Session, exchange_id: int, when: datetime, default_tz: str
) -> list[tuple[str, str]]:
    """Whose night `when` is, among the exchange's people (see `calendar.night_for`)."""
    view = exchanges.load(session, exchange_id=exchange_id)
    if view is None:
        return []
    people = [(m.display_name or m.slack_id, m.tz or default_tz) for m in view.members.values()]
    return calendar.night_for(when, people)


def _picked(view: dict[str, Any]) -> ScheduleForm:
    return ScheduleForm(
        day=str(state_of(view, BlockId.SCHEDULE_DATE).get("selected_date") or ""),
        clock=str(state_of(view, BlockId.SCHEDULE_TIME).get("selected_time") or "12:00"),
        duration=selected_value(view, BlockId.SCHEDULE_DURATION) or "60",
        place=text_value(view, BlockId.SCHEDULE_PLACE) or "",
    )


def on_schedule_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    lang = language_of(context)
    slack_id = user_id_of(body)
    session = session_of(context)
    rex = rex_of(context)
    clicker = repo.get_member(session, slack_id=slack_id)
    tz = (clicker.tz if clicker else None) or rex.settings.rex_timezone
    exchange_id = int(view["private_metadata"])
    try:
        when = _session_start(view, tz)
        future = when > rex.clock()  # a past time gets its own error first
        night = _night(session, exchange_id, when, rex.settings.rex_timezone) if future else []
        if night and "yes" not in selected_values(view, BlockId.SCHEDULE_NIGHT):
            today = rex.clock().date().isoformat()
            again = schedule_modal(
                exchange_id, lang, today=today, picked=_picked(view), night=night
            )
            ack(response_action="update", view=again)
            return
        try:
            place, url = calendar.parse_place(text_value(view, BlockId.SCHEDULE_PLACE) or "")
        except ValueError as exc:
            raise InvalidInput("error.place", reason=str(exc)) from exc
        minutes = int(selected_value(view, BlockId.SCHEDULE_DURATION) or 60)
        exchanges.schedule(
            session,
            exchange_id=exchange_id,
            slack_id=slack_id,
            when=when,
            now=rex.clock(),
            duration=timedelta(minutes=minutes),
            place=place,
            url=url,
            reminder_hours=rex.settings.rex_reminder_hours,
        )
    except InvalidInput as exc:
        session.rollback()
        block = BlockId.SCHEDULE_PLACE if exc.key == "error.place" else BlockId.SCHEDULE_DATE
        ack(form_errors({block: said(exc.key, lang, exc.params)}))
        return
    except exchanges.ExchangeGone as exc:
        session.rollback()
        ack(form_errors({BlockId.SCHEDULE_DATE: t(exc.key, lang)}))
        return
    session.commit()
    ack()
    delivery.wake(rex)
