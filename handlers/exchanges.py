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
    ONLY_TO_CLICKER,
    exchange_id_of,
    language_of,
    rex_of,
    selected_value,
    selected_values,
    session_of,
    state_of,
    text_value,
    user_id_of,
)
from handlers.ids import ActionId, BlockId, CallbackId
from handlers.listening import Fields, ShowAgain, answered, committed, submitted
from handlers.outbox import delivery
from handlers.views.intro import done_by, not_fit_modal, report_modal
from handlers.views.schedule import ScheduleForm, schedule_modal
from storage import repo


def register(app: App) -> None:
    app.action(ActionId.SCHEDULE)(on_schedule_clicked)
    app.action(ActionId.NOT_YET)(on_schedule_clicked)  # a follow-up's "not yet"
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


def on_met_clicked(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    """We met: the group is told; only the clicker is, when the exchange is closed or they
    already said so (a double click)."""
    ack()
    lang = language_of(context)
    slack_id = user_id_of(body)
    session = session_of(context)
    exchange_id = exchange_id_of(body)

    def met() -> bool:
        now = rex_of(context).clock()
        return exchanges.mark_met(session, exchange_id=exchange_id, slack_id=slack_id, now=now)

    done = committed(context, met, answered(respond, lang, **ONLY_TO_CLICKER))
    if done is None:
        return
    if not done.value:
        respond(text=t("met.already", lang), **ONLY_TO_CLICKER)
        return
    channel, done_key = _channel_of(body), N_("met.done")
    view = exchanges.load(session, exchange_id=exchange_id)
    if channel and view is not None:
        client.chat_postMessage(channel=channel, text=done_by(view, done_key, slack_id))
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
    slack_id = user_id_of(body)
    session = session_of(context)
    exchange_id = int(view["private_metadata"])

    def decline() -> None:
        exchanges.decline(
            session,
            exchange_id=exchange_id,
            slack_id=slack_id,
            now=rex_of(context).clock(),
            reason=text_value(view, BlockId.NOT_FIT_REASON),
        )

    if submitted(ack, context, decline, Fields(BlockId.NOT_FIT_REASON)) is None:
        return
    loaded = exchanges.load(session, exchange_id=exchange_id)
    if loaded is not None and loaded.exchange.channel_id:
        text = done_by(loaded, N_("not_fit.done"), slack_id)
        client.chat_postMessage(channel=loaded.exchange.channel_id, text=text)
    delivery.wake(rex_of(context))  # a session it called off: the calendar cancellation


def on_report_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    slack_id = user_id_of(body)
    rex = rex_of(context)

    def report() -> None:
        text = clean_text(text_value(view, BlockId.REPORT_TEXT) or "", max_length=2000)
        if not text:
            raise InvalidInput("error.label_empty")
        exchanges.report_problem(
            session_of(context),
            exchange_id=int(view["private_metadata"]),
            slack_id=slack_id,
            text=text,
            now=rex.clock(),
        )

    if submitted(ack, context, report, Fields(BlockId.REPORT_TEXT)) is not None:
        client.chat_postMessage(channel=slack_id, text=t("report.thanks", language_of(context)))
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


# Where the schedule modal shows a refusal: under the date, unless it is about the place.
SCHEDULE_FIELDS = Fields(BlockId.SCHEDULE_DATE, {"error.place": BlockId.SCHEDULE_PLACE})


def on_schedule_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Set the session; a time in someone's night is asked about first, in the modal."""
    lang = language_of(context)
    slack_id = user_id_of(body)
    session = session_of(context)
    rex = rex_of(context)
    clicker = repo.get_member(session, slack_id=slack_id)
    tz = (clicker.tz if clicker else None) or rex.settings.rex_timezone
    exchange_id = int(view["private_metadata"])

    def schedule() -> None:
        when = _session_start(view, tz)
        future = when > rex.clock()  # a past time gets its own error first
        night = _night(session, exchange_id, when, rex.settings.rex_timezone) if future else []
        if night and "yes" not in selected_values(view, BlockId.SCHEDULE_NIGHT):
            today = rex.clock().date().isoformat()
            raise ShowAgain(
                schedule_modal(exchange_id, lang, today=today, picked=_picked(view), night=night)
            )
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

    if submitted(ack, context, schedule, SCHEDULE_FIELDS) is not None:
        delivery.wake(rex)
