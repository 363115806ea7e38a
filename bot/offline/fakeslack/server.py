"""A local fake of Slack's Web API, speaking the real wire format.

Tests and the offline demo point an unmodified ``slack_sdk.WebClient`` at it
(``base_url=fake.api_url``). It keeps the workspace state Slack would keep (messages, DMs, modal
stacks, App Home tabs, files, response_url posts), enforces the limits that bite in production
(block counts, single-use trigger ids, group DM size, channel membership: with chat:write
only, a bot posts in a channel only once invited) and can inject rate limits, outages and a
token Slack no longer takes.

`FakeSlack` is a `workspace.Workspace` served over HTTP; this module is the wire alone:
routing, tokens, injected faults and rate limits, and the record of every call. Each Web
API family is a module of its own (`users`, `conversations`, `chat`, `views`, `files`;
`hooks` for response_url posts).
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, cast
from urllib.parse import urlsplit

from bot.offline.fakeslack import chat, conversations, files, users, views
from bot.offline.fakeslack.hooks import apply_hook
from bot.offline.fakeslack.models import ApiError, Call, Fault, HookPost, JsonDict
from bot.offline.fakeslack.rules import parse_api_body
from bot.offline.fakeslack.workspace import WebMethod, Workspace

# Methods called with the app-level token (xapp-), not the bot token.
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})
RATE_WINDOW_SECONDS = 60.0

HttpReply = tuple[int, dict[str, str], bytes]
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


class FakeSlack(Workspace):
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
        super().__init__(
            bot_token,
            app_token,
            team_id,
            bot_user_id,
            bot_id=bot_id,
            app_id=app_id,
            team_name=team_name,
            team_domain=team_domain,
            trigger_ttl=trigger_ttl,
        )
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self._calls: list[Call] = []
        self._faults: dict[str, list[Fault]] = {}
        self._token_error: str | None = None
        self._rate_limits: dict[str, tuple[int, deque[float]]] = {}
        self._methods: dict[str, WebMethod] = {
            **users.METHODS,
            **conversations.METHODS,
            **chat.METHODS,
            **views.METHODS,
            **files.METHODS,
        }

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

    def refuse_token(self, error: str | None) -> None:
        """From now on every Web API call answers `error` (`invalid_auth`, `token_revoked`,
        `account_inactive`...) as Slack does for a token it no longer takes; None: it takes
        it again."""
        with self.lock:
            self._token_error = error

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
        with self.lock:
            self._faults.setdefault(method, []).append(Fault(status, retry_after, error, times))

    def clear_faults(self) -> None:
        with self.lock:
            self._faults.clear()

    def rate_limit(self, method: str, per_minute: int | None) -> None:
        """Answer 429 past ``per_minute`` calls of ``method`` in a sliding minute; None: off."""
        with self.lock:
            if per_minute is None:
                self._rate_limits.pop(method, None)
            else:
                self._rate_limits[method] = (per_minute, deque())

    # --- calls -----------------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        with self.lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def reset_calls(self) -> None:
        with self.lock:
            self._calls.clear()

    def apply_view_ack(self, view_id: str, ack: JsonDict | None) -> None:
        """Do what Slack does with a view_submission ack: close, update, push, clear, or keep."""
        with self.lock:
            if view_id not in self.view_owners:
                raise KeyError(f"unknown view {view_id}")
            owner = self.view_owners[view_id]
            stack = self.stacks.setdefault(owner, [])
            action = (ack or {}).get("response_action")
            try:
                if action == "update":
                    views.update_view(self, {"view_id": view_id, "view": (ack or {}).get("view")})
                elif action == "push":
                    self.push_view(owner, (ack or {}).get("view"))
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
        with self.lock:
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
            return {"ok": True, **handler(self, body)}
        except ApiError as error:
            return error.to_json()

    def _upload(self, file_id: str, raw: bytes) -> HttpReply:
        with self.lock:
            pending = self.uploads.get(file_id)
            if pending is None or pending.completed:
                return _text_reply(404, "not_found")
            pending.data = raw
        return _text_reply(200, f"OK - {len(raw)}")

    def _hook(self, hook_id: str, raw: bytes) -> HttpReply:
        with self.lock:
            hook = self.hooks.get(hook_id)
            if hook is None:
                return _text_reply(404, "no_service")
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
            if not isinstance(body, dict):
                return _text_reply(400, "invalid_payload")
            self.hook_post_log.append(
                HookPost(f"{self.base_url}hooks/{hook_id}", body, time.time())
            )
            try:
                apply_hook(self, hook, body)
            except ApiError as error:
                return _text_reply(400, error.error)
        return _text_reply(200, "ok")


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
