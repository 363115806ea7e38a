"""What `rex run` checks before it serves anyone, each failure one line that says what to do:
the database answers and is migrated, Slack takes the bot token, and Rex is a member of the
channels it posts to."""

import logging

from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from bot.runtime.rex import Rex
from bot.settings import SettingsError
from storage.db import make_engine, migrate

log = logging.getLogger("rex")


def _first_line(exc: BaseException) -> str:
    cause = getattr(exc, "orig", None) or exc
    text = str(cause).strip().splitlines()
    return (text[0] if text else type(cause).__name__)[:200]


def open_database(url: str) -> Engine:
    """The migrated database (under a lock: replicas starting together are safe), or one
    line saying why not."""
    try:
        engine = make_engine(url)
        migrate(engine)
        return engine
    except (DBAPIError, ArgumentError, NoSuchModuleError, OSError) as exc:
        raise SettingsError(
            f"DATABASE_URL: cannot use the database ({_first_line(exc)}); check the host, "
            "the credentials and that it runs"
        ) from exc


def check_slack(rex: Rex) -> None:
    """auth.test: a token Slack refuses stops Rex here rather than at the first intro."""
    try:
        rex.client.auth_test()
    except SlackApiError as exc:
        error = exc.response.get("error", "unknown")
        raise SettingsError(
            f"SLACK_BOT_TOKEN was refused by Slack ({error}): copy the Bot User OAuth Token "
            "(xoxb-) again from your app's OAuth & Permissions page, and reinstall the app if "
            "it was uninstalled"
        ) from exc
    except OSError as exc:
        raise SettingsError(
            f"SLACK_API_URL: cannot reach Slack at {rex.settings.slack_api_url} "
            f"({_first_line(exc)})"
        ) from exc


def check_app_token(rex: Rex) -> None:
    """Socket Mode: Slack must take the app-level token (apps.connections.open)."""
    try:
        rex.client.apps_connections_open(app_token=rex.settings.app_token())
    except SlackApiError as exc:
        error = exc.response.get("error", "unknown")
        raise SettingsError(
            f"SLACK_APP_TOKEN was refused by Slack ({error}): make an app-level token with "
            "connections:write on your app's Basic Information page"
        ) from exc


def check_channels(rex: Rex) -> None:
    """Rex must be in the channels it posts to (with chat:write only, Slack refuses a post
    to a channel the bot was not invited to)."""
    settings = rex.settings
    for variable, channel in (
        ("REX_DIGEST_CHANNEL", settings.rex_digest_channel),
        ("REX_MANAGERS_CHANNEL", settings.rex_managers_channel),
    ):
        if not channel:
            continue
        try:
            found = rex.client.conversations_info(channel=channel)["channel"]
        except SlackApiError as exc:
            error = exc.response.get("error", "unknown")
            if error == "missing_scope":
                log.warning(
                    "startup.channel_unchecked variable=%s channel=%s: add the channels:read "
                    "and groups:read scopes so Rex can check it is a member",
                    variable,
                    channel,
                )
                continue
            raise SettingsError(
                f"{variable}: Slack does not show Rex channel {channel} ({error}): check the "
                "id, and type /invite @Rex in that channel (a private one hides itself until "
                "then)"
            ) from exc
        if not found.get("is_member"):
            raise SettingsError(
                f"{variable}: Rex is not a member of #{found.get('name', channel)} ({channel}): "
                "type /invite @Rex in that channel"
            )
