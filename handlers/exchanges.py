"""Buttons on an intro (Schedule, We met, Not a fit) and the schedule modal."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlmodel import Session

from bot import delivery, exchanges
from bot.messages import t
from bot.text import InvalidInput, escape
from handlers import blocks
from handlers.context import (
    form_errors,
    language_of,
    rex_of,
    session_of,
    state_of,
    text_value,
    user_id_of,
)
from handlers.ids import ActionId, BlockId, CallbackId


def register(app: App) -> None:
    app.action(ActionId.SCHEDULE)(on_schedule_clicked)
    app.action(ActionId.MET)(on_met_clicked)
    app.action(ActionId.NOT_FIT)(on_not_fit_clicked)
    app.view(CallbackId.SCHEDULE)(on_schedule_submitted)


def _exchange_id(body: dict[str, Any]) -> int:
    return int(body["actions"][0]["value"])


def _channel_of(body: dict[str, Any]) -> str | None:
    channel = body.get("channel") or {}
    return channel.get("id") if isinstance(channel, dict) else None


def on_schedule_clicked(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    client.views_open(
        trigger_id=body["trigger_id"],
        view=blocks.schedule_modal(_exchange_id(body), language_of(context)),
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
        changed = change(session, _exchange_id(body), slack_id, rex_of(context).clock())
    except exchanges.ExchangeGone as exc:
        respond(text=t(exc.key, lang), response_type="ephemeral", replace_original=False)
        return False
    session.commit()
    if not changed:
        respond(text=t(again_key, lang), response_type="ephemeral", replace_original=False)
        return False
    channel = _channel_of(body)
    if channel:
        client.chat_postMessage(channel=channel, text=t(done_key, lang, who=f"<@{slack_id}>"))
    return True


def on_met_clicked(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    ack()

    def met(session: Session, exchange_id: int, slack_id: str, now: datetime) -> bool:
        return exchanges.mark_met(session, exchange_id=exchange_id, slack_id=slack_id, now=now)

    if _answer_in_exchange(body, context, client, respond, met, "met.done", "met.already"):
        delivery.wake(rex_of(context))


def on_not_fit_clicked(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    ack()

    def not_fit(session: Session, exchange_id: int, slack_id: str, now: datetime) -> bool:
        exchanges.decline(session, exchange_id=exchange_id, slack_id=slack_id, now=now)
        return True

    _answer_in_exchange(body, context, client, respond, not_fit, "not_fit.done", "exchange.closed")


def on_schedule_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    lang = language_of(context)
    slack_id = user_id_of(body)
    stamp = state_of(view, BlockId.SCHEDULE_WHEN).get("selected_date_time")
    if not isinstance(stamp, int):
        ack(form_errors({BlockId.SCHEDULE_WHEN: t("error.date_past", lang)}))
        return
    when = datetime.fromtimestamp(stamp, UTC)
    place = (text_value(view, BlockId.SCHEDULE_PLACE) or "").strip()
    exchange_id = int(view["private_metadata"])
    session = session_of(context)
    try:
        exchanges.schedule(
            session,
            exchange_id=exchange_id,
            slack_id=slack_id,
            when=when,
            now=rex_of(context).clock(),
        )
    except InvalidInput as exc:
        ack(form_errors({BlockId.SCHEDULE_WHEN: t(exc.key, lang, **exc.params)}))
        return
    except exchanges.ExchangeGone as exc:
        ack(form_errors({BlockId.SCHEDULE_WHEN: t(exc.key, lang)}))
        return
    session.commit()
    ack()
    loaded = exchanges.load(session, exchange_id=exchange_id)
    if loaded is not None and loaded.exchange.channel_id:
        suffix = t("schedule.place_suffix", lang, place=escape(place)) if place else ""
        client.chat_postMessage(
            channel=loaded.exchange.channel_id,
            text=t(
                "schedule.done",
                lang,
                who=f"<@{slack_id}>",
                when=blocks.slack_date(when),
                place=suffix,
            ),
        )
