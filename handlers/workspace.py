"""Slack's own lifecycle: people's accounts (deactivated, changed, new) and the app's
(uninstalled, tokens revoked). Events are acknowledged by Bolt before these run."""

import logging
from typing import Any

from slack_bolt import App, BoltContext

from bot import accounts, members
from handlers.context import rex_of, session_of, slack_profile
from handlers.outbox import delivery

log = logging.getLogger("rex.workspace")
# Events about the workspace rather than from a person to Rex: no language to work out.
WORKSPACE_EVENTS = frozenset({"user_change", "team_join", "app_uninstalled", "tokens_revoked"})


def register(app: App) -> None:
    app.event("user_change")(on_user_change)
    app.event("team_join")(on_team_join)
    app.event("app_uninstalled")(on_app_gone)
    app.event("tokens_revoked")(on_app_gone)


def on_user_change(event: dict[str, Any], context: BoltContext) -> None:
    """A deactivated account leaves the pool at once (its exchanges close kindly for the
    others); any other change refreshes what Rex keeps of a member's timezone and locale."""
    user = event.get("user") or {}
    slack_id = user.get("id")
    if not isinstance(slack_id, str):
        return
    session, rex = session_of(context), rex_of(context)
    if user.get("deleted"):
        closed = accounts.deactivated(session, slack_id=slack_id, now=rex.clock())
        session.commit()
        log.info("member.deactivated slack_id=%s closed=%d via=user_change", slack_id, len(closed))
        if closed:
            delivery.wake(rex)
        return
    _refresh(context, user)


def on_team_join(event: dict[str, Any], context: BoltContext) -> None:
    """A new account: Rex learns its locale and timezone now rather than asking later."""
    user = event.get("user") or {}
    if isinstance(user.get("id"), str):
        _refresh(context, user)


def _refresh(context: BoltContext, user: dict[str, Any]) -> None:
    session, rex = session_of(context), rex_of(context)
    rex.remember_locale(str(user["id"]), user.get("locale"))
    known = slack_profile(user)
    members.sync_from_slack(session, slack_id=str(user["id"]), known=known, now=rex.clock())
    session.commit()


def on_app_gone(body: dict[str, Any], context: BoltContext) -> None:
    """The app was uninstalled or its tokens revoked: nothing is sent any more (the data
    stays) until Slack takes the token again."""
    reason = str((body.get("event") or {}).get("type", "tokens_revoked"))
    rex_of(context).slack.broken(reason)
    log.critical(
        "slack.%s team=%s: Rex stops sending; its data stays. Reinstall the app (and update "
        "SLACK_BOT_TOKEN if it changed) to resume",
        reason,
        body.get("team_id"),
    )
