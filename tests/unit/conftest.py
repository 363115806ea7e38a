"""Fixtures of the tests that need no database: a running fake Slack with two people and a
channel, and a Web API client on it that does not retry (so each answer is seen)."""

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from bot.offline.fakeslack import FakeSlack


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
