"""The state a Slack workspace keeps, and the rules every Web API family applies to it.

Users, channels and their messages, ephemerals, modal stacks, App Home tabs, uploads and
response_urls, behind one lock. Each API family (`users`, `conversations`, `chat`,
`views`, `files`, and `hooks` for response_urls) is functions of a `Workspace`;
`server.FakeSlack` is a workspace served over HTTP.
"""

from __future__ import annotations

import copy
import dataclasses
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.offline.fakeslack.models import (
    ApiError,
    Channel,
    ChannelKind,
    Hook,
    HookPost,
    JsonDict,
    StoredFile,
    Trigger,
)
from bot.offline.fakeslack.rules import (
    build_view,
)

MAX_VIEW_STACK = 3

WebMethod = Callable[["Workspace", JsonDict], JsonDict]  # one Web API method


def new_id(prefix: str) -> str:
    return prefix + secrets.token_hex(5).upper()


def _tz_fields(tz: str) -> tuple[str, int]:
    """``(tz_label, tz_offset)`` as users.info reports them, for the zone's current offset."""
    try:
        now = datetime.now(ZoneInfo(tz))
    except (ZoneInfoNotFoundError, ValueError):
        return tz, 0
    offset = now.utcoffset()
    return now.tzname() or tz, int(offset.total_seconds()) if offset else 0


class Workspace:
    """A fake Slack workspace's state, thread-safe (`lock`), as its Web API changes it."""

    def __init__(
        self,
        bot_token: str,
        app_token: str,
        team_id: str,
        bot_user_id: str,
        *,
        bot_id: str,
        app_id: str,
        team_name: str,
        team_domain: str,
        trigger_ttl: float,
    ) -> None:
        self.bot_token = bot_token
        self.app_token = app_token
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.app_id = app_id
        self.team_name = team_name
        self.team_domain = team_domain
        self.trigger_ttl = trigger_ttl
        self.lock = threading.RLock()
        self._last_ts_us = 0
        self.users_by_id: dict[str, JsonDict] = {}
        self.locales: dict[str, str] = {}
        self.channels_by_id: dict[str, Channel] = {}
        self.ims: dict[str, str] = {}
        self.mpims: dict[frozenset[str], str] = {}
        self.ephemerals_by_user: dict[str, list[JsonDict]] = {}
        self.view_store: dict[str, JsonDict] = {}
        self.view_owners: dict[str, str | None] = {}
        self.stacks: dict[str | None, list[str]] = {}
        self.homes: dict[str, str] = {}
        self.external_ids: dict[str, str] = {}
        self.triggers: dict[str, Trigger] = {}
        self.uploads: dict[str, StoredFile] = {}
        self.hooks: dict[str, Hook] = {}
        self.hook_post_log: list[HookPost] = []
        self.add_user(bot_user_id, "rex", real_name=team_name, is_bot=True)

    @property
    def base_url(self) -> str:
        """Where the workspace is served: response_urls and upload URLs live under it."""
        raise NotImplementedError

    # --- workspace setup ---------------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        name: str,
        *,
        real_name: str | None = None,
        tz: str = "Europe/Paris",
        locale: str = "fr-FR",
        is_admin: bool = False,
        is_bot: bool = False,
        deleted: bool = False,
        email: str | None = None,
    ) -> None:
        """Register a user as users.info will report them."""
        tz_label, tz_offset = _tz_fields(tz)
        real = real_name or name
        profile: JsonDict = {
            "real_name": real,
            "real_name_normalized": real,
            "display_name": name,
            "display_name_normalized": name,
            "team": self.team_id,
        }
        if email is not None:
            profile["email"] = email
        user: JsonDict = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "deleted": deleted,
            "real_name": real,
            "tz": tz,
            "tz_label": tz_label,
            "tz_offset": tz_offset,
            "profile": profile,
            "is_admin": is_admin,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": is_bot,
            "is_app_user": False,
            "updated": int(time.time()),
        }
        with self.lock:
            self.users_by_id[user_id] = user
            self.locales[user_id] = locale

    def add_channel(
        self, channel_id: str, name: str, *, private: bool = False, members: Iterable[str] = ()
    ) -> None:
        """Create a public (or private) channel with these members; the bot is one only if
        listed, as in Slack."""
        kind: ChannelKind = "private" if private else "public"
        with self.lock:
            self.channels_by_id[channel_id] = Channel(
                channel_id, name, kind, list(members), int(time.time())
            )

    def deactivate_user(self, user_id: str) -> None:
        """An admin deactivates an account: users.info says `deleted`, DMs answer
        `user_disabled`. (Send the `user_change` event with the driver.)"""
        with self.lock:
            self.users_by_id[user_id]["deleted"] = True

    def new_trigger_id(self, user_id: str | None = None) -> str:
        """Issue a single-use trigger id; views it opens belong to ``user_id``'s modal stack."""
        trigger_id = f"{int(time.time())}.{secrets.randbelow(10**12)}.{secrets.token_hex(16)}"
        with self.lock:
            self.triggers[trigger_id] = Trigger(user_id, time.monotonic())
        return trigger_id

    def new_response_url(
        self,
        user_id: str | None = None,
        channel_id: str | None = None,
        message_ts: str | None = None,
    ) -> str:
        """Issue a response_url; posts to it are recorded and applied where Slack would."""
        hook_id = secrets.token_hex(8)
        with self.lock:
            self.hooks[hook_id] = Hook(user_id, channel_id, message_ts)
        return f"{self.base_url}hooks/{hook_id}"

    # --- queries -----------------------------------------------------------------------------

    def user(self, user_id: str) -> JsonDict | None:
        with self.lock:
            return copy.deepcopy(self.users_by_id.get(user_id))

    def channel(self, channel_id: str) -> JsonDict | None:
        """The conversations.info shape of a channel, or None."""
        with self.lock:
            found = self.channels_by_id.get(channel_id)
            return found.to_api(self.bot_user_id) if found else None

    def messages(self, channel_id: str) -> list[JsonDict]:
        """Every message of a channel, thread replies included, oldest first."""
        with self.lock:
            found = self.channels_by_id.get(channel_id)
            return copy.deepcopy(found.messages) if found else []

    def find_message(self, channel_id: str, ts: str) -> JsonDict | None:
        return next((m for m in self.messages(channel_id) if m["ts"] == ts), None)

    def ephemerals(self, user_id: str) -> list[JsonDict]:
        """Ephemerals shown to a user (chat.postEphemeral, response_url), oldest first."""
        with self.lock:
            return copy.deepcopy(self.ephemerals_by_user.get(user_id, []))

    def dm_channel(self, user_id: str) -> str:
        """The bot's DM channel id with a user, opened on first use as Slack does."""
        with self.lock:
            return self.open_im(user_id).id

    def mpim_members(self, channel_id: str) -> list[str]:
        """Users of a group DM, besides the bot, in the order they were first given."""
        with self.lock:
            found = self.channels_by_id.get(channel_id)
            if found is None or found.kind != "mpim":
                raise KeyError(f"{channel_id} is not a group DM")
            return list(found.members)

    @property
    def views(self) -> dict[str, JsonDict]:
        """Every view ever stored (modals, including closed ones, and App Home tabs) by id."""
        with self.lock:
            return copy.deepcopy(self.view_store)

    def last_view(self, user_id: str) -> JsonDict | None:
        """The modal currently on top of a user's stack, or None when no modal is open."""
        with self.lock:
            stack = self.stacks.get(user_id)
            return copy.deepcopy(self.view_store[stack[-1]]) if stack else None

    def home(self, user_id: str) -> JsonDict | None:
        """The App Home view last published for a user."""
        with self.lock:
            view_id = self.homes.get(user_id)
            return copy.deepcopy(self.view_store[view_id]) if view_id else None

    def hook_posts(self, url: str | None = None) -> list[HookPost]:
        with self.lock:
            return [p for p in self.hook_post_log if url is None or p.url == url]

    @property
    def files(self) -> dict[str, StoredFile]:
        """Completed uploads by file id."""
        with self.lock:
            return {k: dataclasses.replace(f) for k, f in self.uploads.items() if f.completed}

    # --- state helpers -----------------------------------------------------------------------

    def next_ts(self) -> str:
        """Strictly increasing message timestamps, in Slack's ``seconds.micros`` form."""
        self._last_ts_us = max(time.time_ns() // 1000, self._last_ts_us + 1)
        return f"{self._last_ts_us // 1_000_000}.{self._last_ts_us % 1_000_000:06d}"

    def known_user(self, user_id: str) -> JsonDict:
        user = self.users_by_id.get(user_id)
        if user is None:
            raise ApiError("user_not_found")
        return user

    def dm_user(self, user_id: str) -> str:
        """Check that a user can be messaged directly."""
        if self.known_user(user_id)["deleted"]:
            raise ApiError("user_disabled")
        return user_id

    def open_im(self, user_id: str) -> Channel:
        channel_id = self.ims.get(user_id)
        if channel_id is None:
            channel_id = self.ims[user_id] = new_id("D")
            self.channels_by_id[channel_id] = Channel(
                channel_id, user_id, "im", [user_id], int(time.time())
            )
        return self.channels_by_id[channel_id]

    def open_mpim(self, users: list[str]) -> Channel:
        key = frozenset(users)
        channel_id = self.mpims.get(key)
        if channel_id is None:
            channel_id = self.mpims[key] = new_id("G")
            names = "--".join(self.users_by_id[u]["name"] for u in users)
            self.channels_by_id[channel_id] = Channel(
                channel_id, f"mpdm-{names}-1", "mpim", list(users), int(time.time())
            )
        return self.channels_by_id[channel_id]

    def channel_or_error(self, channel_id: str) -> Channel:
        """A conversation the bot can see: a private channel it is not in is not found."""
        found = self.channels_by_id.get(channel_id)
        if found is None or (found.kind == "private" and self.bot_user_id not in found.members):
            raise ApiError("channel_not_found")
        return found

    def joined(self, channel_id: str) -> Channel:
        """A conversation the bot is in: to post, read or share a file there."""
        found = self.channel_or_error(channel_id)
        if found.kind == "public" and self.bot_user_id not in found.members:
            raise ApiError("not_in_channel")
        return found

    def target(self, channel_id: str) -> Channel:
        """A channel to post in; a user id means the bot's DM with that user."""
        if channel_id not in self.channels_by_id and channel_id[:1] in ("U", "W"):
            return self.open_im(self.dm_user(channel_id))
        return self.joined(channel_id)

    def message_in(self, channel: Channel, ts: str) -> JsonDict:
        for message in channel.messages:
            if message["ts"] == ts:
                return message
        raise ApiError("message_not_found")

    def bot_message(self, content: JsonDict) -> JsonDict:
        return {
            "type": "message",
            "ts": self.next_ts(),
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "team": self.team_id,
            **content,
        }

    def consume_trigger(self, body: JsonDict) -> str | None:
        """Spend a trigger id (single use, short-lived); returns the user it was issued for."""
        trigger_id = body.get("trigger_id") or body.get("interactivity_pointer")
        if not trigger_id:
            raise ApiError("invalid_arguments", "[ERROR] missing required field: trigger_id")
        trigger = self.triggers.pop(str(trigger_id), None)
        if trigger is None:
            raise ApiError("invalid_trigger_id")
        if time.monotonic() - trigger.issued > self.trigger_ttl:
            raise ApiError("expired_trigger_id")
        return trigger.user_id

    def store_view(
        self,
        view: JsonDict,
        owner: str | None,
        *,
        view_id: str | None = None,
        previous: str | None = None,
        root: str | None = None,
    ) -> JsonDict:
        """Store a built view with Slack's server-side fields; a new hash on every write."""
        view_id = view_id or new_id("V")
        external_id = str(view.get("external_id") or "")
        if self.external_ids.get(external_id, view_id) != view_id:
            raise ApiError("duplicate_external_id")
        stored: JsonDict = {
            "private_metadata": "",
            "callback_id": "",
            "external_id": "",
            "title": None,
            "submit": None,
            "close": None,
            "clear_on_close": False,
            "notify_on_close": False,
            **view,
            "id": view_id,
            "team_id": self.team_id,
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
            "previous_view_id": previous,
            "root_view_id": root or view_id,
            "app_id": self.app_id,
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }
        self.view_store[view_id] = stored
        self.view_owners[view_id] = owner
        if external_id:
            self.external_ids[external_id] = view_id
        return {"view": copy.deepcopy(stored)}

    def push_view(self, owner: str | None, raw: Any, *, new_stack: bool = False) -> JsonDict:
        """Validate a modal and put it on top of the owner's stack (a fresh one for views.open)."""
        view = build_view(raw, ("modal",))
        stack = self.stacks.setdefault(owner, [])
        if new_stack:
            stack.clear()
        if len(stack) >= MAX_VIEW_STACK:
            raise ApiError("push_limit_reached")
        result = self.store_view(
            view, owner, previous=stack[-1] if stack else None, root=stack[0] if stack else None
        )
        stack.append(result["view"]["id"])
        return result

    # --- Web API methods ---------------------------------------------------------------------
