"""The App Home tab: published when opened (and, by other listeners, after every change)."""

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from handlers.context import language_of, rex_of, session_of
from handlers.home_tab import publish_home, refresh_from_slack


def register(app: App) -> None:
    app.event("app_home_opened")(on_home_opened)


def on_home_opened(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    if event.get("tab", "home") != "home":
        return
    session = session_of(context)
    refresh_from_slack(session, rex_of(context), client, event["user"])
    publish_home(session, client, event["user"], language_of(context))
