"""Keeping a profile from Slack: the profile, add-skill and pause modals, the Home tab's
buttons, type-ahead skill suggestions, and erasing one's data."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlmodel import Session

from bot import members, privacy
from bot.i18n.messages import N_, t, tn
from bot.matching.suggest import options_for
from bot.rounds import run_round
from bot.text import InvalidInput
from handlers.commands import resume_time, session_member_tz
from handlers.context import (
    field_errors,
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
from handlers.home import publish_home
from handlers.ids import ActionId, BlockId, CallbackId
from handlers.outbox import delivery
from handlers.views.members import add_skill_modal, pause_modal, profile_modal
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
    app.action(ActionId.RESUME)(on_resume)
    app.action(ActionId.MATCH_NOW)(on_match_now)
    app.action(ActionId.FORGET)(on_forget_confirmed)
    app.action(ActionId.LEAVE)(on_leave)


def on_skill_typed(ack: Ack, payload: dict[str, Any], context: BoltContext) -> None:
    """Suggest labels the network already uses, the person's own wording first."""
    query = str(payload.get("value") or "")
    suggestions = rex_of(context).suggester().suggest(query, limit=SUGGESTIONS)
    ack(options=options_for(query, suggestions, max_options=SUGGESTIONS))


def on_profile_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    lang = language_of(context)
    slack_id = user_id_of(body)
    session = session_of(context)
    rex = rex_of(context)
    try:
        profile = members.update_profile(
            session,
            slack_id=slack_id,
            teach=selected_values(view, BlockId.TEACH_SKILLS),
            learn=selected_values(view, BlockId.LEARN_SKILLS),
            bio=text_value(view, BlockId.PROFILE_BIO),
            languages=selected_values(view, BlockId.PROFILE_LANGUAGES),
            preference=selected_value(view, BlockId.PROFILE_PREFERENCE),
            site=text_value(view, BlockId.PROFILE_SITE),
            now=rex.clock(),
        )
    except members.FormErrors as exc:
        session.rollback()
        ack(field_errors(exc, lang))
        return
    except members.NotMember:
        session.rollback()
        ack(form_errors({BlockId.TEACH_SKILLS: t("not_member", lang)}))
        return
    session.commit()
    ack()
    rex.remember_labels(profile.teach + profile.learn)
    publish_home(session, client, slack_id, lang)


def on_skill_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    lang = language_of(context)
    slack_id = user_id_of(body)
    session = session_of(context)
    rex = rex_of(context)
    kind = SkillKind(selected_value(view, BlockId.SKILL_KIND) or SkillKind.TEACH)
    level = selected_value(view, BlockId.SKILL_LEVEL)
    try:
        if level is not None and level not in members.LEVELS[kind]:
            raise InvalidInput("error.level")
        label, _ = members.add_skill(
            session,
            slack_id=slack_id,
            kind=kind,
            raw_label=selected_value(view, BlockId.SKILL_LABEL) or "",
            level=level,
            note=text_value(view, BlockId.SKILL_NOTE),
            now=rex.clock(),
        )
    except InvalidInput as exc:
        session.rollback()
        block = {
            "error.level": BlockId.SKILL_LEVEL,
            "error.text_too_long": BlockId.SKILL_NOTE,
            N_("error.text_control"): BlockId.SKILL_NOTE,
        }.get(exc.key, BlockId.SKILL_LABEL)
        ack(form_errors({block: said(exc.key, lang, exc.params)}))
        return
    except members.NotMember:
        session.rollback()
        ack(form_errors({BlockId.SKILL_LABEL: t("not_member", lang)}))
        return
    session.commit()
    ack()
    rex.remember_labels([label])
    publish_home(session, client, slack_id, lang)


def on_pause_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    lang = language_of(context)
    slack_id = user_id_of(body)
    session = session_of(context)
    rex = rex_of(context)
    picked = state_of(view, BlockId.PAUSE_UNTIL).get("selected_date")
    try:
        day = date.fromisoformat(str(picked))
        until = resume_time(day, session_member_tz(context, slack_id, rex))
        members.pause(session, slack_id=slack_id, until=until, now=rex.clock())
    except (ValueError, InvalidInput):
        session.rollback()
        error = t("error.pause_date", lang, days=members.MAX_PAUSE.days)
        ack(form_errors({BlockId.PAUSE_UNTIL: error}))
        return
    except members.NotMember:
        session.rollback()
        ack(form_errors({BlockId.PAUSE_UNTIL: t("not_member", lang)}))
        return
    session.commit()
    ack()
    publish_home(session, client, slack_id, lang)


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


def _status_button(change: StatusChange, answer_key: str) -> Callable[..., None]:
    """A button that changes the clicker's status: answered in place when clicked in a
    message, and the Home tab republished."""

    def handle(
        ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        slack_id = user_id_of(body)
        session = session_of(context)
        lang = language_of(context)
        try:
            change(session, slack_id, rex_of(context).clock())
        except members.NotMember:
            return
        session.commit()
        if body.get("container", {}).get("type") == "message":
            respond(text=t(answer_key, lang), response_type="ephemeral", replace_original=False)
        publish_home(session, client, slack_id, lang)

    return handle


on_resume = _status_button(lambda s, who, _: members.resume(s, slack_id=who), "resumed")
on_leave = _status_button(lambda s, who, now: members.leave(s, slack_id=who, now=now), "left")


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
    try:
        privacy.forget(session, slack_id=slack_id, now=rex_of(context).clock())
    except members.NotMember:
        respond(text=t("not_member", lang), response_type="ephemeral", replace_original=True)
        return
    session.commit()
    respond(text=t("forget.done", lang), response_type="ephemeral", replace_original=True)
    publish_home(session, client, slack_id, lang)
