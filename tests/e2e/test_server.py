"""The real entry points: `rex run` in HTTP mode, `rex migrate`, and the health check."""

import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from slack_bolt import App
from slack_sdk import WebClient

from bot.offline.fakeslack import FakeSlack, SlackDriver
from bot.runtime.rex import build_runtime
from bot.serve.server import wsgi_app
from bot.settings import load_settings
from storage.db import is_current, make_engine
from tests.support.http import free_port, get
from tests.support.processes import clean_env

SECRET = "s3cr3t-signing-value"


@pytest.fixture
def fake(fake: FakeSlack) -> FakeSlack:
    """The fake Slack with one person, who types `/rex help`."""
    fake.add_user("U1", "ada")
    return fake


def test_rex_run_serves_slack_and_healthz_over_http(fake: FakeSlack, tmp_path: Path) -> None:
    port = free_port()
    env = clean_env(
        DATABASE_URL=f"sqlite:///{tmp_path}/rex.db",
        SLACK_BOT_TOKEN=fake.bot_token,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.api_url,
        PORT=str(port),
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        status = 0
        while time.monotonic() < deadline and status != 200:
            try:
                status, body = get(f"http://127.0.0.1:{port}/healthz")
            except OSError:
                time.sleep(0.2)
        assert status == 200 and body == b"ok"
        answer = SlackDriver(f"http://127.0.0.1:{port}/slack/events", SECRET, fake).command(
            "U1", "help"
        )
        assert answer.status == 200
        deadline = time.monotonic() + 10
        while not fake.hook_posts(answer.response_url) and time.monotonic() < deadline:
            time.sleep(0.05)
        [post] = fake.hook_posts(answer.response_url)
        assert "/rex join" in str(post.body)
        assert get(f"http://127.0.0.1:{port}/nowhere")[0] == 404
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=15)
    assert "rex.start mode=http" in err
    assert fake.bot_token not in err and SECRET not in err


def test_rex_migrate_brings_the_database_to_head(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "migrate"],
        cwd=tmp_path,
        env=clean_env(DATABASE_URL=f"sqlite:///{tmp_path}/rex.db"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert is_current(make_engine(f"sqlite:///{tmp_path}/rex.db"))


def test_healthz_is_503_when_the_database_does_not_answer(tmp_path: Path) -> None:
    settings = load_settings(
        _env_file=None,
        slack_bot_token="xoxb-1",
        slack_signing_secret="s",
        database_url=f"sqlite:///{tmp_path}/missing/dir/rex.db",
    )
    rex = build_runtime(settings, WebClient(token="xoxb-1"))
    app = App(client=rex.client, signing_secret="s", token_verification_enabled=False)
    started: list[str] = []

    def start_response(status: str, _headers: list[Any]) -> None:
        started.append(status)

    body = wsgi_app(app, rex)({"PATH_INFO": "/healthz", "REQUEST_METHOD": "GET"}, start_response)
    assert started == ["503 Service Unavailable"] and list(body) == [b"database unavailable"]
