"""Posting once: every message carries the id of the row it fulfils, and a retried row
first looks for its own message (or file) in the conversation before sending again."""

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.runtime.rex import Rex
from storage.models import DueWork

log = logging.getLogger("rex.delivery")

METADATA_EVENT = "rex_delivery"
HISTORY_LOOKBACK = 100

# A kind's sender: "sent", or "skipped" when the row no longer applies.
Sender = Callable[[Rex, Session, DueWork, datetime], str]


def _metadata(work: DueWork) -> dict[str, Any]:
    """Every message Rex sends carries the id of the row it fulfils, so a retry can tell
    whether an earlier attempt reached Slack before the process died."""
    return {"event_type": METADATA_EVENT, "event_payload": {"work_id": work.id}}


def _history(rex: Rex, channel: str, *, metadata: bool) -> list[dict[str, Any]]:
    """The conversation's latest messages, for a retry to find what an earlier attempt
    posted. Without the history scopes (optional, see the README) Slack refuses: delivery
    then falls back to at-least-once, and a retry after a crash may post a second time."""
    rex.pacer.wait("conversations.history")
    try:
        history = rex.client.conversations_history(
            channel=channel, include_all_metadata=metadata, limit=HISTORY_LOOKBACK
        )
    except SlackApiError as exc:
        if exc.response.get("error") != "missing_scope":
            raise
        log.warning(
            "delivery.history_unavailable channel=%s: no history scope, so a retried message "
            "may be posted twice (at-least-once)",
            channel,
        )
        return []
    return list(history.get("messages") or [])


def _already_sent(rex: Rex, channel: str, work: DueWork) -> str | None:
    """The ts of this row's message if an earlier attempt posted it (outcome unknown)."""
    for message in _history(rex, channel, metadata=True):
        metadata = message.get("metadata") or {}
        payload = metadata.get("event_payload") or {}
        if metadata.get("event_type") == METADATA_EVENT and payload.get("work_id") == work.id:
            return str(message["ts"])
    return None


def open_conversation(rex: Rex, users: Sequence[str]) -> str:
    rex.pacer.wait("conversations.open")
    return str(rex.client.conversations_open(users=",".join(users))["channel"]["id"])


def post(
    rex: Rex,
    work: DueWork,
    *,
    channel: str | None,
    user: str | None = None,
    text: str,
    blocks: list[dict[str, Any]] | None = None,
) -> str:
    """Post once: a retried row first looks for its own message in the conversation."""
    if work.attempts > 1:
        where = channel or open_conversation(rex, [user or ""])
        found = _already_sent(rex, where, work)
        if found is not None:
            log.info("delivery.recovered work=%s kind=%s", work.id, work.kind)
            return found
    target = channel or user or ""
    rex.pacer.wait("chat.postMessage", target)
    posted = rex.client.chat_postMessage(
        channel=target, text=text, blocks=blocks, metadata=_metadata(work)
    )
    return str(posted["ts"])


def upload(
    rex: Rex,
    work: DueWork,
    *,
    channel: str,
    name: str,
    title: str,
    content: Callable[[], str | bytes],
    comment: str | None = None,
) -> bool:
    """Share a file once: a retried row first looks for it, by name, in the conversation
    (then nothing is made or sent again). False when it was already there."""
    if work.attempts > 1 and _file_already_shared(rex, channel, name):
        return False
    rex.pacer.wait("files.completeUploadExternal")
    rex.client.files_upload_v2(
        channel=channel, filename=name, title=title, content=content(), initial_comment=comment
    )
    return True


def _file_already_shared(rex: Rex, channel: str, name: str) -> bool:
    return any(
        f.get("name") == name
        for message in _history(rex, channel, metadata=False)
        for f in message.get("files") or []
    )
