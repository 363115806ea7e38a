"""Records and state objects of the fake Slack workspace."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

JsonDict = dict[str, Any]
ChannelKind = Literal["public", "private", "im", "mpim"]


class ApiError(Exception):
    """A Slack ``{"ok": false, "error": ...}`` answer, raised from deep inside a method."""

    def __init__(self, error: str, *messages: str) -> None:
        super().__init__(error)
        self.error = error
        self.messages = list(messages)

    def to_json(self) -> JsonDict:
        body: JsonDict = {"ok": False, "error": self.error}
        if self.messages:
            body["response_metadata"] = {"messages": self.messages}
        return body


@dataclass(frozen=True)
class Call:
    """One Web API request as the fake received it (headers have lower-case names)."""

    method: str
    body: JsonDict
    headers: dict[str, str]
    at: float
    status: int = 200
    response: JsonDict = field(default_factory=dict)
    faulted: bool = False


@dataclass(frozen=True)
class HookPost:
    """One JSON body the bot posted to a ``response_url``."""

    url: str
    body: JsonDict
    at: float


@dataclass
class StoredFile:
    """A file uploaded through the external upload flow."""

    id: str
    name: str
    length: int
    title: str = ""
    data: bytes | None = None
    channel: str | None = None
    initial_comment: str | None = None
    completed: bool = False

    def to_api(self, user_id: str, created: int) -> JsonDict:
        return {
            "id": self.id,
            "name": self.name,
            "title": self.title,
            "size": len(self.data or b""),
            "user": user_id,
            "created": created,
            "channels": [self.channel] if self.channel else [],
        }


@dataclass
class Channel:
    """A conversation: public/private channel, DM (``im``) or group DM (``mpim``)."""

    id: str
    name: str
    kind: ChannelKind
    members: list[str]
    created: int
    messages: list[JsonDict] = field(default_factory=list)

    def to_api(self, bot_user_id: str) -> JsonDict:
        data: JsonDict = {
            "id": self.id,
            "name": self.name,
            "created": self.created,
            "is_channel": self.kind in ("public", "private"),
            "is_group": False,
            "is_im": self.kind == "im",
            "is_mpim": self.kind == "mpim",
            "is_private": self.kind != "public",
            "is_archived": False,
            # the bot is in its DMs and group DMs; in a channel only once invited
            "is_member": self.kind in ("im", "mpim") or bot_user_id in self.members,
        }
        if self.kind == "im":
            data["user"] = self.members[0]
        else:
            data["num_members"] = len(self.members)
        return data


@dataclass
class Trigger:
    """A ``trigger_id`` handed to the bot, bound to the user whose interaction produced it."""

    user_id: str | None
    issued: float


@dataclass
class Hook:
    """Where a ``response_url`` was issued, so its posts land where Slack would put them."""

    user_id: str | None
    channel_id: str | None
    message_ts: str | None


@dataclass
class Fault:
    """An injected failure for the next ``remaining`` calls of a method."""

    status: int
    retry_after: int
    error: str | None
    remaining: int
