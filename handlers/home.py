"""The App Home tab."""

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot import members
from handlers import blocks
from handlers.context import language_of, session_of


def register(app: App) -> None:
    app.event("app_home_opened")(on_home_opened)


def on_home_opened(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    if event.get("tab", "home") != "home":
        return
    slack_id = event["user"]
    profile = members.profile(session_of(context), slack_id=slack_id)
    client.views_publish(user_id=slack_id, view=blocks.home_view(profile, language_of(context)))
