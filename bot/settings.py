"""Rex's settings: read once from the environment (and `.env`), typed, failing fast."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SLACK_API_URL = "https://slack.com/api/"


class SettingsError(Exception):
    """A setting is missing or wrong; the message says in one line what to set."""


class Settings(BaseSettings):
    """Every knob Rex has. Nothing else in the code reads `os.environ`."""

    # a blank variable (`SLACK_APP_TOKEN=` as .env.example has it) counts as unset
    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", populate_by_name=True, env_ignore_empty=True
    )

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = SLACK_API_URL
    database_url: str = "sqlite:///rex.db"
    port: int = Field(default=3000, ge=1, le=65535)
    rex_digest_channel: str | None = None
    rex_admins: Annotated[frozenset[str], NoDecode] = frozenset()
    rex_timezone: str = "UTC"
    rex_language: Literal["en", "fr"] = "en"
    rex_followup_days: int = Field(default=7, ge=1, le=90)
    rex_intro_nudge_days: int = Field(default=3, ge=1, le=60)
    rex_intro_expire_days: int = Field(default=14, ge=2, le=120)
    rex_reminder_hours: int = Field(default=24, ge=1, le=336)
    rex_managers_channel: str | None = None
    rex_workspace_admins_are_admins: bool = False
    rex_teacher_capacity: int = Field(default=2, ge=1, le=20)
    rex_learner_capacity: int = Field(default=1, ge=1, le=20)
    rex_cooldown_days: int = Field(default=90, ge=0, le=3650)
    rex_round_cron: str = "0 8 * * mon"
    rex_digest_cron: str = "0 9 * * mon"
    rex_sweep_seconds: int = Field(default=30, ge=1, le=3600)
    rex_delivery_lease_seconds: int = Field(default=30, ge=1, le=86400)
    rex_pacing_factor: float = Field(default=1.0, gt=0, le=100_000)
    # a folder with the community managers' own skill_aliases.csv and/or skill_parts.csv
    rex_vocabulary_dir: Path | None = None
    # where the learning records' IRIs live; else under the workspace's URL
    rex_public_url: str | None = None
    rex_retention_days: int = Field(default=90, ge=1, le=3650)
    rex_log_format: Literal["text", "json"] = "text"

    @field_validator(
        "slack_bot_token",
        "slack_signing_secret",
        "slack_app_token",
        "rex_digest_channel",
        "rex_managers_channel",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("rex_round_cron", "rex_digest_cron")
    @classmethod
    def _crontab(cls, value: str) -> str:
        cron_trigger(value, UTC)
        return value

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
            raise ValueError(
                f"{value.split(':', 1)[0]!r} is not a database Rex speaks: use "
                "sqlite:///rex.db or postgresql://user:password@host:5432/rex"
            )
        return value

    @field_validator("rex_admins", mode="before")
    @classmethod
    def _split_admins(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError(f"{value!r} is not an http(s):// URL")
        return value if value.endswith("/") else value + "/"

    @field_validator("rex_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            hint = "use an IANA name such as Europe/Paris"
            raise ValueError(f"unknown timezone {value!r} ({hint})") from exc
        return value

    @field_validator("rex_public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError(f"{value!r} is not an http(s):// URL")
        return value

    @field_validator("rex_vocabulary_dir")
    @classmethod
    def _vocabulary_folder(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_dir():
            raise ValueError(f"{value} is not a folder (it holds skill_aliases.csv, ...)")
        return value

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.rex_timezone)

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None

    def bot_token(self) -> str:
        """The bot token, checked: a missing or swapped token is a one-line error."""
        token = _secret(self.slack_bot_token)
        if not token:
            raise SettingsError(
                "SLACK_BOT_TOKEN is not set: set it to your app's xoxb- bot token "
                "(`rex demo` plays the offline sandbox without one)"
            )
        if token.startswith("xapp-"):
            raise SettingsError(
                "SLACK_BOT_TOKEN holds an app-level token (xapp-...): put the xoxb- bot token "
                "there and the xapp- token in SLACK_APP_TOKEN"
            )
        if not token.startswith("xoxb-"):
            raise SettingsError("SLACK_BOT_TOKEN must be a bot token starting with xoxb-")
        return token

    def app_token(self) -> str:
        token = _secret(self.slack_app_token)
        if token.startswith("xoxb-"):
            raise SettingsError(
                "SLACK_APP_TOKEN holds a bot token (xoxb-...): put the xapp- app-level token "
                "there and the xoxb- token in SLACK_BOT_TOKEN"
            )
        if not token.startswith("xapp-"):
            raise SettingsError("SLACK_APP_TOKEN must be an app-level token starting with xapp-")
        return token

    def signing_secret(self) -> str:
        secret = _secret(self.slack_signing_secret)
        if not secret:
            raise SettingsError(
                "SLACK_SIGNING_SECRET is not set: copy it from your app's Basic Information page"
            )
        if secret.startswith(("xoxb-", "xapp-")):
            raise SettingsError("SLACK_SIGNING_SECRET holds a token: set it to the signing secret")
        return secret

    def check(self) -> None:
        """Fail fast, before anything starts, on what the chosen mode needs."""
        self.bot_token()
        if self.socket_mode:
            self.app_token()
        else:
            self.signing_secret()


def _secret(value: SecretStr | None) -> str:
    return value.get_secret_value().strip() if value is not None else ""


def load_settings(**overrides: object) -> Settings:
    """Read the settings once; a malformed value becomes a one-line `SettingsError`."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"{name}: {message}") from exc


# Crontab lines as APScheduler triggers: the usual five fields, or six with seconds first
# (`*/10 * * * * *`), which only tests and benchmarks need to make minutes pass quickly.
FIELDS = ("second", "minute", "hour", "day", "month", "day_of_week")


def cron_trigger(expression: str, tz: tzinfo) -> CronTrigger:
    """The trigger of a crontab line; ValueError (saying why) when it is not one."""
    fields = expression.split()
    if len(fields) == 5:
        fields = ["0", *fields]
    if len(fields) != 6:
        raise ValueError(
            f"{expression!r} is not a crontab line: 5 fields (minute hour day month weekday), "
            "e.g. '0 8 * * mon'"
        )
    try:
        return CronTrigger(**dict(zip(FIELDS, fields, strict=True)), timezone=tz)
    except ValueError as exc:
        raise ValueError(f"{expression!r} is not a crontab line: {exc}") from exc


def next_after(trigger: CronTrigger, moment: datetime) -> datetime:
    """The trigger's first time strictly after `moment`."""
    following: datetime | None = trigger.get_next_fire_time(
        None, moment + timedelta(microseconds=1)
    )
    if following is None:  # a crontab always has a next time; a trigger with an end may not
        raise ValueError("this schedule has no next time")
    return following
