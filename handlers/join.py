"""The join modal's submission: reciprocity and the charter are checked in the modal."""

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot import members
from bot.messages import t
from handlers.blocks import skill_list
from handlers.context import (
    form_errors,
    language_of,
    rex_of,
    session_of,
    state_of,
    text_value,
    user_id_of,
)
from handlers.ids import BlockId, CallbackId

FIELD_BLOCKS = {
    "teach": BlockId.JOIN_TEACH,
    "learn": BlockId.JOIN_LEARN,
    "agree": BlockId.JOIN_AGREE,
}


def register(app: App) -> None:
    app.view(CallbackId.JOIN)(on_join_submitted)


def on_join_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    lang = language_of(context)
    slack_id = user_id_of(body)
    agreed = bool(state_of(view, BlockId.JOIN_AGREE).get("selected_options"))
    session = session_of(context)
    try:
        profile = members.join(
            session,
            slack_id=slack_id,
            display_name=str(body["user"].get("name") or ""),
            teach_text=text_value(view, BlockId.JOIN_TEACH),
            learn_text=text_value(view, BlockId.JOIN_LEARN),
            agreed=agreed,
            now=rex_of(context).clock(),
        )
    except members.FormErrors as exc:
        ack(
            form_errors(
                {
                    FIELD_BLOCKS[name]: t(key, lang, **params)
                    for name, (key, params) in exc.errors.items()
                }
            )
        )
        return
    session.commit()
    ack()
    client.chat_postMessage(
        channel=slack_id,
        text=t(
            "join.welcome",
            lang,
            name=f"<@{slack_id}>",
            teach=skill_list(profile.teach, lang),
            learn=skill_list(profile.learn, lang),
        ),
    )
