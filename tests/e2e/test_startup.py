"""Start-up tells the truth in one line: each misconfiguration stops `rex run` with exit code 2
and one line saying what to set, before anything is served or sent."""

import shutil
import socket
from pathlib import Path

import pytest

from bot import matching
from bot.cli.main import main
from bot.matching import lexicon
from bot.offline.fakeslack import FakeSlack
from bot.runtime.rex import build_runtime
from bot.settings import load_settings
from tests.support.http import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake(fake: FakeSlack) -> FakeSlack:
    """The fake Slack with a digest channel Rex is in, one it is not in, and a private one."""
    fake.add_channel("CDIGEST", "rex-digest", members=[fake.bot_user_id])
    fake.add_channel("CLOBBY", "lobby")  # Rex was never invited
    fake.add_channel("CSECRET", "managers", private=True)
    return fake


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fake: FakeSlack) -> pytest.MonkeyPatch:
    """A working configuration, run from a directory without a .env."""
    monkeypatch.chdir(tmp_path)
    for name in ("SLACK_APP_TOKEN", "REX_MANAGERS_CHANNEL", "REX_ROUND_CRON"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SLACK_BOT_TOKEN", fake.bot_token)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s3cr3t")
    monkeypatch.setenv("SLACK_API_URL", fake.api_url)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'rex.db'}")
    monkeypatch.setenv("REX_DIGEST_CHANNEL", "CDIGEST")
    monkeypatch.setenv("PORT", str(free_port()))
    return monkeypatch


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("SLACK_BOT_TOKEN", "", "rex: SLACK_BOT_TOKEN is not set: set it to your app's xoxb- bot "
         "token (`rex demo` plays the offline sandbox without one)"),
        ("SLACK_SIGNING_SECRET", " ", "rex: SLACK_SIGNING_SECRET is not set: copy it from your "
         "app's Basic Information page"),
        ("SLACK_BOT_TOKEN", "xoxb-wrong", "rex: SLACK_BOT_TOKEN was refused by Slack "
         "(invalid_auth): copy the Bot User OAuth Token (xoxb-) again from your app's OAuth & "
         "Permissions page, and reinstall the app if it was uninstalled"),
        ("DATABASE_URL", "mysql://rex@db/rex", "rex: DATABASE_URL: 'mysql' is not a database "
         "Rex speaks: use sqlite:///rex.db or postgresql://user:password@host:5432/rex"),
        ("SLACK_API_URL", "slack.com/api", "rex: SLACK_API_URL: 'slack.com/api' is not an "
         "http(s):// URL"),
        ("REX_ROUND_CRON", "0 8 * *", "rex: REX_ROUND_CRON: '0 8 * *' is not a crontab line: 5 "
         "fields (minute hour day month weekday), e.g. '0 8 * * mon'"),
        ("REX_DIGEST_CRON", "61 9 * * mon", "rex: REX_DIGEST_CRON: '61 9 * * mon' is not a "
         "crontab line: Error validating expression '61': the last value (61) is higher than "
         "the maximum value (59)"),
        ("REX_DIGEST_CHANNEL", "CLOBBY", "rex: REX_DIGEST_CHANNEL: Rex is not a member of "
         "#lobby (CLOBBY): type /invite @Rex in that channel"),
        ("REX_MANAGERS_CHANNEL", "CSECRET", "rex: REX_MANAGERS_CHANNEL: Slack does not show Rex "
         "channel CSECRET (channel_not_found): check the id, and type /invite @Rex in that "
         "channel (a private one hides itself until then)"),
    ],
)  # fmt: skip
def test_a_misconfiguration_stops_rex_run_with_one_line(
    env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    variable: str,
    value: str,
    said: str,
) -> None:
    env.setenv(variable, value)
    assert main(["run"]) == 2
    assert _one_line(capsys) == said


def test_a_wrong_token_is_refused_in_socket_mode_too(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env.setenv("SLACK_APP_TOKEN", "xapp-1-A1-1-abc")
    env.setenv("SLACK_BOT_TOKEN", "xoxb-revoked")
    assert main(["run"]) == 2
    assert _one_line(capsys).startswith("rex: SLACK_BOT_TOKEN was refused by Slack (invalid_auth)")


def test_a_refused_app_token_is_one_line(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env.setenv("SLACK_APP_TOKEN", "xapp-1-A1-1-revoked")
    assert main(["run"]) == 2
    assert _one_line(capsys) == (
        "rex: SLACK_APP_TOKEN was refused by Slack (invalid_auth): make an app-level token with "
        "connections:write on your app's Basic Information page"
    )


def test_a_database_that_does_not_answer_is_one_line(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env.setenv("DATABASE_URL", f"postgresql://rex:hunter2@127.0.0.1:{free_port()}/rex")
    assert main(["run"]) == 2
    line = _one_line(capsys)
    assert line.startswith("rex: DATABASE_URL: cannot use the database (")
    assert line.endswith("check the host, the credentials and that it runs")
    assert "hunter2" not in line
    assert main(["migrate"]) == 2
    assert _one_line(capsys).startswith("rex: DATABASE_URL: cannot use the database (")


def test_a_port_in_use_is_one_line(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env.setenv("PORT", str(port))
        assert main(["run"]) == 2
    assert _one_line(capsys) == f"rex: PORT: cannot listen on {port} (Address already in use)"


def test_rex_alone_shows_the_commands_and_fails(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([]) == 2
    assert "{run,demo,migrate,match,export}" in capsys.readouterr().err


def test_blank_variables_count_as_unset(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """.env.example copied as is: every blank line is unset, not an empty value."""
    env_file = tmp_path / ".env"
    shutil.copy(ROOT / ".env.example", env_file)
    for name in ("SLACK_APP_TOKEN", "SLACK_BOT_TOKEN", "REX_DIGEST_CHANNEL", "REX_ADMINS"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(_env_file=env_file)
    assert settings.slack_app_token is None and not settings.socket_mode
    assert settings.rex_digest_channel is None and settings.rex_admins == frozenset()
    monkeypatch.setenv("SLACK_APP_TOKEN", "")
    monkeypatch.setenv("DATABASE_URL", "")
    settings = load_settings(_env_file=None)
    assert not settings.socket_mode and settings.database_url == "sqlite:///rex.db"


def test_the_runtime_loads_the_vocabulary_before_the_first_request(
    env: pytest.MonkeyPatch,
) -> None:
    """A join is answered within Slack's 3 s: the vocabulary it reads is loaded at start,
    not inside the first request."""
    env.setattr(matching, "_current", None)
    rex = build_runtime(load_settings())
    try:
        assert matching._current is not None
        assert lexicon.word_frequency.cache_info().currsize > 0
    finally:
        rex.engine.dispose()
