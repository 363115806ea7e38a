"""Messages: chat.postMessage, chat.postEphemeral, chat.update and chat.delete.

Posting follows Slack's membership rule: with chat:write only, the bot posts in a channel
only once invited; a user id as channel means the bot's DM with that user.
"""

from __future__ import annotations

import copy

from bot.offline.fakeslack.models import (
    JsonDict,
)
from bot.offline.fakeslack.rules import (
    message_content,
    message_metadata,
    required,
)
from bot.offline.fakeslack.workspace import WebMethod, Workspace


def post_message(ws: Workspace, body: JsonDict) -> JsonDict:
    channel = ws.target(required(body, "channel"))
    message = ws.bot_message(message_content(body))
    metadata = message_metadata(body)
    if metadata is not None:
        message["metadata"] = metadata
    if body.get("thread_ts"):
        message["thread_ts"] = str(body["thread_ts"])
    channel.messages.append(message)
    return {"channel": channel.id, "ts": message["ts"], "message": copy.deepcopy(message)}


def post_ephemeral(ws: Workspace, body: JsonDict) -> JsonDict:
    channel = ws.target(required(body, "channel"))
    user_id = required(body, "user")
    ws.known_user(user_id)
    message = {"type": "message", "ts": ws.next_ts(), "channel": channel.id}
    message.update(message_content(body))
    ws.ephemerals_by_user.setdefault(user_id, []).append(message)
    return {"message_ts": message["ts"]}


def update_message(ws: Workspace, body: JsonDict) -> JsonDict:
    channel = ws.joined(required(body, "channel"))
    message = ws.message_in(channel, required(body, "ts"))
    message.update(message_content(body))
    for key in ("blocks", "attachments"):
        if body.get(key) == []:  # an empty array removes them; absent keeps them
            message.pop(key, None)
    metadata = message_metadata(body)
    if metadata is not None:
        message["metadata"] = metadata
    message["edited"] = {"user": ws.bot_user_id, "ts": ws.next_ts()}
    return {
        "channel": channel.id,
        "ts": message["ts"],
        "text": message["text"],
        "message": copy.deepcopy(message),
    }


def delete_message(ws: Workspace, body: JsonDict) -> JsonDict:
    channel = ws.joined(required(body, "channel"))
    message = ws.message_in(channel, required(body, "ts"))
    channel.messages.remove(message)
    return {"channel": channel.id, "ts": message["ts"]}


METHODS: dict[str, WebMethod] = {
    "chat.postMessage": post_message,
    "chat.postEphemeral": post_ephemeral,
    "chat.update": update_message,
    "chat.delete": delete_message,
}
