"""`/rex`: ack, then the profile (or join) modal, or the subcommand the first word names."""

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import members
from bot.replies.commands import resolve_command
from handlers.context import language_of, session_of
from handlers.subcommands import SUBCOMMANDS, show_help
from handlers.views.members import join_modal, profile_modal
from storage.models import MemberStatus


def register(app: App) -> None:
    app.command("/rex")(on_rex)


def unescape(text: str) -> str:
    """Slack sends `&`, `<` and `>` in command text as entities; Rex escapes on output."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def on_rex(
    ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    ack()
    name, _, rest = (command.get("text") or "").strip().partition(" ")
    if not name:
        _open_profile(command, context, client, respond)
        return
    handler = SUBCOMMANDS.get(resolve_command(name) or "")
    if handler is None:
        show_help(name, command, context, respond)
        return
    handler(unescape(rest.strip()), command, context, client, respond)


def _open_profile(
    command: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    """`/rex` alone: the profile modal for a member, the join modal for anyone else."""
    lang = language_of(context)
    profile = members.profile(session_of(context), slack_id=command["user_id"])
    if profile is None or profile.member.status == MemberStatus.LEFT:
        view = join_modal(lang)
    else:
        view = profile_modal(profile, lang)
    client.views_open(trigger_id=command["trigger_id"], view=view)
