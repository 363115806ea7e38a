"""File uploads, Slack's two-step way: files.getUploadURLExternal, then .completeUploadExternal.

The bytes go in between to the upload URL (served by `server`); completing shares the file
in a channel the bot is in.
"""

from __future__ import annotations

import time

from bot.offline.fakeslack.models import (
    ApiError,
    JsonDict,
    StoredFile,
)
from bot.offline.fakeslack.rules import (
    int_arg,
    required,
)
from bot.offline.fakeslack.workspace import WebMethod, Workspace, new_id


def get_upload_url(ws: Workspace, body: JsonDict) -> JsonDict:
    name, length = required(body, "filename"), int_arg(body, "length")
    file_id = new_id("F")
    ws.uploads[file_id] = StoredFile(file_id, name, length)
    return {"upload_url": f"{ws.base_url}upload/{file_id}", "file_id": file_id}


def complete_upload(ws: Workspace, body: JsonDict) -> JsonDict:
    entries = body.get("files")
    if not isinstance(entries, list) or not entries:
        raise ApiError("invalid_arguments", "[ERROR] missing required field: files")
    channel_id = body.get("channel_id")
    channel = ws.joined(str(channel_id)) if channel_id else None
    uploads: list[tuple[StoredFile, str]] = []
    for entry in entries:
        pending = ws.uploads.get(str(entry.get("id")) if isinstance(entry, dict) else "")
        if pending is None or pending.data is None or pending.completed:
            raise ApiError("file_not_found")
        uploads.append((pending, str(entry.get("title") or pending.name)))
    for pending, title in uploads:
        pending.title, pending.completed = title, True
        pending.channel = channel.id if channel else None
        pending.initial_comment = body.get("initial_comment")
    created = int(time.time())
    files = [f.to_api(ws.bot_user_id, created) for f, _ in uploads]
    if channel is not None:
        share = ws.bot_message({"text": str(body.get("initial_comment") or "")})
        share.update(files=files, upload=True)
        if body.get("thread_ts"):
            share["thread_ts"] = str(body["thread_ts"])
        channel.messages.append(share)
    return {"files": files}


METHODS: dict[str, WebMethod] = {
    "files.getUploadURLExternal": get_upload_url,
    "files.completeUploadExternal": complete_upload,
}
