"""Conversations: conversations.open (DMs and group DMs of at most 8), .history and .info."""

from __future__ import annotations

import copy

from bot.offline.fakeslack.models import (
    ApiError,
    Channel,
    JsonDict,
)
from bot.offline.fakeslack.rules import (
    flag,
    int_arg,
    required,
)
from bot.offline.fakeslack.workspace import WebMethod, Workspace

MAX_GROUP_DM_USERS = 8


def open_conversation(ws: Workspace, body: JsonDict) -> JsonDict:
    users = [u.strip() for u in str(body.get("users") or "").split(",")]
    users = [u for u in dict.fromkeys(users) if u and u != ws.bot_user_id]
    if body.get("channel") and not users:
        channel = ws.channel_or_error(str(body["channel"]))
    else:
        if not users:
            raise ApiError("users_list_not_supplied")
        if len(users) > MAX_GROUP_DM_USERS:
            raise ApiError("too_many_users")
        for user_id in users:
            ws.dm_user(user_id)
        existing = len(ws.channels_by_id)
        channel = ws.open_im(users[0]) if len(users) == 1 else ws.open_mpim(users)
        if len(ws.channels_by_id) == existing:
            return {"no_op": True, "already_open": True, **_opened(ws, channel, body)}
    return _opened(ws, channel, body)


def _opened(ws: Workspace, channel: Channel, body: JsonDict) -> JsonDict:
    if flag(body.get("return_im")):
        return {"channel": channel.to_api(ws.bot_user_id)}
    return {"channel": {"id": channel.id}}


def history(ws: Workspace, body: JsonDict) -> JsonDict:
    channel = ws.joined(required(body, "channel"))
    limit = min(max(int_arg(body, "limit", 100), 1), 999)
    offset = int_arg(body, "cursor", 0) if body.get("cursor") else 0
    with_metadata = flag(body.get("include_all_metadata"))
    top_level = [m for m in reversed(channel.messages) if m.get("thread_ts") in (None, m["ts"])]
    page = copy.deepcopy(top_level[offset : offset + limit])
    if not with_metadata:
        for message in page:
            message.pop("metadata", None)
    has_more = offset + limit < len(top_level)
    return {
        "messages": page,
        "has_more": has_more,
        "pin_count": 0,
        "response_metadata": {"next_cursor": str(offset + limit) if has_more else ""},
    }


def info(ws: Workspace, body: JsonDict) -> JsonDict:
    channel = ws.channel_or_error(required(body, "channel"))
    return {"channel": channel.to_api(ws.bot_user_id)}


METHODS: dict[str, WebMethod] = {
    "conversations.open": open_conversation,
    "conversations.history": history,
    "conversations.info": info,
}
