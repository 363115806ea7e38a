"""Who is who: auth.test, apps.connections.open (the app-level token) and users.info."""

from __future__ import annotations

import copy

from bot.offline.fakeslack.models import (
    JsonDict,
)
from bot.offline.fakeslack.rules import (
    flag,
    required,
)
from bot.offline.fakeslack.workspace import WebMethod, Workspace


def auth_test(ws: Workspace, _body: JsonDict) -> JsonDict:
    return {
        "url": f"https://{ws.team_domain}.slack.com/",
        "team": ws.team_name,
        "user": ws.users_by_id[ws.bot_user_id]["name"],
        "team_id": ws.team_id,
        "user_id": ws.bot_user_id,
        "bot_id": ws.bot_id,
        "is_enterprise_install": False,
    }


def connections_open(ws: Workspace, _body: JsonDict) -> JsonDict:
    """A Socket Mode URL (this fake serves no WebSocket: enough to check the token)."""
    return {"url": f"ws://127.0.0.1:{ws.base_url.rsplit(':', 1)[1].rstrip('/')}/link"}


def user_info(ws: Workspace, body: JsonDict) -> JsonDict:
    user_id = required(body, "user")
    user = copy.deepcopy(ws.known_user(user_id))
    if flag(body.get("include_locale")):
        user["locale"] = ws.locales[user_id]
    return {"user": user}


METHODS: dict[str, WebMethod] = {
    "auth.test": auth_test,
    "apps.connections.open": connections_open,
    "users.info": user_info,
}
