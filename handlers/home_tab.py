"""Publishing the App Home tab (its content is `views.home`): when it is opened and after every
change to a profile, by any listener; and refreshing the Slack profile data it shows, at most
weekly."""

import logging
from datetime import timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot import exchanges, members
from bot.runtime.rex import Rex
from handlers.context import slack_profile
from handlers.views.home import home_view
from storage import repo

log = logging.getLogger("rex.home")
SLACK_PROFILE_TTL = timedelta(days=7)


def refresh_from_slack(session: Session, rex: Rex, client: WebClient, slack_id: str) -> None:
    """Cache the member's timezone, locale and name from `users.info` (at most weekly)."""
    member = repo.get_member(session, slack_id=slack_id)
    now = rex.clock()
    if member is None or (
        member.slack_synced_at is not None and now - member.slack_synced_at < SLACK_PROFILE_TTL
    ):
        return
    try:
        user = client.users_info(user=slack_id, include_locale=True)["user"]
    except SlackApiError as exc:
        log.warning("users_info.failed member=%s error=%s", member.id, exc.response.get("error"))
        return
    members.sync_from_slack(session, slack_id=slack_id, known=slack_profile(user), now=now)
    session.commit()


def publish_home(session: Session, client: WebClient, slack_id: str, lang: str) -> None:
    profile = members.profile(session, slack_id=slack_id)
    if profile is None or profile.member.id is None:
        client.views_publish(user_id=slack_id, view=home_view(None, lang))
        return
    member_id = profile.member.id
    open_, past = exchanges.history_of(session, member_id=member_id)
    hours = repo.hours_balance(session, member_id=member_id).get(member_id, (0.0, 0.0))
    view = home_view(profile, lang, open_exchanges=open_, past_exchanges=past, hours=hours)
    client.views_publish(user_id=slack_id, view=view)
