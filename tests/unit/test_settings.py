"""Settings: typed, read once, and a missing or swapped token is one clear line."""

from pathlib import Path

import pytest
from slack_sdk import WebClient
from sqlalchemy import create_engine

from bot import matching
from bot.cli.main import main
from bot.matching.vocabulary.loading import default_vocabulary
from bot.runtime.rex import build_runtime
from bot.settings import SettingsError, load_settings


def test_defaults_and_parsing() -> None:
    settings = load_settings(_env_file=None, rex_admins=" U1, U2 ,", slack_api_url="http://x/api")
    assert settings.rex_admins == frozenset({"U1", "U2"})
    assert settings.slack_api_url == "http://x/api/"
    assert settings.database_url == "sqlite:///rex.db"
    assert settings.rex_followup_days == 7


def test_environment_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REX_ADMINS", "UA,UB")
    monkeypatch.setenv("REX_FOLLOWUP_DAYS", "3")
    settings = load_settings(_env_file=None)
    assert settings.rex_admins == frozenset({"UA", "UB"}) and settings.rex_followup_days == 3


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"slack_signing_secret": "s"}, "SLACK_BOT_TOKEN is not set"),
        ({"slack_bot_token": "xapp-1-x", "slack_signing_secret": "s"}, "app-level token"),
        ({"slack_bot_token": "xoxb-1"}, "SLACK_SIGNING_SECRET is not set"),
        ({"slack_bot_token": "xoxb-1", "slack_app_token": "xoxb-2"}, "SLACK_APP_TOKEN holds a bot"),
        ({"slack_bot_token": "xoxp-1", "slack_signing_secret": "s"}, "must be a bot token"),
    ],
)
def test_missing_or_swapped_tokens_fail_fast(values: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings(_env_file=None, **values).check()


def test_bad_values_become_one_line_errors() -> None:
    with pytest.raises(SettingsError, match=r"REX_TIMEZONE: .*Europe/Paris"):
        load_settings(_env_file=None, rex_timezone="Mars/Olympus")
    with pytest.raises(SettingsError, match="REX_FOLLOWUP_DAYS"):
        load_settings(_env_file=None, rex_followup_days=0)


def test_rex_run_with_a_swapped_token_prints_one_line_and_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir("/")  # no .env here
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xapp-1-secret-value")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    assert main(["run"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "rex: SLACK_BOT_TOKEN holds an app-level token (xapp-...): put the xoxb- bot token "
        "there and the xapp- token in SLACK_APP_TOKEN"
    ]
    assert "secret-value" not in "".join(err)


def test_a_vocabulary_folder_extends_matching_at_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """REX_VOCABULARY_DIR: the managers' own aliases are read when Rex starts."""
    (tmp_path / "skill_aliases.csv").write_text(
        "canonical,category,aliases\nzorblax,tool,zbx|le zorblax\n", encoding="utf-8"
    )
    monkeypatch.setenv("REX_VOCABULARY_DIR", str(tmp_path))
    try:
        build_runtime(
            load_settings(), WebClient(token="xoxb-test"), engine=create_engine("sqlite://")
        )
        assert matching.is_match("Zorblax", "ZBX")
    finally:
        matching.use_vocabulary(default_vocabulary())
    assert not matching.is_match("Zorblax", "ZBX")


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({}, "has no skill_aliases.csv nor skill_parts.csv"),
        ({"skill_parts.csv": "skill,part,standalone\nzorblax,gizmo,yes\n"}, "not in the alias"),
    ],
)
def test_a_bad_vocabulary_folder_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], expected: str
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.setenv("REX_VOCABULARY_DIR", str(tmp_path))
    with pytest.raises(SettingsError) as raised:
        build_runtime(
            load_settings(), WebClient(token="xoxb-test"), engine=create_engine("sqlite://")
        )
    message = str(raised.value)
    assert message.startswith("REX_VOCABULARY_DIR: ") and "\n" not in message
    assert expected in message
    monkeypatch.setenv("REX_VOCABULARY_DIR", str(tmp_path / "missing"))
    with pytest.raises(SettingsError, match="is not a folder"):
        load_settings()
