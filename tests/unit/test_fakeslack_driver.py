"""The fake Slack's driver sends what Slack would send (signed commands, view submissions,
clicks, options, events), and bolt runs on the fake end to end."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest
from slack_bolt import Ack, App, BoltRequest, Respond, Say
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from bot.offline.fakeslack import FakeSlack, SlackDriver
from tests.support.blockkit import (
    JsonDict,
    input_block,
    modal,
    options,
    plain_text,
    section,
)

SECRET = "test-signing-secret"


class _Recorder:
    """A stand-in bot endpoint recording what the driver sends and answering a canned reply."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.reply = ""
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                recorder.requests.append((dict(self.headers.items()), raw))
                body = recorder.reply.encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                """Keep test output quiet."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/slack/events"

    def payload(self, index: int = -1) -> JsonDict:
        form = parse_qs(self.requests[index][1].decode())
        result: JsonDict = json.loads(form["payload"][0])
        return result


@pytest.fixture
def bot() -> Iterator[_Recorder]:
    recorder = _Recorder()
    yield recorder
    recorder.server.shutdown()
    recorder.server.server_close()


@pytest.fixture
def driver(bot: _Recorder, fake: FakeSlack) -> SlackDriver:
    return SlackDriver(bot.url, SECRET, fake)


def test_driver_signs_like_slack(bot: _Recorder, driver: SlackDriver) -> None:
    verifier = SignatureVerifier(SECRET)
    driver.event({"type": "app_home_opened", "user": "U1", "tab": "home"})
    driver.tampered(sign_with="not-the-secret").event({"type": "app_home_opened"})
    driver.tampered(timestamp=int(time.time()) - 600).event({"type": "app_home_opened"})
    valid, wrong_secret, stale = bot.requests
    assert verifier.is_valid_request(valid[1], valid[0])
    assert not verifier.is_valid_request(wrong_secret[1], wrong_secret[0])
    assert not verifier.is_valid_request(stale[1], stale[0])


def test_command_payload_has_every_slack_field(
    bot: _Recorder, driver: SlackDriver, fake: FakeSlack
) -> None:
    bot.reply = '{"text": "working on it"}'
    answer = driver.command("U1", "offer python", channel_id="C1")
    headers, raw = bot.requests[0]
    form = {k: v[0] for k, v in parse_qs(raw.decode(), keep_blank_values=True).items()}
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert form["command"] == "/rex" and form["text"] == "offer python"
    assert (form["user_id"], form["user_name"], form["channel_name"]) == ("U1", "alice", "general")
    assert (form["team_id"], form["team_domain"], form["api_app_id"]) == ("T0REX", "rex", "A0REX")
    assert form["response_url"] == answer.response_url and form["trigger_id"] == answer.trigger_id
    assert {"token", "channel_id", "is_enterprise_install"} <= form.keys()
    assert answer.status == 200 and answer.json == {"text": "working on it"}
    WebhookClient(form["response_url"]).send(text="done")
    assert [e["text"] for e in fake.ephemerals("U1")] == ["done"]


def _rich_modal() -> JsonDict:
    return modal(
        [
            input_block("name", {"type": "plain_text_input", "action_id": "v"}),
            input_block(
                "skills", {"type": "checkboxes", "action_id": "v", "options": options("a", "b")}
            ),
            input_block(
                "level", {"type": "static_select", "action_id": "v", "options": options("jr")}
            ),
            input_block(
                "mode", {"type": "radio_buttons", "action_id": "v", "options": options("remote")}
            ),
            input_block(
                "years", {"type": "number_input", "action_id": "v", "is_decimal_allowed": False}
            ),
            input_block("start", {"type": "datepicker", "action_id": "v"}),
            input_block("at", {"type": "timepicker", "action_id": "v"}),
            input_block("peers", {"type": "multi_users_select", "action_id": "v"}),
            input_block("topic", {"type": "external_select", "action_id": "v"}),
            input_block("bio", {"type": "plain_text_input", "action_id": "v"}),
            input_block(
                "nick", {"type": "plain_text_input", "action_id": "v", "initial_value": "adi"}
            ),
        ],
        callback_id="offer",
        private_metadata='{"draft": 3}',
    )


def test_submit_view_builds_slack_state_shapes(
    bot: _Recorder, driver: SlackDriver, fake: FakeSlack, client: WebClient
) -> None:
    opened = client.views_open(trigger_id=fake.new_trigger_id("U1"), view=_rich_modal())["view"]
    values: dict[str, dict[str, Any]] = {
        "name": {"v": "Ada"},
        "skills": {"v": ["a", "b"]},
        "level": {"v": "jr"},
        "mode": {"v": "remote"},
        "years": {"v": 5},
        "start": {"v": "2024-05-01"},
        "at": {"v": "09:30"},
        "peers": {"v": ["U1", "U2"]},
        "topic": {"v": "python"},
    }
    answer = driver.submit_view("U1", values)
    payload = bot.payload()
    state = payload["view"]["state"]["values"]
    assert payload["type"] == "view_submission" and payload["user"]["id"] == "U1"
    assert payload["view"]["id"] == opened["id"] and payload["view"]["hash"] == opened["hash"]
    assert payload["view"]["callback_id"] == "offer"
    assert payload["view"]["private_metadata"] == '{"draft": 3}'
    assert state["name"]["v"] == {"type": "plain_text_input", "value": "Ada"}
    assert [o["value"] for o in state["skills"]["v"]["selected_options"]] == ["a", "b"]
    assert state["level"]["v"]["selected_option"] == {"text": plain_text("Jr"), "value": "jr"}
    assert state["mode"]["v"]["selected_option"]["value"] == "remote"
    assert state["years"]["v"] == {"type": "number_input", "value": "5"}
    assert state["start"]["v"]["selected_date"] == "2024-05-01"
    assert state["at"]["v"]["selected_time"] == "09:30"
    assert state["peers"]["v"]["selected_users"] == ["U1", "U2"]
    assert state["topic"]["v"]["selected_option"]["value"] == "python"
    assert state["bio"]["v"] == {"type": "plain_text_input", "value": None}
    assert state["nick"]["v"] == {"type": "plain_text_input", "value": "adi"}
    assert answer.trigger_id == payload["trigger_id"]
    assert fake.last_view("U1") is None  # an empty ack closes the modal


def test_submit_view_keeps_modal_on_errors_and_rejects_typos(
    bot: _Recorder, driver: SlackDriver, fake: FakeSlack, client: WebClient
) -> None:
    client.views_open(trigger_id=fake.new_trigger_id("U1"), view=_rich_modal())
    bot.reply = json.dumps({"response_action": "errors", "errors": {"name": "Required"}})
    answer = driver.submit_view("U1", {"name": {"v": ""}})
    assert answer.json == {"response_action": "errors", "errors": {"name": "Required"}}
    assert fake.last_view("U1") is not None
    with pytest.raises(ValueError, match="no option"):
        driver.submit_view("U1", {"level": {"v": "principal"}})
    with pytest.raises(KeyError):
        driver.submit_view("U1", {"nmae": {"v": "Ada"}})
    bot.reply = json.dumps({"response_action": "update", "view": modal([section(9)])})
    driver.submit_view("U1")
    last = fake.last_view("U1")
    assert last is not None and last["blocks"][0]["text"]["text"] == "block 9"


def test_click_on_a_message_button(bot: _Recorder, driver: SlackDriver, client: WebClient) -> None:
    button = {"type": "button", "action_id": "accept", "text": plain_text("Accept"), "value": "x7"}
    posted = client.chat_postMessage(
        channel="U1", text="offer", blocks=[{"type": "actions", "elements": [button]}]
    )
    answer = driver.click("U1", "accept", message_ts=posted["ts"])
    payload = bot.payload()
    action = payload["actions"][0]
    assert payload["type"] == "block_actions"
    assert payload["container"] == {
        "type": "message",
        "message_ts": posted["ts"],
        "channel_id": posted["channel"],
        "is_ephemeral": False,
    }
    assert (
        payload["message"]["ts"] == posted["ts"] and payload["channel"]["id"] == posted["channel"]
    )
    assert (action["type"], action["action_id"], action["value"]) == ("button", "accept", "x7")
    assert action["block_id"] == posted["message"]["blocks"][0]["block_id"]
    assert payload["response_url"] == answer.response_url
    with pytest.raises(LookupError):
        driver.click("U1", "decline", message_ts=posted["ts"])


def test_click_and_options_in_a_view(
    bot: _Recorder, driver: SlackDriver, fake: FakeSlack, client: WebClient
) -> None:
    select = {"type": "static_select", "action_id": "pick", "options": options("a", "b")}
    client.views_publish(
        user_id="U1", view={"type": "home", "blocks": [{"type": "actions", "elements": [select]}]}
    )
    driver.click("U1", "pick", value="b")
    clicked = bot.payload()
    assert clicked["container"]["view_id"] == clicked["view"]["id"]
    assert clicked["view"]["type"] == "home"
    assert clicked["actions"][0]["selected_option"]["value"] == "b"

    topic = {"type": "external_select", "action_id": "topic", "min_query_length": 1}
    client.views_open(trigger_id=clicked["trigger_id"], view=modal([input_block("t", topic)]))
    bot.reply = json.dumps({"options": options("python")})
    answer = driver.options("U1", "topic", "pyt")
    suggestion = bot.payload()
    assert suggestion["type"] == "block_suggestion"
    assert (suggestion["action_id"], suggestion["block_id"], suggestion["value"]) == (
        "topic",
        "t",
        "pyt",
    )
    assert answer.json == {"options": options("python")}


def test_event_envelope_and_retry_headers(bot: _Recorder, driver: SlackDriver) -> None:
    driver.event({"type": "message", "channel_type": "im", "user": "U1", "text": "hi"})
    driver.event({"type": "message", "text": "hi"}, event_id="Ev1", retry_num=1)
    first_headers, first_raw = bot.requests[0]
    envelope = json.loads(first_raw)
    assert envelope["type"] == "event_callback" and envelope["event"]["text"] == "hi"
    assert envelope["authorizations"][0]["user_id"] == "UREXBOT"
    assert {"token", "team_id", "api_app_id", "event_id", "event_time"} <= envelope.keys()
    assert "X-Slack-Retry-Num" not in first_headers
    retry_headers, retry_raw = bot.requests[1]
    assert json.loads(retry_raw)["event_id"] == "Ev1"
    assert retry_headers["X-Slack-Retry-Num"] == "1"
    assert retry_headers["X-Slack-Retry-Reason"] == "http_timeout"


# --- end to end with bolt ------------------------------------------------------------------


def test_bolt_app_round_trip(fake: FakeSlack) -> None:
    app = App(
        signing_secret=SECRET,
        client=WebClient(token=fake.bot_token, base_url=fake.api_url),
        process_before_response=True,
    )

    @app.command("/rex")
    def open_modal(ack: Ack, body: JsonDict, client: WebClient) -> None:
        ack()
        client.views_open(
            trigger_id=body["trigger_id"],
            view=modal(
                [input_block("name", {"type": "plain_text_input", "action_id": "v"})],
                callback_id="profile",
            ),
        )

    @app.view("profile")
    def save(ack: Ack, view: JsonDict, body: JsonDict, say: Say, client: WebClient) -> None:
        ack()
        name = view["state"]["values"]["name"]["v"]["value"]
        client.chat_postMessage(channel=body["user"]["id"], text=f"saved {name}")

    @app.event("app_mention")
    def mention(event: JsonDict, say: Say) -> None:
        say("hello")

    @app.command("/rexping")
    def ping(ack: Ack, respond: Respond) -> None:
        ack()
        respond("pong")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers["Content-Length"]))
            request = BoltRequest(body=raw.decode(), headers=dict(self.headers.items()))
            result = app.dispatch(request)
            body = result.body.encode()
            self.send_response(result.status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        driver = SlackDriver(
            f"http://127.0.0.1:{server.server_address[1]}/slack/events", SECRET, fake
        )
        assert driver.command("U1", "").status == 200
        assert fake.last_view("U1") is not None
        assert driver.submit_view("U1", {"name": {"v": "Ada"}}).status == 200
        assert fake.last_view("U1") is None
        assert fake.messages(fake.dm_channel("U1"))[-1]["text"] == "saved Ada"

        assert driver.event({"type": "app_mention", "user": "U1", "channel": "C1"}).status == 200
        assert fake.messages("C1")[-1]["text"] == "hello"
        pinged = driver.command("U2", "", command="/rexping")
        assert [p.body["text"] for p in fake.hook_posts(pinged.response_url)] == ["pong"]

        assert driver.tampered(sign_with="wrong").command("U1", "").status == 401
        stale = driver.tampered(timestamp=int(time.time()) - 600)
        assert stale.event({"type": "app_mention", "user": "U1", "channel": "C1"}).status == 401
    finally:
        server.shutdown()
        server.server_close()
