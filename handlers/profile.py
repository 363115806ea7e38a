"""Keeping a profile from Slack: the profile, add-skill and pause modals, the Home tab's
buttons, type-ahead skill suggestions, and erasing one's data."""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlmodel import Session

from bot import members, privacy
from bot.i18n.messages import N_, t, tn
from bot.rounds import run_round
from bot.text import InvalidInput
from handlers.context import (
    ONLY_TO_CLICKER,
    language_of,
    rex_of,
    selected_value,
    selected_values,
    session_of,
    state_of,
    text_value,
    user_id_of,
)
from handlers.home_tab import publish_home
from handlers.ids import ActionId, BlockId, CallbackId
from handlers.listening import Fields, Refusal, answered, committed, submitted
from handlers.outbox import delivery
from handlers.views.members import add_skill_modal, pause_modal, profile_modal, skill_options
from storage.models import MemberStatus, SkillKind

SUGGESTIONS = 20


def register(app: App) -> None:
    app.options(ActionId.SKILL_SEARCH)(on_skill_typed)
    app.view(CallbackId.PROFILE)(on_profile_submitted)
    app.view(CallbackId.ADD_SKILL)(on_skill_submitted)
    app.view(CallbackId.PAUSE)(on_pause_submitted)
    app.action(ActionId.EDIT_PROFILE)(on_edit_profile)
    app.action(ActionId.ADD_SKILL)(on_add_skill)
    app.action(ActionId.PAUSE)(on_pause)
    app.action(ActionId.RESUME)(on_status_button)
    app.action(ActionId.MATCH_NOW)(on_match_now)
    app.action(ActionId.FORGET)(on_forget_confirmed)
    app.action(ActionId.LEAVE)(on_status_button)


def on_skill_typed(ack: Ack, payload: dict[str, Any], context: BoltContext) -> None:
    """Suggest labels the network already uses, the person's own wording first."""
    query = str(payload.get("value") or "")
    suggestions = rex_of(context).suggester().suggest(query, limit=SUGGESTIONS)
    ack(options=skill_options(query, suggestions, max_options=SUGGESTIONS))


def on_profile_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    slack_id = user_id_of(body)
    rex = rex_of(context)

    def update() -> members.Profile:
        return members.update_profile(
            session_of(context),
            slack_id=slack_id,
            teach=selected_values(view, BlockId.TEACH_SKILLS),
            learn=selected_values(view, BlockId.LEARN_SKILLS),
            bio=text_value(view, BlockId.PROFILE_BIO),
            languages=selected_values(view, BlockId.PROFILE_LANGUAGES),
            preference=selected_value(view, BlockId.PROFILE_PREFERENCE),
            site=text_value(view, BlockId.PROFILE_SITE),
            now=rex.clock(),
        )

    done = submitted(ack, context, update, Fields(BlockId.TEACH_SKILLS))
    if done is not None:
        rex.remember_labels(done.value.teach + done.value.learn)
        publish_home(session_of(context), client, slack_id, language_of(context))


# Where the add-skill modal shows a refusal: under the skill's name unless it is about
# the level or the note.
SKILL_FIELDS = Fields(
    BlockId.SKILL_LABEL,
    {
        "error.level": BlockId.SKILL_LEVEL,
        "error.text_too_long": BlockId.SKILL_NOTE,
        N_("error.text_control"): BlockId.SKILL_NOTE,
    },
)


def on_skill_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    slack_id = user_id_of(body)
    rex = rex_of(context)
    kind = SkillKind(selected_value(view, BlockId.SKILL_KIND) or SkillKind.TEACH)
    level = selected_value(view, BlockId.SKILL_LEVEL)

    def add() -> str:
        if level is not None and level not in members.LEVELS[kind]:
            raise InvalidInput("error.level")
        label, _ = members.add_skill(
            session_of(context),
            slack_id=slack_id,
            kind=kind,
            raw_label=selected_value(view, BlockId.SKILL_LABEL) or "",
            level=level,
            note=text_value(view, BlockId.SKILL_NOTE),
            now=rex.clock(),
        )
        return label

    done = submitted(ack, context, add, SKILL_FIELDS)
    if done is not None:
        rex.remember_labels([done.value])
        publish_home(session_of(context), client, slack_id, language_of(context))


def on_pause_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    slack_id = user_id_of(body)
    picked = str(state_of(view, BlockId.PAUSE_UNTIL).get("selected_date"))

    def pause() -> None:
        until = members.pause_end(
            session_of(context),
            slack_id=slack_id,
            text=picked,
            default_tz=rex_of(context).settings.rex_timezone,
        )
        members.pause(
            session_of(context), slack_id=slack_id, until=until, now=rex_of(context).clock()
        )

    if submitted(ack, context, pause, Fields(BlockId.PAUSE_UNTIL)) is not None:
        publish_home(session_of(context), client, slack_id, language_of(context))


def _profile_or_none(context: BoltContext, slack_id: str) -> members.Profile | None:
    profile = members.profile(session_of(context), slack_id=slack_id)
    return None if profile is None or profile.member.status == MemberStatus.LEFT else profile


def on_edit_profile(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    profile = _profile_or_none(context, user_id_of(body))
    if profile is not None:
        client.views_open(
            trigger_id=body["trigger_id"], view=profile_modal(profile, language_of(context))
        )


def on_add_skill(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    ack()
    client.views_open(trigger_id=body["trigger_id"], view=add_skill_modal(language_of(context)))


def on_pause(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    ack()
    in_two_weeks = (rex_of(context).clock() + timedelta(days=14)).date().isoformat()
    client.views_open(
        trigger_id=body["trigger_id"], view=pause_modal(in_two_weeks, language_of(context))
    )


StatusChange = Callable[[Session, str, datetime], object]
# The buttons that change the clicker's status, and what each answers.
STATUS_CHANGES: dict[str, tuple[StatusChange, str]] = {
    ActionId.RESUME: (lambda s, who, _: members.resume(s, slack_id=who), N_("resumed")),
    ActionId.LEAVE: (lambda s, who, now: members.leave(s, slack_id=who, now=now), N_("left")),
}


def on_status_button(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    """Resume or Leave: answered in place when clicked in a message, and the Home tab
    republished; a click from someone who is not a member changes nothing, says nothing."""
    ack()
    change, answer_key = STATUS_CHANGES[body["actions"][0]["action_id"]]
    slack_id = user_id_of(body)
    session = session_of(context)
    lang = language_of(context)

    def change_status() -> object:
        return change(session, slack_id, rex_of(context).clock())

    if committed(context, change_status, _say_nothing) is None:
        return
    if body.get("container", {}).get("type") == "message":
        respond(text=t(answer_key, lang), **ONLY_TO_CLICKER)
    publish_home(session, client, slack_id, lang)


def _say_nothing(_: Refusal) -> None:
    """A refusal nobody is told about."""


def on_match_now(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Plan a round now and keep only this member's part of it."""
    ack()
    lang = language_of(context)
    slack_id = user_id_of(body)
    session = session_of(context)
    rex = rex_of(context)
    profile = _profile_or_none(context, slack_id)
    if profile is None:
        return
    result = run_round(session, config=rex.round_config, now=rex.clock(), only=slack_id)
    session.commit()
    if result.exchanges:
        client.chat_postMessage(
            channel=slack_id, text=tn("match_now.found", len(result.exchanges), lang)
        )
    elif not result.unmatched:
        client.chat_postMessage(channel=slack_id, text=t("match_now.none", lang))
    delivery.wake(rex)
    publish_home(session, client, slack_id, lang)


def on_forget_confirmed(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    ack()
    lang = language_of(context)
    slack_id = user_id_of(body)
    session = session_of(context)
    refused = answered(respond, lang, response_type="ephemeral", replace_original=True)
    forgot = committed(
        context,
        lambda: privacy.forget(session, slack_id=slack_id, now=rex_of(context).clock()),
        refused,
    )
    if forgot is not None:
        respond(text=t("forget.done", lang), response_type="ephemeral", replace_original=True)
        publish_home(session, client, slack_id, lang)
