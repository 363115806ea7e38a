"""Replies typed to Rex: in its DM, and "@Rex …" in an exchange's group DM.

Rex answers only people (never bots, itself, edits or other message subtypes), and in a
group DM only when mentioned; what people write is parsed, never stored or logged.
"""

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot import conversation
from bot.exchanges import ExchangeView
from bot.i18n import l10n
from bot.i18n.messages import N_, t
from bot.replies.commands import command_word
from bot.replies.intents import Command, Expecting, Hours, Intent, Rating, Unknown
from bot.replies.parse import parse_reply
from handlers.context import language_of, rex_of, session_of
from handlers.ids import ActionId
from handlers.listening import Done, answered, committed
from handlers.subcommands import SUBCOMMANDS
from handlers.views.help import help_blocks
from handlers.views.intro import done_by
from handlers.views.kit import MENTION, Block, button, mention, section


def register(app: App) -> None:
    app.event("message")(on_direct_message)
    app.event("app_mention")(on_mention)


class _Say:
    """Stands in for a slash command's `respond`, posting to the conversation instead."""

    def __init__(self, client: WebClient, channel: str) -> None:
        self.client, self.channel = client, channel

    def __call__(self, text: str = "", blocks: list[Block] | None = None, **_: Any) -> None:
        self.client.chat_postMessage(channel=self.channel, text=text, blocks=blocks)


def _from_a_person(event: dict[str, Any]) -> bool:
    return bool(event.get("user")) and not event.get("bot_id") and not event.get("subtype")


def _answer(view_id: int, text: str, action: ActionId, label_key: str, lang: str) -> list[Block]:
    return [
        section(text),
        {
            "type": "actions",
            "elements": [button(t(label_key, lang), action, str(view_id), "primary")],
        },
    ]


def _reply_to_answer(answer: conversation.Answer, say: _Say, lang: str) -> None:
    view = answer.exchange
    if answer.outcome == conversation.Outcome.MET and view is not None:
        content = _answer(view.id, t("dm.met", lang), ActionId.EVALUATE, "button.evaluate", lang)
        say(text=t("dm.met", lang), blocks=content)
    elif answer.outcome == conversation.Outcome.DISPUTED and view is not None:
        text = t("dm.disputed", lang, who=mention(answer.said_met_by or ""))
        choices = [
            button(t("button.schedule", lang), ActionId.SCHEDULE, str(view.id), "primary"),
            button(t("button.it_happened", lang), ActionId.EVALUATE, str(view.id)),
        ]
        say(text=text, blocks=[section(text), {"type": "actions", "elements": choices}])
    elif answer.outcome == conversation.Outcome.RESCHEDULE and view is not None:
        content = _answer(
            view.id, t("dm.reschedule", lang), ActionId.SCHEDULE, N_("button.schedule"), lang
        )
        say(text=t("dm.reschedule", lang), blocks=content)
    elif answer.outcome == conversation.Outcome.CLOSED:
        say(text=t("dm.closed", lang))
    elif answer.outcome == conversation.Outcome.GONE:
        say(text=t("dm.gone", lang))
    else:
        say(text=t("dm.no_question", lang))


def _not_understood(intent: Unknown, say: _Say, lang: str) -> None:
    text = t("dm.unknown", lang)
    if intent.closest_command:
        word = command_word(intent.closest_command, lang)
        text += " " + t("dm.did_you_mean", lang, command=word)
    say(text=text)


def _apply(
    context: BoltContext,
    intent: Intent,
    view: ExchangeView | None,
    slack_id: str,
    say: _Say,
    lang: str,
) -> Done[conversation.Answer | None] | None:
    """What a typed reply does to the question pending (None: there was none to answer), in
    the one listener shape: a refusal answered kindly, a lost race run again."""

    def apply() -> conversation.Answer | None:
        now = rex_of(context).clock()
        return conversation.apply(
            session_of(context), intent, view=view, slack_id=slack_id, now=now
        )

    return committed(context, apply, answered(say, lang))


def on_direct_message(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    if event.get("channel_type") != "im" or not _from_a_person(event):
        return
    lang = language_of(context)
    session = session_of(context)
    slack_id = str(event["user"])
    say = _Say(client, str(event["channel"]))
    pending = conversation.pending_followup(session, slack_id=slack_id)
    expecting = conversation.expecting(session, pending, slack_id=slack_id)
    intent = parse_reply(str(event.get("text") or ""), expecting)
    done = _apply(context, intent, pending, slack_id, say, lang)
    if done is None:
        return
    if done.value is not None:
        _reply_to_answer(done.value, say, lang)
    elif isinstance(intent, Command):
        _run_command(intent, slack_id, context, client, say, lang)
    elif isinstance(intent, Unknown):
        _not_understood(intent, say, lang)
    elif isinstance(intent, Rating | Hours) and pending is not None:
        _record_typed(intent, pending, slack_id, context, say, lang)
    else:
        say(text=t("dm.no_question", lang))


def _record_typed(
    intent: Rating | Hours,
    pending: ExchangeView,
    slack_id: str,
    context: BoltContext,
    say: _Say,
    lang: str,
) -> None:
    """A rating or hours typed in answer to a follow-up: kept, and what is still missing
    asked for (with a button to correct it in the evaluation form)."""
    rex = rex_of(context)

    def record() -> conversation.Typed:
        return conversation.record_typed(
            session_of(context),
            pending,
            slack_id=slack_id,
            now=rex.clock(),
            satisfaction=intent.value if isinstance(intent, Rating) else None,
            hours=intent.value if isinstance(intent, Hours) else None,
            tz=rex.settings.timezone,
        )

    typed = committed(context, record, answered(say, lang))
    if typed is not None:
        text = _typed_text(typed.value, lang)
        say(
            text=text,
            blocks=_answer(pending.id, text, ActionId.EVALUATE, N_("button.correct"), lang),
        )


def _typed_text(typed: conversation.Typed, lang: str) -> str:
    """Confirm what was understood, and ask for what is still missing."""
    hours = l10n.number(typed.hours, lang) if typed.hours is not None else ""
    if typed.recorded:
        return t("dm.recorded", lang, rating=typed.satisfaction, hours=hours)
    if typed.hours is None:
        return t("dm.noted_rating", lang, rating=typed.satisfaction)
    return t("dm.noted_hours", lang, hours=hours)


def _run_command(
    intent: Command, slack_id: str, context: BoltContext, client: WebClient, say: _Say, lang: str
) -> None:
    """A command typed as text does what the slash command does (forms excepted: they need
    a click, so Rex points to the slash command)."""
    handler = SUBCOMMANDS.get(intent.name)
    if intent.name == "join" or handler is None:
        say(text=t("dm.join_hint", lang))
        return
    command = {"user_id": slack_id, "text": f"{intent.name} {intent.argument}".strip()}
    handler(intent.argument, command, context, client, say)  # type: ignore[arg-type]


def on_mention(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """ "@Rex we met", "@Rex reschedule", "@Rex help" in an exchange's group DM."""
    if not _from_a_person(event):
        return
    lang = language_of(context)
    session = session_of(context)
    slack_id = str(event["user"])
    channel = str(event["channel"])
    view = conversation.exchange_in_channel(session, channel_id=channel)
    text = MENTION.sub(" ", str(event.get("text") or ""))
    expecting = Expecting.NOTHING
    if view is not None:
        expecting = conversation.expecting(session, view, slack_id=slack_id)
        if expecting is Expecting.EVALUATION:  # "@Rex we met" again is still understood
            expecting = Expecting.DID_IT_HAPPEN
    intent = parse_reply(text, expecting)
    say = _Say(client, channel)
    if view is not None and view.member_for(slack_id) is not None:
        done = _apply(context, intent, view, slack_id, say, lang)
        if done is None:
            return
        answer = done.value
        if answer is not None:
            if answer.outcome == conversation.Outcome.MET:
                say(text=done_by(view, N_("met.done"), slack_id))
            else:
                _reply_to_answer(answer, say, lang)
            return
    if isinstance(intent, Command) and intent.name == "help":
        client.chat_postEphemeral(
            channel=channel,
            user=slack_id,
            text=t("help", lang),
            blocks=help_blocks(lang, is_admin=False),
        )
        return
    client.chat_postEphemeral(channel=channel, user=slack_id, text=t("mention.unknown", lang))
