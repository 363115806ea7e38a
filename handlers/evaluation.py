"""The follow-up's Evaluate button and the evaluation modal."""

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import evaluations, exchanges
from bot.i18n import l10n
from bot.i18n.messages import N_, t
from bot.replies.intents import MAX_HOURS
from bot.text import InvalidInput
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
from handlers.listening import Fields, answered, committed, submitted
from handlers.outbox import delivery
from handlers.views.evaluation import evaluation_modal
from handlers.views.intro import done_by
from handlers.views.kit import mention
from storage.models import GoalMet


def register(app: App) -> None:
    app.action(ActionId.EVALUATE)(on_evaluate_clicked)
    app.action(ActionId.WONT_HAPPEN)(on_wont_happen_clicked)
    app.view(CallbackId.EVALUATION)(on_evaluation_submitted)


def on_evaluate_clicked(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    ack()
    lang = language_of(context)
    exchange_id = exchange_id_of(body)
    view = exchanges.load(session_of(context), exchange_id=exchange_id)
    member = view.member_for(user_id_of(body)) if view else None
    if view is None or member is None or member.id is None:
        respond(text=t("exchange.not_yours", lang), **ONLY_TO_CLICKER)
        return
    client.views_open(
        trigger_id=body["trigger_id"],
        view=evaluation_modal(
            exchange_id,
            learner=view.learns(member.id),
            teacher=view.teaches(member.id),
            lang=lang,
        ),
    )


def on_wont_happen_clicked(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    ack()
    lang = language_of(context)
    slack_id = user_id_of(body)
    session = session_of(context)
    exchange_id = exchange_id_of(body)

    def wont_happen() -> None:
        now = rex_of(context).clock()
        exchanges.wont_happen(session, exchange_id=exchange_id, slack_id=slack_id, now=now)

    if committed(context, wont_happen, answered(respond, lang, **ONLY_TO_CLICKER)) is None:
        return
    respond(text=t("wont_happen.done", lang, who=mention(slack_id)), **ONLY_TO_CLICKER)
    loaded = exchanges.load(session, exchange_id=exchange_id)
    if loaded is not None and loaded.exchange.channel_id:
        group_text = done_by(loaded, N_("wont_happen.done"), slack_id)
        client.chat_postMessage(channel=loaded.exchange.channel_id, text=group_text)
    delivery.wake(rex_of(context))  # a session it called off: the calendar cancellation


def _hours(view: dict[str, Any]) -> float | None:
    raw = state_of(view, BlockId.EVAL_HOURS).get("value")
    try:
        return float(str(raw).replace(",", "."))
    except ValueError:
        return None


# Where the evaluation modal shows a refusal: under the hours when about them, else at
# the top (the rating).
EVALUATION_FIELDS = Fields(BlockId.EVAL_SATISFACTION, {"error.hours": BlockId.EVAL_HOURS})


def on_evaluation_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    lang = language_of(context)
    slack_id = user_id_of(body)
    hours = _hours(view)
    satisfaction = selected_value(view, BlockId.EVAL_SATISFACTION)
    goal = selected_value(view, BlockId.EVAL_GOAL)
    useful = selected_value(view, BlockId.EVAL_USEFUL)
    another = bool(selected_values(view, BlockId.EVAL_ANOTHER))
    exchange_id = int(view["private_metadata"])

    def evaluate() -> tuple[bool, float]:
        """Whether this is the first evaluation, and the hours it counts."""
        if hours is None:
            raise InvalidInput("error.hours", max=int(MAX_HOURS))
        fresh = evaluations.evaluate(
            session_of(context),
            exchange_id=exchange_id,
            slack_id=slack_id,
            satisfaction=int(satisfaction or 0),
            goal_met=GoalMet(goal) if goal else None,
            useful=GoalMet(useful) if useful else None,
            another_session=another,
            hours=hours,
            comment=text_value(view, BlockId.EVAL_COMMENT),
            now=rex_of(context).clock(),
            tz=rex_of(context).settings.timezone,
        )
        return fresh, hours

    done = submitted(ack, context, evaluate, EVALUATION_FIELDS)
    if done is None:
        return
    fresh, counted = done.value
    key = N_("eval.thanks") if fresh else N_("eval.already")
    client.chat_postMessage(channel=slack_id, text=t(key, lang, hours=l10n.number(counted, lang)))
    loaded = exchanges.load(session_of(context), exchange_id=exchange_id)
    if fresh and another and loaded is not None and loaded.exchange.channel_id:
        asked = done_by(loaded, N_("another.asked"), slack_id)
        client.chat_postMessage(channel=loaded.exchange.channel_id, text=asked)
