"""The fake Slack's Web API behaves like Slack's for an unmodified slack_sdk client: answers,
errors, limits, views, files, hooks, injected faults and recorded calls."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from bot.offline.fakeslack import FakeSlack
from tests.support.blockkit import (
    JsonDict,
    modal,
    plain_text,
    section,
    slack_error,
)


def _raw_post(url: str, body: bytes, content_type: str, headers: dict[str, str]) -> JsonDict:
    request = Request(url, data=body, headers={"Content-Type": content_type, **headers})
    with urlopen(request, timeout=5) as answer:
        result: JsonDict = json.loads(answer.read())
        return result


# --- Web API -------------------------------------------------------------------------------


def test_auth_test_reports_the_bot_identity(client: WebClient) -> None:
    result = client.auth_test()
    assert (result["user_id"], result["bot_id"], result["team_id"]) == ("UREXBOT", "B0REX", "T0REX")
    assert result["url"] == "https://rex.slack.com/"


def test_bad_or_missing_token_is_rejected(fake: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as wrong:
        WebClient(token="xoxb-wrong", base_url=fake.api_url).auth_test()
    assert slack_error(wrong) == "invalid_auth"
    answer = _raw_post(fake.api_url + "auth.test", b"", "application/x-www-form-urlencoded", {})
    assert answer == {"ok": False, "error": "not_authed"}
    form_token = _raw_post(
        fake.api_url + "auth.test", b"token=xoxb-test", "application/x-www-form-urlencoded", {}
    )
    assert form_token["ok"] is True


def test_unknown_method(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("reactions.add", params={"name": "tada"})
    assert slack_error(excinfo) == "unknown_method"


def test_users_info_honours_include_locale(client: WebClient) -> None:
    user = client.users_info(user="U1", include_locale=True)["user"]
    assert (user["name"], user["real_name"], user["tz"]) == ("alice", "Alice A", "America/New_York")
    assert user["locale"] == "en-US"
    assert user["tz_offset"] in (-5 * 3600, -4 * 3600)
    assert "locale" not in client.users_info(user="U1")["user"]
    with pytest.raises(SlackApiError) as excinfo:
        client.users_info(user="U404")
    assert slack_error(excinfo) == "user_not_found"


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
    assert slack_error(excinfo) == "too_many_users"
    with pytest.raises(SlackApiError) as unknown:
        client.conversations_open(users="U1,U404")
    assert slack_error(unknown) == "user_not_found"


def test_post_message_and_history_with_metadata(fake: FakeSlack, client: WebClient) -> None:
    metadata = {"event_type": "exchange_proposed", "event_payload": {"exchange_id": 7}}
    first = client.chat_postMessage(channel="U1", text="one", metadata=metadata)
    second = client.chat_postMessage(channel=first["channel"], text="two", blocks=[section(1)])
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
    assert slack_error(missing) == "channel_not_found"
    with pytest.raises(SlackApiError) as empty:
        client.api_call("chat.postMessage", json={"channel": "C1"})
    assert slack_error(empty) == "no_text"
    with pytest.raises(SlackApiError) as bad_metadata:
        client.chat_postMessage(channel="C1", text="x", metadata={"event_type": "x"})
    assert slack_error(bad_metadata) == "invalid_metadata_format"


def test_form_body_with_json_encoded_fields(fake: FakeSlack) -> None:
    body = urlencode({"channel": "C1", "text": "x", "blocks": json.dumps([section(1)])})
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
    fifty = [section(n) for n in range(50)]
    assert client.chat_postMessage(channel="C1", text="x", blocks=fifty)["ok"]
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C1", text="x", blocks=[*fifty, section(50)])
    assert slack_error(excinfo) == "invalid_blocks"


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
        client.chat_postMessage(channel="C1", text="x", blocks=[section(0), block])
    assert slack_error(posted) == "invalid_blocks"
    assert limit in str(posted.value.response["response_metadata"])
    assert "/blocks/1/" in str(posted.value.response["response_metadata"])
    with pytest.raises(SlackApiError) as published:
        client.views_publish(user_id="U1", view={"type": "home", "blocks": [block]})
    assert slack_error(published) == "invalid_arguments"


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
    hundred = [section(n) for n in range(100)]
    assert client.views_open(trigger_id=fake.new_trigger_id("U1"), view=modal(hundred))["ok"]
    with pytest.raises(SlackApiError) as opened:
        client.views_open(trigger_id=fake.new_trigger_id("U1"), view=modal([*hundred, section(0)]))
    assert slack_error(opened) == "invalid_arguments"
    with pytest.raises(SlackApiError) as published:
        client.views_publish(user_id="U1", view={"type": "home", "blocks": [*hundred, section(0)]})
    assert slack_error(published) == "invalid_arguments"
    with pytest.raises(SlackApiError) as long_title:
        client.views_open(
            trigger_id=fake.new_trigger_id("U1"), view=modal([], title=plain_text("x" * 25))
        )
    assert "less than 25 characters" in str(long_title.value.response["response_metadata"])


def test_trigger_id_is_single_use_and_expires(fake: FakeSlack, client: WebClient) -> None:
    trigger = fake.new_trigger_id("U1")
    assert client.views_open(trigger_id=trigger, view=modal([section(1)]))["ok"]
    with pytest.raises(SlackApiError) as reused:
        client.views_open(trigger_id=trigger, view=modal([section(1)]))
    assert slack_error(reused) == "invalid_trigger_id"
    with pytest.raises(SlackApiError) as unknown:
        client.views_open(trigger_id="123.456.abc", view=modal([section(1)]))
    assert slack_error(unknown) == "invalid_trigger_id"
    fake.trigger_ttl = 0.2  # checked when the trigger is used: shortened for this test only
    stale = fake.new_trigger_id("U1")
    time.sleep(0.25)
    with pytest.raises(SlackApiError) as expired:
        client.views_open(trigger_id=stale, view=modal([section(1)]))
    assert slack_error(expired) == "expired_trigger_id"


def test_views_push_update_and_stack(fake: FakeSlack, client: WebClient) -> None:
    root = client.views_open(
        trigger_id=fake.new_trigger_id("U1"), view=modal([section(1)], external_id="ext-1")
    )["view"]
    pushed = client.views_push(trigger_id=fake.new_trigger_id("U1"), view=modal([section(2)]))
    pushed_view = pushed["view"]
    assert pushed_view["root_view_id"] == root["id"]
    assert pushed_view["previous_view_id"] == root["id"]
    last = fake.last_view("U1")
    assert last is not None and last["id"] == pushed_view["id"]

    updated = client.views_update(external_id="ext-1", view=modal([section(3)]))["view"]
    assert updated["id"] == root["id"] and updated["hash"] != root["hash"]
    assert fake.views[root["id"]]["blocks"][0]["text"]["text"] == "block 3"
    with pytest.raises(SlackApiError) as conflict:
        client.views_update(view_id=root["id"], hash=root["hash"], view=modal([section(4)]))
    assert slack_error(conflict) == "hash_conflict"
    with pytest.raises(SlackApiError) as missing:
        client.views_update(view_id="V404", view=modal([section(4)]))
    assert slack_error(missing) == "not_found"


def test_views_publish_keeps_one_home_per_user(fake: FakeSlack, client: WebClient) -> None:
    first = client.views_publish(user_id="U1", view={"type": "home", "blocks": [section(1)]})
    second = client.views_publish(user_id="U1", view={"type": "home", "blocks": [section(2)]})
    assert first["view"]["id"] == second["view"]["id"]
    home = fake.home("U1")
    assert home is not None and home["blocks"][0]["text"]["text"] == "block 2"
    assert fake.home("U2") is None
    with pytest.raises(SlackApiError) as not_home:
        client.views_publish(user_id="U1", view=modal([section(1)]))
    assert slack_error(not_home) == "invalid_arguments"


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
        assert slack_error(excinfo) == "ratelimited"
    assert client.users_info(user="U1")["ok"] is True


def test_injected_500_and_error_codes(fake: FakeSlack, client: WebClient) -> None:
    fake.inject("auth.test", status=500)
    with pytest.raises(SlackApiError) as server_error:
        client.auth_test()
    assert server_error.value.response.status_code == 500
    fake.inject("auth.test", error="account_inactive")
    with pytest.raises(SlackApiError) as inactive:
        client.auth_test()
    assert (
        inactive.value.response.status_code == 200 and slack_error(inactive) == "account_inactive"
    )
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
    posted = client.chat_postMessage(channel="C1", text="v1", blocks=[section(1)])
    updated = client.chat_update(channel="C1", ts=posted["ts"], text="v2")
    assert updated["message"]["text"] == "v2" and updated["message"]["blocks"]  # blocks kept
    cleared = client.chat_update(channel="C1", ts=posted["ts"], text="v3", blocks=[])
    assert "blocks" not in cleared["message"]
    client.chat_delete(channel="C1", ts=posted["ts"])
    assert fake.messages("C1") == []
    with pytest.raises(SlackApiError) as gone:
        client.chat_update(channel="C1", ts=posted["ts"], text="v4")
    assert slack_error(gone) == "message_not_found"


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
