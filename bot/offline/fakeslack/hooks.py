"""Posts to a response_url: delete or replace the original, post in the channel, or ephemeral."""

from __future__ import annotations

from bot.offline.fakeslack.models import (
    ApiError,
    Hook,
    JsonDict,
)
from bot.offline.fakeslack.rules import (
    flag,
    message_content,
)
from bot.offline.fakeslack.workspace import Workspace

# What a response_url replace_original swaps out of the original message.
_CONTENT_KEYS = ("text", "blocks", "attachments")


def apply_hook(ws: Workspace, hook: Hook, body: JsonDict) -> None:
    """Route a response_url post: delete/replace the original, post in channel, or ephemeral."""
    if flag(body.get("delete_original")) and hook.message_ts:
        container, index = _locate_original(ws, hook)
        del container[index]
        return
    content = message_content(body)
    if flag(body.get("replace_original")) and hook.message_ts:
        container, index = _locate_original(ws, hook)
        kept = {k: v for k, v in container[index].items() if k not in _CONTENT_KEYS}
        container[index] = {**kept, **content}
    elif body.get("response_type") == "in_channel" and hook.channel_id:
        # a slash command's response_url may speak where the bot was never invited
        channel = ws.channels_by_id.get(hook.channel_id) or ws.target(hook.channel_id)
        channel.messages.append(ws.bot_message(content))
    elif hook.user_id and hook.channel_id:
        ephemeral = {"type": "message", "ts": ws.next_ts(), "channel": hook.channel_id}
        ws.ephemerals_by_user.setdefault(hook.user_id, []).append({**ephemeral, **content})


def _locate_original(ws: Workspace, hook: Hook) -> tuple[list[JsonDict], int]:
    """The list holding the message a response_url came from, and its index."""
    channel = ws.channels_by_id.get(hook.channel_id or "")
    containers = [
        channel.messages if channel else [],
        ws.ephemerals_by_user.get(hook.user_id or "", []),
    ]
    for container in containers:
        for index, message in enumerate(container):
            if message["ts"] == hook.message_ts:
                return container, index
    raise ApiError("message_not_found")
