"""Fixtures of the tests that need no database: a running fake Slack with two people and a
channel, and a Web API client on it that does not retry (so each answer is seen)."""

import pytest
from slack_sdk import WebClient

from bot.offline.fakeslack import FakeSlack


@pytest.fixture
def fake(fake: FakeSlack) -> FakeSlack:
    """The fake Slack with Alice (New York, en-US), Bob, and #general with Rex in it."""
    fake.add_user("U1", "alice", real_name="Alice A", tz="America/New_York", locale="en-US")
    fake.add_user("U2", "bob")
    fake.add_channel("C1", "general", members=[fake.bot_user_id])
    return fake


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token=fake.bot_token, base_url=fake.api_url, retry_handlers=[])
