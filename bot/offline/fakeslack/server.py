"""A local fake of Slack's Web API, speaking the real wire format.

Tests and the offline demo point an unmodified ``slack_sdk.WebClient`` at it
(``base_url=fake.api_url``). It keeps the workspace state Slack would keep (messages, DMs, modal
stacks, App Home tabs, files, response_url posts), enforces the limits that bite in production
(block counts, single-use trigger ids, group DM size, channel membership: with chat:write
only, a bot posts in a channel only once invited) and can inject rate limits, outages and a
token Slack no longer takes.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, cast
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.offline.fakeslack.models import (
    ApiError,
    Call,
    Channel,
    ChannelKind,
    Fault,
    Hook,
    HookPost,
    JsonDict,
    StoredFile,
    Trigger,
)
from bot.offline.fakeslack.rules import (
    build_view,
    flag,
    int_arg,
    message_content,
    message_metadata,
    parse_api_body,
    required,
)

MAX_GROUP_DM_USERS = 8
# Methods called with the app-level token (xapp-), not the bot token.
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})
MAX_VIEW_STACK = 3
RATE_WINDOW_SECONDS = 60.0
# What a response_url replace_original swaps out of the original message.
_CONTENT_KEYS = ("text", "blocks", "attachments")

HttpReply = tuple[int, dict[str, str], bytes]
ApiMethod = Callable[[JsonDict], JsonDict]
FaultReply = tuple[int, dict[str, str], JsonDict]


def _json_reply(status: int, payload: JsonDict, headers: dict[str, str] | None = None) -> HttpReply:
    return (
        status,
        {"Content-Type": "application/json; charset=utf-8", **(headers or {})},
        json.dumps(payload).encode(),
    )


def _text_reply(status: int, text: str) -> HttpReply:
    return status, {"Content-Type": "text/plain; charset=utf-8"}, text.encode()


def _rate_limited(retry_after: int) -> FaultReply:
    return 429, {"Retry-After": str(retry_after)}, {"ok": False, "error": "ratelimited"}


def _new_id(prefix: str) -> str:
    return prefix + secrets.token_hex(5).upper()


def _tz_fields(tz: str) -> tuple[str, int]:
    """``(tz_label, tz_offset)`` as users.info reports them, for the zone's current offset."""
    try:
        now = datetime.now(ZoneInfo(tz))
    except (ZoneInfoNotFoundError, ValueError):
        return tz, 0
    offset = now.utcoffset()
    return now.tzname() or tz, int(offset.total_seconds()) if offset else 0


class FakeSlack:
    """A thread-safe fake Slack workspace served on ``127.0.0.1`` (OS-chosen port)."""

    def __init__(
        self,
        bot_token: str = "xoxb-test",
        app_token: str = "xapp-1-A0REX-1-test",
        team_id: str = "T0REX",
        bot_user_id: str = "UREXBOT",
        *,
        bot_id: str = "B0REX",
        app_id: str = "A0REX",
        team_name: str = "Rex",
        team_domain: str = "rex",
        trigger_ttl: float = 3.0,
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
        self._lock = threading.RLock()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self._last_ts_us = 0
        self._calls: list[Call] = []
        self._users: dict[str, JsonDict] = {}
        self._locales: dict[str, str] = {}
        self._channels: dict[str, Channel] = {}
        self._ims: dict[str, str] = {}
        self._mpims: dict[frozenset[str], str] = {}
        self._ephemerals: dict[str, list[JsonDict]] = {}
        self._views: dict[str, JsonDict] = {}
        self._view_owners: dict[str, str | None] = {}
        self._stacks: dict[str | None, list[str]] = {}
        self._homes: dict[str, str] = {}
        self._external_ids: dict[str, str] = {}
        self._triggers: dict[str, Trigger] = {}
        self._files: dict[str, StoredFile] = {}
        self._hooks: dict[str, Hook] = {}
        self._hook_posts: list[HookPost] = []
        self._faults: dict[str, list[Fault]] = {}
        self._token_error: str | None = None
        self._rate_limits: dict[str, tuple[int, deque[float]]] = {}
        self._methods: dict[str, ApiMethod] = {
            "auth.test": self._auth_test,
            "apps.connections.open": self._apps_connections_open,
            "users.info": self._users_info,
            "conversations.open": self._conversations_open,
            "conversations.history": self._conversations_history,
            "conversations.info": self._conversations_info,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "chat.delete": self._chat_delete,
            "views.open": self._views_open,
            "views.push": self._views_push,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
        }
        self.add_user(bot_user_id, "rex", real_name=team_name, is_bot=True)

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeSlack:
        """Serve in a daemon thread; idempotent."""
        if self._httpd is None:
            self._httpd = _Server(self)
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="fakeslack",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join()
        self._httpd, self._thread = None, None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/``; hooks and upload URLs live under it."""
        if self._httpd is None:
            raise RuntimeError("FakeSlack is not started")
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/"

    @property
    def api_url(self) -> str:
        """The ``base_url`` to give ``slack_sdk.WebClient`` (ends with a slash, as it requires)."""
        return self.base_url + "api/"

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
        with self._lock:
            self._users[user_id] = user
            self._locales[user_id] = locale

    def add_channel(
        self, channel_id: str, name: str, *, private: bool = False, members: Iterable[str] = ()
    ) -> None:
        """Create a public (or private) channel with these members; the bot is one only if
        listed (or `invite`d later), as in Slack."""
        kind: ChannelKind = "private" if private else "public"
        with self._lock:
            self._channels[channel_id] = Channel(
                channel_id, name, kind, list(members), int(time.time())
            )

    def invite(self, channel_id: str, user_id: str | None = None) -> None:
        """`/invite @Rex` (or another user) in a channel."""
        with self._lock:
            members = self._channels[channel_id].members
            who = user_id or self.bot_user_id
            if who not in members:
                members.append(who)

    def deactivate_user(self, user_id: str) -> None:
        """An admin deactivates an account: users.info says `deleted`, DMs answer
        `user_disabled`. (Send the `user_change` event with the driver.)"""
        with self._lock:
            self._users[user_id]["deleted"] = True

    def refuse_token(self, error: str | None) -> None:
        """From now on every Web API call answers `error` (`invalid_auth`, `token_revoked`,
        `account_inactive`...) as Slack does for a token it no longer takes; None: it takes
        it again."""
        with self._lock:
            self._token_error = error

    def new_trigger_id(self, user_id: str | None = None) -> str:
        """Issue a single-use trigger id; views it opens belong to ``user_id``'s modal stack."""
        trigger_id = f"{int(time.time())}.{secrets.randbelow(10**12)}.{secrets.token_hex(16)}"
        with self._lock:
            self._triggers[trigger_id] = Trigger(user_id, time.monotonic())
        return trigger_id

    def new_response_url(
        self,
        user_id: str | None = None,
        channel_id: str | None = None,
        message_ts: str | None = None,
    ) -> str:
        """Issue a response_url; posts to it are recorded and applied where Slack would."""
        hook_id = secrets.token_hex(8)
        with self._lock:
            self._hooks[hook_id] = Hook(user_id, channel_id, message_ts)
        return f"{self.base_url}hooks/{hook_id}"

    # --- fault injection ---------------------------------------------------------------------

    def inject(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int = 1,
        times: int = 1,
        error: str | None = None,
    ) -> None:
        """Fail the next ``times`` calls of ``method``.

        ``error`` gives HTTP 200 ``{"ok": false, "error": error}``; otherwise ``status`` 429 answers
        ``ratelimited`` with ``Retry-After``, any other status an ``internal_error`` body.
        """
        with self._lock:
            self._faults.setdefault(method, []).append(Fault(status, retry_after, error, times))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def rate_limit(self, method: str, per_minute: int | None) -> None:
        """Answer 429 past ``per_minute`` calls of ``method`` in a sliding minute; None: off."""
        with self._lock:
            if per_minute is None:
                self._rate_limits.pop(method, None)
            else:
                self._rate_limits[method] = (per_minute, deque())

    # --- queries -----------------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def reset_calls(self) -> None:
        with self._lock:
            self._calls.clear()

    def user(self, user_id: str) -> JsonDict | None:
        with self._lock:
            return copy.deepcopy(self._users.get(user_id))

    def channel(self, channel_id: str) -> JsonDict | None:
        """The conversations.info shape of a channel, or None."""
        with self._lock:
            found = self._channels.get(channel_id)
            return found.to_api(self.bot_user_id) if found else None

    def messages(self, channel_id: str) -> list[JsonDict]:
        """Every message of a channel, thread replies included, oldest first."""
        with self._lock:
            found = self._channels.get(channel_id)
            return copy.deepcopy(found.messages) if found else []

    def find_message(self, channel_id: str, ts: str) -> JsonDict | None:
        return next((m for m in self.messages(channel_id) if m["ts"] == ts), None)

    def ephemerals(self, user_id: str) -> list[JsonDict]:
        """Ephemerals shown to a user (chat.postEphemeral, response_url), oldest first."""
        with self._lock:
            return copy.deepcopy(self._ephemerals.get(user_id, []))

    def dm_channel(self, user_id: str) -> str:
        """The bot's DM channel id with a user, opened on first use as Slack does."""
        with self._lock:
            return self._open_im(user_id).id

    def mpim_members(self, channel_id: str) -> list[str]:
        """Users of a group DM, besides the bot, in the order they were first given."""
        with self._lock:
            found = self._channels.get(channel_id)
            if found is None or found.kind != "mpim":
                raise KeyError(f"{channel_id} is not a group DM")
            return list(found.members)

    @property
    def views(self) -> dict[str, JsonDict]:
        """Every view ever stored (modals, including closed ones, and App Home tabs) by id."""
        with self._lock:
            return copy.deepcopy(self._views)

    def last_view(self, user_id: str) -> JsonDict | None:
        """The modal currently on top of a user's stack, or None when no modal is open."""
        with self._lock:
            stack = self._stacks.get(user_id)
            return copy.deepcopy(self._views[stack[-1]]) if stack else None

    def home(self, user_id: str) -> JsonDict | None:
        """The App Home view last published for a user."""
        with self._lock:
            view_id = self._homes.get(user_id)
            return copy.deepcopy(self._views[view_id]) if view_id else None

    def hook_posts(self, url: str | None = None) -> list[HookPost]:
        with self._lock:
            return [p for p in self._hook_posts if url is None or p.url == url]

    @property
    def files(self) -> dict[str, StoredFile]:
        """Completed uploads by file id."""
        with self._lock:
            return {k: dataclasses.replace(f) for k, f in self._files.items() if f.completed}

    def apply_view_ack(self, view_id: str, ack: JsonDict | None) -> None:
        """Do what Slack does with a view_submission ack: close, update, push, clear, or keep."""
        with self._lock:
            if view_id not in self._view_owners:
                raise KeyError(f"unknown view {view_id}")
            owner = self._view_owners[view_id]
            stack = self._stacks.setdefault(owner, [])
            action = (ack or {}).get("response_action")
            try:
                if action == "update":
                    self._views_update({"view_id": view_id, "view": (ack or {}).get("view")})
                elif action == "push":
                    self._push_view(owner, (ack or {}).get("view"))
                elif action == "clear":
                    stack.clear()
                elif action != "errors" and view_id in stack:
                    del stack[stack.index(view_id) :]
            except ApiError as error:
                raise ValueError(f"response_action {action!r}: {error.to_json()}") from None

    # --- HTTP entry points -------------------------------------------------------------------

    def _serve(self, verb: str, path: str, headers: dict[str, str], raw: bytes) -> HttpReply:
        url = urlsplit(path)
        section, _, name = url.path.lstrip("/").partition("/")
        if section == "api" and name:
            return self._api(name, url.query, headers, raw)
        if verb == "POST" and section == "upload":
            return self._upload(name, raw)
        if verb == "POST" and section == "hooks":
            return self._hook(name, raw)
        return _text_reply(404, "not_found")

    def _api(self, method: str, query: str, headers: dict[str, str], raw: bytes) -> HttpReply:
        with self._lock:
            failure: ApiError | None = None
            try:
                body = parse_api_body(raw, headers.get("content-type", ""), query)
            except ApiError as error:
                body, failure = {}, error
            fault = self._take_fault(method)
            if fault is not None:
                status, extra, payload = fault
            else:
                status, extra = 200, {}
                payload = failure.to_json() if failure else self._dispatch(method, body, headers)
            self._calls.append(
                Call(method, body, headers, time.time(), status, payload, fault is not None)
            )
        return _json_reply(status, payload, extra)

    def _take_fault(self, method: str) -> FaultReply | None:
        queue = self._faults.get(method)
        if queue:
            fault = queue[0]
            fault.remaining -= 1
            if fault.remaining <= 0:
                queue.pop(0)
            if fault.error is not None:
                return 200, {}, {"ok": False, "error": fault.error}
            if fault.status == 429:
                return _rate_limited(fault.retry_after)
            return fault.status, {}, {"ok": False, "error": "internal_error"}
        limit = self._rate_limits.get(method)
        if limit is None:
            return None
        per_minute, window = limit
        now = time.monotonic()
        while window and window[0] <= now - RATE_WINDOW_SECONDS:
            window.popleft()
        if len(window) >= per_minute:
            return _rate_limited(max(1, math.ceil(window[0] + RATE_WINDOW_SECONDS - now)))
        window.append(now)
        return None

    def _dispatch(self, method: str, body: JsonDict, headers: dict[str, str]) -> JsonDict:
        try:
            handler = self._methods.get(method)
            if handler is None:
                raise ApiError("unknown_method")
            authorization = headers.get("authorization", "")
            token = authorization.removeprefix("Bearer ").strip() or body.get("token")
            if not token:
                raise ApiError("not_authed")
            if token != (self.app_token if method in APP_TOKEN_METHODS else self.bot_token):
                raise ApiError("invalid_auth")
            if self._token_error is not None:
                raise ApiError(self._token_error)
            return {"ok": True, **handler(body)}
        except ApiError as error:
            return error.to_json()

    def _upload(self, file_id: str, raw: bytes) -> HttpReply:
        with self._lock:
            pending = self._files.get(file_id)
            if pending is None or pending.completed:
                return _text_reply(404, "not_found")
            pending.data = raw
        return _text_reply(200, f"OK - {len(raw)}")

    def _hook(self, hook_id: str, raw: bytes) -> HttpReply:
        with self._lock:
            hook = self._hooks.get(hook_id)
            if hook is None:
                return _text_reply(404, "no_service")
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
            if not isinstance(body, dict):
                return _text_reply(400, "invalid_payload")
            self._hook_posts.append(HookPost(f"{self.base_url}hooks/{hook_id}", body, time.time()))
            try:
                self._apply_hook(hook, body)
            except ApiError as error:
                return _text_reply(400, error.error)
        return _text_reply(200, "ok")

    def _apply_hook(self, hook: Hook, body: JsonDict) -> None:
        """Route a response_url post: delete/replace the original, post in channel, or ephemeral."""
        if flag(body.get("delete_original")) and hook.message_ts:
            container, index = self._locate_original(hook)
            del container[index]
            return
        content = message_content(body)
        if flag(body.get("replace_original")) and hook.message_ts:
            container, index = self._locate_original(hook)
            kept = {k: v for k, v in container[index].items() if k not in _CONTENT_KEYS}
            container[index] = {**kept, **content}
        elif body.get("response_type") == "in_channel" and hook.channel_id:
            # a slash command's response_url may speak where the bot was never invited
            channel = self._channels.get(hook.channel_id) or self._target(hook.channel_id)
            channel.messages.append(self._bot_message(content))
        elif hook.user_id and hook.channel_id:
            ephemeral = {"type": "message", "ts": self._next_ts(), "channel": hook.channel_id}
            self._ephemerals.setdefault(hook.user_id, []).append({**ephemeral, **content})

    def _locate_original(self, hook: Hook) -> tuple[list[JsonDict], int]:
        """The list holding the message a response_url came from, and its index."""
        channel = self._channels.get(hook.channel_id or "")
        containers = [
            channel.messages if channel else [],
            self._ephemerals.get(hook.user_id or "", []),
        ]
        for container in containers:
            for index, message in enumerate(container):
                if message["ts"] == hook.message_ts:
                    return container, index
        raise ApiError("message_not_found")

    # --- state helpers -----------------------------------------------------------------------

    def _next_ts(self) -> str:
        """Strictly increasing message timestamps, in Slack's ``seconds.micros`` form."""
        self._last_ts_us = max(time.time_ns() // 1000, self._last_ts_us + 1)
        return f"{self._last_ts_us // 1_000_000}.{self._last_ts_us % 1_000_000:06d}"

    def _known_user(self, user_id: str) -> JsonDict:
        user = self._users.get(user_id)
        if user is None:
            raise ApiError("user_not_found")
        return user

    def _dm_user(self, user_id: str) -> str:
        """Check that a user can be messaged directly."""
        if self._known_user(user_id)["deleted"]:
            raise ApiError("user_disabled")
        return user_id

    def _open_im(self, user_id: str) -> Channel:
        channel_id = self._ims.get(user_id)
        if channel_id is None:
            channel_id = self._ims[user_id] = _new_id("D")
            self._channels[channel_id] = Channel(
                channel_id, user_id, "im", [user_id], int(time.time())
            )
        return self._channels[channel_id]

    def _open_mpim(self, users: list[str]) -> Channel:
        key = frozenset(users)
        channel_id = self._mpims.get(key)
        if channel_id is None:
            channel_id = self._mpims[key] = _new_id("G")
            names = "--".join(self._users[u]["name"] for u in users)
            self._channels[channel_id] = Channel(
                channel_id, f"mpdm-{names}-1", "mpim", list(users), int(time.time())
            )
        return self._channels[channel_id]

    def _channel_or_error(self, channel_id: str) -> Channel:
        """A conversation the bot can see: a private channel it is not in is not found."""
        found = self._channels.get(channel_id)
        if found is None or (found.kind == "private" and self.bot_user_id not in found.members):
            raise ApiError("channel_not_found")
        return found

    def _joined(self, channel_id: str) -> Channel:
        """A conversation the bot is in: to post, read or share a file there."""
        found = self._channel_or_error(channel_id)
        if found.kind == "public" and self.bot_user_id not in found.members:
            raise ApiError("not_in_channel")
        return found

    def _target(self, channel_id: str) -> Channel:
        """A channel to post in; a user id means the bot's DM with that user."""
        if channel_id not in self._channels and channel_id[:1] in ("U", "W"):
            return self._open_im(self._dm_user(channel_id))
        return self._joined(channel_id)

    def _find_message(self, channel: Channel, ts: str) -> JsonDict:
        for message in channel.messages:
            if message["ts"] == ts:
                return message
        raise ApiError("message_not_found")

    def _bot_message(self, content: JsonDict) -> JsonDict:
        return {
            "type": "message",
            "ts": self._next_ts(),
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "team": self.team_id,
            **content,
        }

    def _consume_trigger(self, body: JsonDict) -> str | None:
        """Spend a trigger id (single use, short-lived); returns the user it was issued for."""
        trigger_id = body.get("trigger_id") or body.get("interactivity_pointer")
        if not trigger_id:
            raise ApiError("invalid_arguments", "[ERROR] missing required field: trigger_id")
        trigger = self._triggers.pop(str(trigger_id), None)
        if trigger is None:
            raise ApiError("invalid_trigger_id")
        if time.monotonic() - trigger.issued > self.trigger_ttl:
            raise ApiError("expired_trigger_id")
        return trigger.user_id

    def _store_view(
        self,
        view: JsonDict,
        owner: str | None,
        *,
        view_id: str | None = None,
        previous: str | None = None,
        root: str | None = None,
    ) -> JsonDict:
        """Store a built view with Slack's server-side fields; a new hash on every write."""
        view_id = view_id or _new_id("V")
        external_id = str(view.get("external_id") or "")
        if self._external_ids.get(external_id, view_id) != view_id:
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
        self._views[view_id] = stored
        self._view_owners[view_id] = owner
        if external_id:
            self._external_ids[external_id] = view_id
        return {"view": copy.deepcopy(stored)}

    def _push_view(self, owner: str | None, raw: Any, *, new_stack: bool = False) -> JsonDict:
        """Validate a modal and put it on top of the owner's stack (a fresh one for views.open)."""
        view = build_view(raw, ("modal",))
        stack = self._stacks.setdefault(owner, [])
        if new_stack:
            stack.clear()
        if len(stack) >= MAX_VIEW_STACK:
            raise ApiError("push_limit_reached")
        result = self._store_view(
            view, owner, previous=stack[-1] if stack else None, root=stack[0] if stack else None
        )
        stack.append(result["view"]["id"])
        return result

    # --- Web API methods ---------------------------------------------------------------------

    def _auth_test(self, _body: JsonDict) -> JsonDict:
        return {
            "url": f"https://{self.team_domain}.slack.com/",
            "team": self.team_name,
            "user": self._users[self.bot_user_id]["name"],
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _apps_connections_open(self, _body: JsonDict) -> JsonDict:
        """A Socket Mode URL (this fake serves no WebSocket: enough to check the token)."""
        return {"url": f"ws://127.0.0.1:{self.base_url.rsplit(':', 1)[1].rstrip('/')}/link"}

    def _users_info(self, body: JsonDict) -> JsonDict:
        user_id = required(body, "user")
        user = copy.deepcopy(self._known_user(user_id))
        if flag(body.get("include_locale")):
            user["locale"] = self._locales[user_id]
        return {"user": user}

    def _conversations_open(self, body: JsonDict) -> JsonDict:
        users = [u.strip() for u in str(body.get("users") or "").split(",")]
        users = [u for u in dict.fromkeys(users) if u and u != self.bot_user_id]
        if body.get("channel") and not users:
            channel = self._channel_or_error(str(body["channel"]))
        else:
            if not users:
                raise ApiError("users_list_not_supplied")
            if len(users) > MAX_GROUP_DM_USERS:
                raise ApiError("too_many_users")
            for user_id in users:
                self._dm_user(user_id)
            existing = len(self._channels)
            channel = self._open_im(users[0]) if len(users) == 1 else self._open_mpim(users)
            if len(self._channels) == existing:
                return {"no_op": True, "already_open": True, **self._opened(channel, body)}
        return self._opened(channel, body)

    def _opened(self, channel: Channel, body: JsonDict) -> JsonDict:
        if flag(body.get("return_im")):
            return {"channel": channel.to_api(self.bot_user_id)}
        return {"channel": {"id": channel.id}}

    def _conversations_history(self, body: JsonDict) -> JsonDict:
        channel = self._joined(required(body, "channel"))
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

    def _conversations_info(self, body: JsonDict) -> JsonDict:
        channel = self._channel_or_error(required(body, "channel"))
        return {"channel": channel.to_api(self.bot_user_id)}

    def _chat_post_message(self, body: JsonDict) -> JsonDict:
        channel = self._target(required(body, "channel"))
        message = self._bot_message(message_content(body))
        metadata = message_metadata(body)
        if metadata is not None:
            message["metadata"] = metadata
        if body.get("thread_ts"):
            message["thread_ts"] = str(body["thread_ts"])
        channel.messages.append(message)
        return {"channel": channel.id, "ts": message["ts"], "message": copy.deepcopy(message)}

    def _chat_post_ephemeral(self, body: JsonDict) -> JsonDict:
        channel = self._target(required(body, "channel"))
        user_id = required(body, "user")
        self._known_user(user_id)
        message = {"type": "message", "ts": self._next_ts(), "channel": channel.id}
        message.update(message_content(body))
        self._ephemerals.setdefault(user_id, []).append(message)
        return {"message_ts": message["ts"]}

    def _chat_update(self, body: JsonDict) -> JsonDict:
        channel = self._joined(required(body, "channel"))
        message = self._find_message(channel, required(body, "ts"))
        message.update(message_content(body))
        for key in ("blocks", "attachments"):
            if body.get(key) == []:  # an empty array removes them; absent keeps them
                message.pop(key, None)
        metadata = message_metadata(body)
        if metadata is not None:
            message["metadata"] = metadata
        message["edited"] = {"user": self.bot_user_id, "ts": self._next_ts()}
        return {
            "channel": channel.id,
            "ts": message["ts"],
            "text": message["text"],
            "message": copy.deepcopy(message),
        }

    def _chat_delete(self, body: JsonDict) -> JsonDict:
        channel = self._joined(required(body, "channel"))
        message = self._find_message(channel, required(body, "ts"))
        channel.messages.remove(message)
        return {"channel": channel.id, "ts": message["ts"]}

    def _views_open(self, body: JsonDict) -> JsonDict:
        return self._push_view(self._consume_trigger(body), body.get("view"), new_stack=True)

    def _views_push(self, body: JsonDict) -> JsonDict:
        return self._push_view(self._consume_trigger(body), body.get("view"))

    def _views_update(self, body: JsonDict) -> JsonDict:
        if not body.get("view_id") and not body.get("external_id"):
            raise ApiError("invalid_arguments", "[ERROR] view_id or external_id is required")
        view_id = body.get("view_id") or self._external_ids.get(str(body["external_id"]))
        old = self._views.get(str(view_id))
        if old is None:
            raise ApiError("not_found")
        if body.get("hash") and body["hash"] != old["hash"]:
            raise ApiError("hash_conflict")
        view = build_view(body.get("view"), (str(old["type"]),))
        return self._store_view(
            view,
            self._view_owners[old["id"]],
            view_id=old["id"],
            previous=old["previous_view_id"],
            root=old["root_view_id"],
        )

    def _views_publish(self, body: JsonDict) -> JsonDict:
        user_id = required(body, "user_id")
        self._known_user(user_id)
        view = build_view(body.get("view"), ("home",))
        old_id = self._homes.get(user_id)
        if old_id and body.get("hash") and body["hash"] != self._views[old_id]["hash"]:
            raise ApiError("hash_conflict")
        result = self._store_view(view, user_id, view_id=old_id)
        self._homes[user_id] = result["view"]["id"]
        return result

    def _files_get_upload_url(self, body: JsonDict) -> JsonDict:
        name, length = required(body, "filename"), int_arg(body, "length")
        file_id = _new_id("F")
        self._files[file_id] = StoredFile(file_id, name, length)
        return {"upload_url": f"{self.base_url}upload/{file_id}", "file_id": file_id}

    def _files_complete_upload(self, body: JsonDict) -> JsonDict:
        entries = body.get("files")
        if not isinstance(entries, list) or not entries:
            raise ApiError("invalid_arguments", "[ERROR] missing required field: files")
        channel_id = body.get("channel_id")
        channel = self._joined(str(channel_id)) if channel_id else None
        uploads: list[tuple[StoredFile, str]] = []
        for entry in entries:
            pending = self._files.get(str(entry.get("id")) if isinstance(entry, dict) else "")
            if pending is None or pending.data is None or pending.completed:
                raise ApiError("file_not_found")
            uploads.append((pending, str(entry.get("title") or pending.name)))
        for pending, title in uploads:
            pending.title, pending.completed = title, True
            pending.channel = channel.id if channel else None
            pending.initial_comment = body.get("initial_comment")
        created = int(time.time())
        files = [f.to_api(self.bot_user_id, created) for f, _ in uploads]
        if channel is not None:
            share = self._bot_message({"text": str(body.get("initial_comment") or "")})
            share.update(files=files, upload=True)
            if body.get("thread_ts"):
                share["thread_ts"] = str(body["thread_ts"])
            channel.messages.append(share)
        return {"files": files}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # Slack does not refuse connections when many arrive at once

    def __init__(self, fake: FakeSlack) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake


class _Handler(BaseHTTPRequestHandler):
    """Thin HTTP adapter: all behaviour lives in ``FakeSlack._serve``."""

    def do_POST(self) -> None:
        self._respond("POST")

    def do_GET(self) -> None:
        self._respond("GET")

    def _respond(self, verb: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        fake = cast(_Server, self.server).fake
        status, extra, payload = fake._serve(verb, self.path, headers, raw)
        self.send_response(status)
        for name, value in extra.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: the fake records calls itself and test output should stay readable."""
