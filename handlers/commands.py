"""`/rex` and its subcommands: parse, call the domain, answer ephemerally."""

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import delivery, members
from bot.exchanges import preview_round, run_round
from bot.messages import t, tn
from bot.text import InvalidInput, escape
from handlers import blocks
from handlers.context import language_of, rex_of, session_of
from storage.models import MemberStatus, SkillKind

Subcommand = Callable[[str, dict[str, Any], BoltContext, WebClient, Respond], None]


def register(app: App) -> None:
    app.command("/rex")(on_rex)


def on_rex(
    ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    ack()
    name, _, rest = (command.get("text") or "").strip().partition(" ")
    handler = SUBCOMMANDS.get(name.lower())
    if handler is None:
        _show_help(name or None, command, context, respond)
        return
    handler(rest.strip(), command, context, client, respond)


def _say(respond: Respond, text: str) -> None:
    respond(text=text, response_type="ephemeral")


def _show_help(
    unknown: str | None, command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    """The commands, after a word on the unknown one when there was one."""
    lang = language_of(context)
    prefix = t("unknown_command", lang, command=escape(unknown)) if unknown else None
    is_admin = rex_of(context).is_admin(command["user_id"])
    respond(
        blocks=blocks.help_blocks(lang, is_admin=is_admin, prefix=prefix),
        text=t("help", lang),
        response_type="ephemeral",
    )


def _join(
    _: str, command: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    lang = language_of(context)
    profile = members.profile(session_of(context), slack_id=command["user_id"])
    if profile is not None and profile.member.status != MemberStatus.LEFT:
        respond(
            blocks=[blocks.section(t("join.already", lang)), *blocks.profile_blocks(profile, lang)],
            text=t("join.already", lang),
            response_type="ephemeral",
        )
        return
    client.views_open(trigger_id=command["trigger_id"], view=blocks.join_modal(lang))


def _add_skill(kind: SkillKind) -> Subcommand:
    def add(
        text: str, command: dict[str, Any], context: BoltContext, _: WebClient, respond: Respond
    ) -> None:
        lang = language_of(context)
        if not text:
            _say(respond, t(f"skill.usage.{kind}", lang))
            return
        session = session_of(context)
        rex = rex_of(context)
        try:
            label, added = members.add_skill(
                session, slack_id=command["user_id"], kind=kind, raw_label=text, now=rex.clock()
            )
        except InvalidInput as exc:
            _say(respond, t(exc.key, lang, **exc.params))
            return
        except members.NotMember:
            _say(respond, t("not_member", lang))
            return
        session.commit()
        key = f"skill.added.{kind}" if added else "skill.known"
        _say(respond, t(key, lang, skill=escape(label)))

    return add


def _me(
    _: str, command: dict[str, Any], context: BoltContext, __: WebClient, respond: Respond
) -> None:
    lang = language_of(context)
    profile = members.profile(session_of(context), slack_id=command["user_id"])
    if profile is None or profile.member.status == MemberStatus.LEFT:
        _say(respond, t("not_member", lang))
        return
    respond(
        blocks=blocks.profile_blocks(profile, lang),
        text=t("me.title", lang, status=""),
        response_type="ephemeral",
    )


def _status(status: MemberStatus, key: str) -> Subcommand:
    def change(
        _: str, command: dict[str, Any], context: BoltContext, __: WebClient, respond: Respond
    ) -> None:
        lang = language_of(context)
        session = session_of(context)
        try:
            members.set_status(
                session, slack_id=command["user_id"], status=status, now=rex_of(context).clock()
            )
        except members.NotMember:
            _say(respond, t("not_member", lang))
            return
        session.commit()
        _say(respond, t(key, lang))

    return change


def _admin(
    text: str, command: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    lang = language_of(context)
    rex = rex_of(context)
    if not rex.is_admin(command["user_id"]):
        _say(respond, t("admin.only", lang))
        return
    action = text.split(" ", 1)[0].lower()
    if action == "round":
        session = session_of(context)
        result = run_round(session, config=rex.round_config, now=rex.clock())
        session.commit()
        _say(respond, tn("round.done", len(result.exchanges), lang))
        delivery.wake(rex)
    elif action == "preview":
        result = preview_round(session_of(context), config=rex.round_config, now=rex.clock())
        respond(
            blocks=blocks.preview_blocks(result, lang),
            text=t("preview.title", lang),
            response_type="ephemeral",
        )
    elif action == "digest":
        channel = rex.settings.rex_digest_channel
        if not channel:
            _say(respond, t("digest.no_channel", lang))
            return
        delivery.post_digest(rex, session_of(context))
        _say(respond, t("digest.posted", lang, channel=channel))
    else:
        _say(respond, t("admin.usage", lang))


SUBCOMMANDS: dict[str, Subcommand] = {
    "help": lambda _text, command, context, _client, respond: _show_help(
        None, command, context, respond
    ),
    "join": _join,
    "teach": _add_skill(SkillKind.TEACH),
    "learn": _add_skill(SkillKind.LEARN),
    "me": _me,
    "pause": _status(MemberStatus.PAUSED, "paused"),
    "resume": _status(MemberStatus.ACTIVE, "resumed"),
    "leave": _status(MemberStatus.LEFT, "left"),
    "admin": _admin,
}
