"""The join modal's submission: reciprocity and the charter are checked in the modal."""

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot import members
from bot.i18n.messages import t
from handlers.context import language_of, rex_of, selected_values, session_of, user_id_of
from handlers.home_tab import publish_home, refresh_from_slack
from handlers.ids import BlockId, CallbackId
from handlers.listening import Fields, submitted
from handlers.views.kit import mention, skill_list


def register(app: App) -> None:
    app.view(CallbackId.JOIN)(on_join_submitted)


def on_join_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    slack_id = user_id_of(body)
    rex = rex_of(context)

    def join() -> members.Profile:
        return members.join(
            session_of(context),
            slack_id=slack_id,
            display_name=str(body["user"].get("name") or ""),
            teach=selected_values(view, BlockId.TEACH_SKILLS),
            learn=selected_values(view, BlockId.LEARN_SKILLS),
            agreed=bool(selected_values(view, BlockId.JOIN_AGREE)),
            now=rex.clock(),
        )

    joined = submitted(ack, context, join, Fields(BlockId.TEACH_SKILLS))
    if joined is None:
        return
    profile, lang = joined.value, language_of(context)
    rex.remember_labels(profile.teach + profile.learn)
    client.chat_postMessage(
        channel=slack_id,
        text=t(
            "join.welcome",
            lang,
            name=mention(slack_id),
            teach=skill_list(profile.teach, lang),
            learn=skill_list(profile.learn, lang),
        ),
    )
    session = session_of(context)
    refresh_from_slack(session, rex, client, slack_id)
    publish_home(session, client, slack_id, lang)
