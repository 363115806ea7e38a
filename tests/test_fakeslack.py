"""The fake Slack must behave like Slack for an unmodified slack_sdk client and for bolt."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode
from urllib.request import Request, urlopen

import pytest
from slack_bolt import Ack, App, BoltRequest, Respond, Say
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from bot.offline.fakeslack import FakeSlack, SlackDriver

SECRET = "test-signing-secret"
JsonDict = dict[str, Any]


def _text(text: str) -> JsonDict:
    return {"type": "plain_text", "text": text}


def _section(n: int) -> JsonDict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": f"block {n}"}}


def _input(block_id: str, element: JsonDict) -> JsonDict:
    return {"type": "input", "block_id": block_id, "label": _text(block_id), "element": element}


def _options(*values: str) -> list[JsonDict]:
    return [{"text": _text(v.title()), "value": v} for v in values]


def _modal(blocks: list[JsonDict], **extra: Any) -> JsonDict:
    return {
        "type": "modal",
        "title": _text("Rex"),
        "submit": _text("Save"),
        "blocks": blocks,
        **extra,
    }


def _error(excinfo: pytest.ExceptionInfo[SlackApiError]) -> str:
    return str(excinfo.value.response["error"])


def _raw_post(url: str, body: bytes, content_type: str, headers: dict[str, str]) -> JsonDict:
    request = Request(url, data=body, headers={"Content-Type": content_type, **headers})
    with urlopen(request, timeout=5) as answer:
        result: JsonDict = json.loads(answer.read())
        return result


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        server.add_user("U1", "alice", real_name="Alice A", tz="America/New_York", locale="en-US")
        server.add_user("U2", "bob")
        server.add_channel("C1", "general", members=[server.bot_user_id])
        yield server


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token=fake.bot_token, base_url=fake.api_url, retry_handlers=[])


# --- Web API -------------------------------------------------------------------------------


def test_auth_test_reports_the_bot_identity(client: WebClient) -> None:
    result = client.auth_test()
    assert (result["user_id"], result["bot_id"], result["team_id"]) == ("UREXBOT", "B0REX", "T0REX")
    assert result["url"] == "https://rex.slack.com/"


def test_bad_or_missing_token_is_rejected(fake: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as wrong:
        WebClient(token="xoxb-wrong", base_url=fake.api_url).auth_test()
    assert _error(wrong) == "invalid_auth"
    answer = _raw_post(fake.api_url + "auth.test", b"", "application/x-www-form-urlencoded", {})
    assert answer == {"ok": False, "error": "not_authed"}
    form_token = _raw_post(
        fake.api_url + "auth.test", b"token=xoxb-test", "application/x-www-form-urlencoded", {}
    )
    assert form_token["ok"] is True


def test_unknown_method(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("reactions.add", params={"name": "tada"})
    assert _error(excinfo) == "unknown_method"


def test_users_info_honours_include_locale(client: WebClient) -> None:
    user = client.users_info(user="U1", include_locale=True)["user"]
    assert (user["name"], user["real_name"], user["tz"]) == ("alice", "Alice A", "America/New_York")
    assert user["locale"] == "en-US"
    assert user["tz_offset"] in (-5 * 3600, -4 * 3600)
    assert "locale" not in client.users_info(user="U1")["user"]
    with pytest.raises(SlackApiError) as excinfo:
        client.users_info(user="U404")
    assert _error(excinfo) == "user_not_found"


def test_conversations_open_dm_and_group_dm_limit(fake: FakeSlack, client: WebClient) -> None:
    for n in range(3, 11):
        fake.add_user(f"U{n}", f"user{n}")
    dm = client.conversations_open(users="U1", return_im=True)["channel"]
    assert dm["id"].startswith("D") and dm["is_im"] and dm["user"] == "U1"
    assert dm["id"] == fake.dm_channel("U1")

    group = client.conversations_open(users=["U1", "U2", "U3"])
    again = client.conversations_open(users="U3,U1,U2")
    assert group["channel"]["id"].startswith("G")
    assert again["channel"]["id"] == group["channel"]["id"] and again["already_open"] is True
    assert fake.mpim_members(group["channel"]["id"]) == ["U1", "U2", "U3"]

    eight = [f"U{n}" for n in range(1, 9)]
    assert client.conversations_open(users=eight)["ok"] is True
    with pytest.raises(SlackApiError) as excinfo:
        client.conversations_open(users=[*eight, "U9"])
    assert _error(excinfo) == "too_many_users"
    with pytest.raises(SlackApiError) as unknown:
        client.conversations_open(users="U1,U404")
    assert _error(unknown) == "user_not_found"


def test_post_message_and_history_with_metadata(fake: FakeSlack, client: WebClient) -> None:
    metadata = {"event_type": "exchange_proposed", "event_payload": {"exchange_id": 7}}
    first = client.chat_postMessage(channel="U1", text="one", metadata=metadata)
    second = client.chat_postMessage(channel=first["channel"], text="two", blocks=[_section(1)])
    assert first["channel"] == fake.dm_channel("U1")
    assert float(second["ts"]) > float(first["ts"])

    plain = client.conversations_history(channel=first["channel"])
    assert [m["text"] for m in plain["messages"]] == ["two", "one"]
    assert all("metadata" not in m for m in plain["messages"])
    limited = client.conversations_history(
        channel=first["channel"], limit=1, include_all_metadata=True
    )
    assert [m["text"] for m in limited["messages"]] == ["two"] and limited["has_more"] is True
    older = client.conversations_history(
        channel=first["channel"],
        cursor=limited["response_metadata"]["next_cursor"],
        include_all_metadata=True,
    )
    assert older["messages"][0]["metadata"] == metadata
    stored = fake.messages(first["channel"])
    assert [m["text"] for m in stored] == ["one", "two"]
    assert stored[1]["blocks"][0]["block_id"]  # Slack fills in missing block ids
    assert stored[0]["bot_id"] == "B0REX" and stored[0]["user"] == "UREXBOT"


def test_post_message_errors(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as missing:
        client.chat_postMessage(channel="C404", text="hi")
    assert _error(missing) == "channel_not_found"
    with pytest.raises(SlackApiError) as empty:
        client.api_call("chat.postMessage", json={"channel": "C1"})
    assert _error(empty) == "no_text"
    with pytest.raises(SlackApiError) as bad_metadata:
        client.chat_postMessage(channel="C1", text="x", metadata={"event_type": "x"})
    assert _error(bad_metadata) == "invalid_metadata_format"


def test_form_body_with_json_encoded_fields(fake: FakeSlack) -> None:
    body = urlencode({"channel": "C1", "text": "x", "blocks": json.dumps([_section(1)])})
    answer = _raw_post(
        fake.api_url + "chat.postMessage",
        body.encode(),
        "application/x-www-form-urlencoded",
        {"Authorization": "Bearer xoxb-test"},
    )
    assert answer["ok"] is True
    assert answer["message"]["blocks"][0]["text"]["text"] == "block 1"
    assert fake.calls_to("chat.postMessage")[0].body["blocks"][0]["type"] == "section"


def test_message_block_limit_is_50(client: WebClient) -> None:
    fifty = [_section(n) for n in range(50)]
    assert client.chat_postMessage(channel="C1", text="x", blocks=fifty)["ok"]
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C1", text="x", blocks=[*fifty, _section(50)])
    assert _error(excinfo) == "invalid_blocks"


@pytest.mark.parametrize(
    ("block", "limit"),
    [
        ({"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}, "3001 characters"),
        (
            {"type": "section", "fields": [{"type": "mrkdwn", "text": "x"}] * 11},
            "no more than 10 items",
        ),
        (
            {"type": "section", "fields": [{"type": "mrkdwn", "text": "x" * 2001}]},
            "2001 characters",
        ),
        ({"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}, "151 characters"),
        (
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "x"}] * 11},
            "no more than 10 items",
        ),
    ],
)
def test_block_text_limits(
    fake: FakeSlack, client: WebClient, block: dict[str, Any], limit: str
) -> None:
    with pytest.raises(SlackApiError) as posted:
        client.chat_postMessage(channel="C1", text="x", blocks=[_section(0), block])
    assert _error(posted) == "invalid_blocks"
    assert limit in str(posted.value.response["response_metadata"])
    assert "/blocks/1/" in str(posted.value.response["response_metadata"])
    with pytest.raises(SlackApiError) as published:
        client.views_publish(user_id="U1", view={"type": "home", "blocks": [block]})
    assert _error(published) == "invalid_arguments"


def test_blocks_at_their_limits_are_accepted(client: WebClient) -> None:
    at_limits: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "x" * 150}},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "x" * 3000},
            "fields": [{"type": "mrkdwn", "text": "x" * 2000}] * 10,
        },
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "x"}] * 10},
    ]
    assert client.chat_postMessage(channel="C1", text="x", blocks=at_limits)["ok"]


def test_view_block_limit_is_100(fake: FakeSlack, client: WebClient) -> None:
    hundred = [_section(n) for n in range(100)]
    assert client.views_open(trigger_id=fake.new_trigger_id("U1"), view=_modal(hundred))["ok"]
    with pytest.raises(SlackApiError) as opened:
        client.views_open(
            trigger_id=fake.new_trigger_id("U1"), view=_modal([*hundred, _section(0)])
        )
    assert _error(opened) == "invalid_arguments"
    with pytest.raises(SlackApiError) as published:
        client.views_publish(user_id="U1", view={"type": "home", "blocks": [*hundred, _section(0)]})
    assert _error(published) == "invalid_arguments"
    with pytest.raises(SlackApiError) as long_title:
        client.views_open(
            trigger_id=fake.new_trigger_id("U1"), view=_modal([], title=_text("x" * 25))
        )
    assert "less than 25 characters" in str(long_title.value.response["response_metadata"])


def test_trigger_id_is_single_use_and_expires(fake: FakeSlack, client: WebClient) -> None:
    trigger = fake.new_trigger_id("U1")
    assert client.views_open(trigger_id=trigger, view=_modal([_section(1)]))["ok"]
    with pytest.raises(SlackApiError) as reused:
        client.views_open(trigger_id=trigger, view=_modal([_section(1)]))
    assert _error(reused) == "invalid_trigger_id"
    with pytest.raises(SlackApiError) as unknown:
        client.views_open(trigger_id="123.456.abc", view=_modal([_section(1)]))
    assert _error(unknown) == "invalid_trigger_id"
    fake.trigger_ttl = 0.2  # checked when the trigger is used: shortened for this test only
    stale = fake.new_trigger_id("U1")
    time.sleep(0.25)
    with pytest.raises(SlackApiError) as expired:
        client.views_open(trigger_id=stale, view=_modal([_section(1)]))
    assert _error(expired) == "expired_trigger_id"


def test_views_push_update_and_stack(fake: FakeSlack, client: WebClient) -> None:
    root = client.views_open(
        trigger_id=fake.new_trigger_id("U1"), view=_modal([_section(1)], external_id="ext-1")
    )["view"]
    pushed = client.views_push(trigger_id=fake.new_trigger_id("U1"), view=_modal([_section(2)]))
    pushed_view = pushed["view"]
    assert pushed_view["root_view_id"] == root["id"]
    assert pushed_view["previous_view_id"] == root["id"]
    last = fake.last_view("U1")
    assert last is not None and last["id"] == pushed_view["id"]

    updated = client.views_update(external_id="ext-1", view=_modal([_section(3)]))["view"]
    assert updated["id"] == root["id"] and updated["hash"] != root["hash"]
    assert fake.views[root["id"]]["blocks"][0]["text"]["text"] == "block 3"
    with pytest.raises(SlackApiError) as conflict:
        client.views_update(view_id=root["id"], hash=root["hash"], view=_modal([_section(4)]))
    assert _error(conflict) == "hash_conflict"
    with pytest.raises(SlackApiError) as missing:
        client.views_update(view_id="V404", view=_modal([_section(4)]))
    assert _error(missing) == "not_found"


def test_views_publish_keeps_one_home_per_user(fake: FakeSlack, client: WebClient) -> None:
    first = client.views_publish(user_id="U1", view={"type": "home", "blocks": [_section(1)]})
    second = client.views_publish(user_id="U1", view={"type": "home", "blocks": [_section(2)]})
    assert first["view"]["id"] == second["view"]["id"]
    home = fake.home("U1")
    assert home is not None and home["blocks"][0]["text"]["text"] == "block 2"
    assert fake.home("U2") is None
    with pytest.raises(SlackApiError) as modal:
        client.views_publish(user_id="U1", view=_modal([_section(1)]))
    assert _error(modal) == "invalid_arguments"


def test_file_upload_flow(fake: FakeSlack, client: WebClient) -> None:
    result = client.files_upload_v2(
        channel="C1", content=b"a,b\n1,2\n", filename="report.csv", title="Report"
    )
    file_id = result["file"]["id"]
    stored = fake.files[file_id]
    assert (stored.name, stored.title, stored.data, stored.channel) == (
        "report.csv",
        "Report",
        b"a,b\n1,2\n",
        "C1",
    )
    assert fake.messages("C1")[-1]["files"][0]["id"] == file_id
    assert [c.method for c in fake.calls] == [
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
    ]


def test_response_url_hook_records_and_routes_posts(fake: FakeSlack) -> None:
    url = fake.new_response_url(user_id="U1", channel_id="C1")
    hook = WebhookClient(url)
    assert hook.send(text="only you", response_type="ephemeral").body == "ok"
    assert hook.send(text="everyone", response_type="in_channel").status_code == 200
    assert [p.body["text"] for p in fake.hook_posts(url)] == ["only you", "everyone"]
    assert [e["text"] for e in fake.ephemerals("U1")] == ["only you"]
    assert fake.messages("C1")[-1]["text"] == "everyone"

    ts = fake.messages("C1")[-1]["ts"]
    origin = WebhookClient(fake.new_response_url("U1", "C1", ts))
    assert origin.send(text="edited", replace_original=True).status_code == 200
    replaced = fake.find_message("C1", ts)
    assert replaced is not None and replaced["text"] == "edited" and len(fake.messages("C1")) == 1
    assert origin.send(delete_original=True).status_code == 200
    assert fake.messages("C1") == []
    assert WebhookClient(fake.base_url + "hooks/nope").send(text="x").status_code == 404


def test_injected_429_is_recovered_by_retry_handler(fake: FakeSlack) -> None:
    fake.inject("chat.postMessage", status=429, retry_after=0)
    retrying = WebClient(
        token=fake.bot_token,
        base_url=fake.api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    assert retrying.chat_postMessage(channel="C1", text="eventually")["ok"] is True
    calls = fake.calls_to("chat.postMessage")
    assert [(c.status, c.faulted) for c in calls] == [(429, True), (200, False)]
    assert calls[0].response == {"ok": False, "error": "ratelimited"}
    assert len(fake.messages("C1")) == 1


def test_injected_429_carries_retry_after(fake: FakeSlack, client: WebClient) -> None:
    fake.inject("users.info", status=429, retry_after=7, times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as excinfo:
            client.users_info(user="U1")
        assert excinfo.value.response.status_code == 429
        assert excinfo.value.response.headers["Retry-After"] == "7"
        assert _error(excinfo) == "ratelimited"
    assert client.users_info(user="U1")["ok"] is True


def test_injected_500_and_error_codes(fake: FakeSlack, client: WebClient) -> None:
    fake.inject("auth.test", status=500)
    with pytest.raises(SlackApiError) as server_error:
        client.auth_test()
    assert server_error.value.response.status_code == 500
    fake.inject("auth.test", error="account_inactive")
    with pytest.raises(SlackApiError) as inactive:
        client.auth_test()
    assert inactive.value.response.status_code == 200 and _error(inactive) == "account_inactive"
    fake.inject("auth.test", error="account_inactive", times=5)
    fake.clear_faults()
    assert client.auth_test()["ok"] is True


def test_rate_limiter_answers_429_past_the_budget(fake: FakeSlack, client: WebClient) -> None:
    fake.rate_limit("conversations.info", per_minute=2)
    client.conversations_info(channel="C1")
    client.conversations_info(channel="C1")
    with pytest.raises(SlackApiError) as excinfo:
        client.conversations_info(channel="C1")
    assert excinfo.value.response.status_code == 429
    assert 1 <= int(excinfo.value.response.headers["Retry-After"]) <= 60
    fake.rate_limit("conversations.info", per_minute=None)
    assert client.conversations_info(channel="C1")["channel"]["name"] == "general"


def test_ephemeral_update_and_delete(fake: FakeSlack, client: WebClient) -> None:
    assert client.chat_postEphemeral(channel="C1", user="U2", text="psst")["message_ts"]
    assert [e["text"] for e in fake.ephemerals("U2")] == ["psst"]
    posted = client.chat_postMessage(channel="C1", text="v1", blocks=[_section(1)])
    updated = client.chat_update(channel="C1", ts=posted["ts"], text="v2")
    assert updated["message"]["text"] == "v2" and updated["message"]["blocks"]  # blocks kept
    cleared = client.chat_update(channel="C1", ts=posted["ts"], text="v3", blocks=[])
    assert "blocks" not in cleared["message"]
    client.chat_delete(channel="C1", ts=posted["ts"])
    assert fake.messages("C1") == []
    with pytest.raises(SlackApiError) as gone:
        client.chat_update(channel="C1", ts=posted["ts"], text="v4")
    assert _error(gone) == "message_not_found"


def test_calls_are_recorded_with_headers(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="C1", text="hello")
    client.auth_test()
    call = fake.calls_to("chat.postMessage")[0]
    assert call.body == {"channel": "C1", "text": "hello"}
    assert call.headers["authorization"] == "Bearer xoxb-test"
    assert call.response["ok"] is True and call.at <= time.time()
    assert [c.method for c in fake.calls] == ["chat.postMessage", "auth.test"]
    fake.reset_calls()
    assert fake.calls == []


# --- driver --------------------------------------------------------------------------------


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
    return _modal(
        [
            _input("name", {"type": "plain_text_input", "action_id": "v"}),
            _input(
                "skills", {"type": "checkboxes", "action_id": "v", "options": _options("a", "b")}
            ),
            _input("level", {"type": "static_select", "action_id": "v", "options": _options("jr")}),
            _input(
                "mode", {"type": "radio_buttons", "action_id": "v", "options": _options("remote")}
            ),
            _input(
                "years", {"type": "number_input", "action_id": "v", "is_decimal_allowed": False}
            ),
            _input("start", {"type": "datepicker", "action_id": "v"}),
            _input("at", {"type": "timepicker", "action_id": "v"}),
            _input("peers", {"type": "multi_users_select", "action_id": "v"}),
            _input("topic", {"type": "external_select", "action_id": "v"}),
            _input("bio", {"type": "plain_text_input", "action_id": "v"}),
            _input("nick", {"type": "plain_text_input", "action_id": "v", "initial_value": "adi"}),
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
    assert state["level"]["v"]["selected_option"] == {"text": _text("Jr"), "value": "jr"}
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
    bot.reply = json.dumps({"response_action": "update", "view": _modal([_section(9)])})
    driver.submit_view("U1")
    last = fake.last_view("U1")
    assert last is not None and last["blocks"][0]["text"]["text"] == "block 9"


def test_click_on_a_message_button(bot: _Recorder, driver: SlackDriver, client: WebClient) -> None:
    button = {"type": "button", "action_id": "accept", "text": _text("Accept"), "value": "x7"}
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
    select = {"type": "static_select", "action_id": "pick", "options": _options("a", "b")}
    client.views_publish(
        user_id="U1", view={"type": "home", "blocks": [{"type": "actions", "elements": [select]}]}
    )
    driver.click("U1", "pick", value="b")
    clicked = bot.payload()
    assert clicked["container"]["view_id"] == clicked["view"]["id"]
    assert clicked["view"]["type"] == "home"
    assert clicked["actions"][0]["selected_option"]["value"] == "b"

    topic = {"type": "external_select", "action_id": "topic", "min_query_length": 1}
    client.views_open(trigger_id=clicked["trigger_id"], view=_modal([_input("t", topic)]))
    bot.reply = json.dumps({"options": _options("python")})
    answer = driver.options("U1", "topic", "pyt")
    suggestion = bot.payload()
    assert suggestion["type"] == "block_suggestion"
    assert (suggestion["action_id"], suggestion["block_id"], suggestion["value"]) == (
        "topic",
        "t",
        "pyt",
    )
    assert answer.json == {"options": _options("python")}


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
            view=_modal(
                [_input("name", {"type": "plain_text_input", "action_id": "v"})],
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
