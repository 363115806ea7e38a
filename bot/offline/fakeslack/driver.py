"""Send the bot signed requests shaped exactly as Slack's servers send them.

The driver reads the fake's state (open modal, stored message, App Home) to build payloads, so a
test exercises what the bot really rendered: a button it never posted cannot be clicked.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from bot.offline.fakeslack.blocks import element_state, find_element, view_state
from bot.offline.fakeslack.models import JsonDict
from bot.offline.fakeslack.server import FakeSlack

VERIFICATION_TOKEN = "fake-verification-token"
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"

StateValues = Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class Response:
    """The bot's HTTP answer; ``json`` is set when the body is a JSON object."""

    status: int
    body: str
    json: JsonDict | None = None
    response_url: str | None = None
    trigger_id: str | None = None


def _response(status: int, raw: bytes) -> Response:
    text = raw.decode("utf-8", errors="replace")
    try:
        parsed = json.loads(text) if text.lstrip().startswith("{") else None
    except ValueError:
        parsed = None
    return Response(status, text, parsed)


def _with_state(view: JsonDict, values: StateValues | None = None) -> JsonDict:
    return {**view, "state": {"values": view_state(view, values)}}


def _action(block: JsonDict, element: JsonDict, value: Any) -> JsonDict:
    """One ``actions[]`` entry: buttons carry their value, other elements their new state."""
    action: JsonDict = {
        "action_id": element["action_id"],
        "block_id": block["block_id"],
        "action_ts": f"{time.time():.6f}",
    }
    if element.get("type") == "button":
        action.update(type="button", text=element.get("text"))
        button_value = element.get("value") if value is None else value
        if button_value is not None:
            action["value"] = str(button_value)
    else:
        action.update(element_state(element, value, is_set=value is not None))
    return action


class SlackDriver:
    """Posts Events API, slash command and interactivity requests to the bot's endpoint."""

    def __init__(
        self,
        bot_url: str,
        signing_secret: str,
        fake: FakeSlack,
        team_id: str | None = None,
        *,
        timeout: float = 10.0,
    ) -> None:
        self.bot_url = bot_url
        self.signing_secret = signing_secret
        self.fake = fake
        self.team_id = team_id or fake.team_id
        self.timeout = timeout
        self._sign_with: str | None = None
        self._timestamp: int | None = None

    def tampered(
        self, *, sign_with: str | None = None, timestamp: int | None = None
    ) -> SlackDriver:
        """A copy that signs with another secret and/or a fixed (e.g. stale) timestamp."""
        other = copy.copy(self)
        other._sign_with, other._timestamp = sign_with, timestamp
        return other

    def signature_headers(self, body: bytes) -> dict[str, str]:
        """``X-Slack-Request-Timestamp`` and ``X-Slack-Signature`` (v0 HMAC-SHA256) for a body."""
        timestamp = str(self._timestamp if self._timestamp is not None else int(time.time()))
        secret = self._sign_with if self._sign_with is not None else self.signing_secret
        base = f"v0:{timestamp}:".encode() + body
        digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
        return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}"}

    # --- raw transport -------------------------------------------------------------------

    def post_raw(
        self,
        body: bytes,
        content_type: str = "application/json",
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """POST a signed body; ``headers`` win over the computed ones (to forge or drop them)."""
        request_headers = {
            "Content-Type": content_type,
            "User-Agent": USER_AGENT,
            **self.signature_headers(body),
            **(headers or {}),
        }
        request = Request(self.bot_url, data=body, headers=request_headers, method="POST")
        try:
            with urlopen(request, timeout=self.timeout) as answer:
                return _response(answer.status, answer.read())
        except HTTPError as error:
            return _response(error.code, error.read())

    def _post_form(self, fields: Mapping[str, str]) -> Response:
        return self.post_raw(urlencode(fields).encode(), FORM_CONTENT_TYPE)

    def _post_interaction(self, kind: str, user_id: str, fields: JsonDict) -> Response:
        """Interactivity requests are a form with one JSON ``payload`` field."""
        name = self._user_name(user_id)
        payload = {
            "type": kind,
            "team": {"id": self.team_id, "domain": self.fake.team_domain},
            "user": {"id": user_id, "username": name, "name": name, "team_id": self.team_id},
            "api_app_id": self.fake.app_id,
            "token": VERIFICATION_TOKEN,
            "is_enterprise_install": False,
            "enterprise": None,
            **fields,
        }
        return self._post_form({"payload": json.dumps(payload)})

    # --- lookups in the fake -------------------------------------------------------------

    def _user_name(self, user_id: str) -> str:
        return str((self.fake.user(user_id) or {}).get("name", user_id.lower()))

    def _channel_name(self, channel_id: str) -> str:
        channel = self.fake.channel(channel_id)
        if channel is None:
            return channel_id
        return "directmessage" if channel["is_im"] else str(channel["name"])

    def _open_view(self, user_id: str, view_id: str | None) -> JsonDict:
        if view_id is not None:
            return self.fake.views[view_id]
        view = self.fake.last_view(user_id)
        if view is None:
            raise LookupError(f"no modal is open for {user_id}")
        return view

    def _message(self, user_id: str, channel_id: str, ts: str) -> tuple[JsonDict, bool]:
        """A stored message (or one of the user's ephemerals) and whether it is ephemeral."""
        message = self.fake.find_message(channel_id, ts)
        if message is not None:
            return message, False
        for ephemeral in self.fake.ephemerals(user_id):
            if ephemeral["ts"] == ts and ephemeral["channel"] == channel_id:
                return ephemeral, True
        raise LookupError(f"no message {ts} in {channel_id} visible to {user_id}")

    def _surface_with(
        self, user_id: str, action_id: str, block_id: str | None, view_id: str | None
    ) -> JsonDict:
        """The view holding an action: the given one, else the open modal, else App Home."""
        if view_id is not None:
            return self.fake.views[view_id]
        for view in (self.fake.last_view(user_id), self.fake.home(user_id)):
            if view is not None and find_element(view["blocks"], action_id, block_id):
                return view
        raise LookupError(f"{action_id} is in neither the open modal nor App Home of {user_id}")

    # --- what Slack sends ----------------------------------------------------------------

    def command(
        self,
        user_id: str,
        text: str = "",
        command: str = "/rex",
        channel_id: str | None = None,
    ) -> Response:
        """A slash command (from the user's DM with the bot unless ``channel_id`` is given)."""
        channel_id = channel_id or self.fake.dm_channel(user_id)
        response_url = self.fake.new_response_url(user_id, channel_id)
        trigger_id = self.fake.new_trigger_id(user_id)
        fields = {
            "token": VERIFICATION_TOKEN,
            "team_id": self.team_id,
            "team_domain": self.fake.team_domain,
            "channel_id": channel_id,
            "channel_name": self._channel_name(channel_id),
            "user_id": user_id,
            "user_name": self._user_name(user_id),
            "command": command,
            "text": text,
            "api_app_id": self.fake.app_id,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
        answer = self._post_form(fields)
        return replace(answer, response_url=response_url, trigger_id=trigger_id)

    def submit_view(
        self, user_id: str, values: StateValues | None = None, view_id: str | None = None
    ) -> Response:
        """Submit the user's open modal with ``values={block_id: {action_id: value}}``.

        Values are given plainly (text, option value, list of option values, date string, user
        ids...) and converted to the element's state shape; untouched inputs report their
        initial value or Slack's empty value. The bot's ack is then applied to the fake's modal
        stack (close, errors, update, push, clear) as Slack would.
        """
        view = self._open_view(user_id, view_id)
        trigger_id = self.fake.new_trigger_id(user_id)
        fields = {"trigger_id": trigger_id, "view": _with_state(view, values), "response_urls": []}
        answer = self._post_interaction("view_submission", user_id, fields)
        if answer.status == 200:
            self.fake.apply_view_ack(view["id"], answer.json)
        return replace(answer, trigger_id=trigger_id)

    def click(
        self,
        user_id: str,
        action_id: str,
        value: Any = None,
        block_id: str | None = None,
        channel_id: str | None = None,
        message_ts: str | None = None,
        view_id: str | None = None,
    ) -> Response:
        """A ``block_actions`` click on a message (``message_ts``) or a view (modal/App Home).

        Without ``message_ts`` or ``view_id`` the open modal, then App Home, is searched.
        ``value`` overrides a button's value; for selects and pickers it is the new selection.
        """
        trigger_id = self.fake.new_trigger_id(user_id)
        fields: JsonDict = {"trigger_id": trigger_id}
        response_url = None
        if message_ts is not None:
            channel_id = channel_id or self.fake.dm_channel(user_id)
            message, ephemeral = self._message(user_id, channel_id, message_ts)
            blocks = message.get("blocks", [])
            response_url = self.fake.new_response_url(user_id, channel_id, message_ts)
            fields.update(
                container={
                    "type": "message",
                    "message_ts": message_ts,
                    "channel_id": channel_id,
                    "is_ephemeral": ephemeral,
                },
                channel={"id": channel_id, "name": self._channel_name(channel_id)},
                state={"values": {}},
                response_url=response_url,
            )
            if not ephemeral:
                fields["message"] = message
        else:
            view = self._surface_with(user_id, action_id, block_id, view_id)
            blocks = view["blocks"]
            fields.update(container={"type": "view", "view_id": view["id"]}, view=_with_state(view))
        found = find_element(blocks, action_id, block_id)
        if found is None:
            raise LookupError(f"no element {action_id} (block {block_id}) on that surface")
        fields["actions"] = [_action(*found, value)]
        answer = self._post_interaction("block_actions", user_id, fields)
        return replace(answer, response_url=response_url, trigger_id=trigger_id)

    def options(
        self,
        user_id: str,
        action_id: str,
        value: str,
        block_id: str | None = None,
        view_id: str | None = None,
    ) -> Response:
        """A ``block_suggestion`` request for an external select of the open modal."""
        view = self._open_view(user_id, view_id)
        found = find_element(view["blocks"], action_id, block_id)
        if found is None:
            raise LookupError(f"view {view['id']} has no element {action_id}")
        fields = {
            "container": {"type": "view", "view_id": view["id"]},
            "action_id": action_id,
            "block_id": found[0]["block_id"],
            "value": value,
            "view": _with_state(view),
        }
        return self._post_interaction("block_suggestion", user_id, fields)

    def event(
        self,
        event: JsonDict,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
    ) -> Response:
        """An Events API ``event_callback``; ``retry_num`` adds Slack's retry headers."""
        envelope = {
            "token": VERIFICATION_TOKEN,
            "team_id": self.team_id,
            "api_app_id": self.fake.app_id,
            "event": {"event_ts": f"{time.time():.6f}", **event},
            "type": "event_callback",
            "event_id": event_id or "Ev" + secrets.token_hex(5).upper(),
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": self.team_id,
                    "user_id": self.fake.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": "4-" + secrets.token_hex(12),
        }
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
        return self.post_raw(json.dumps(envelope).encode(), "application/json", headers)
