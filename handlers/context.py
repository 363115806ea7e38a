"""Typed access to what the middleware put in a listener's context."""

from typing import Any

from slack_bolt import BoltContext
from sqlmodel import Session

from bot.i18n.messages import DEFAULT_LANGUAGE, t
from bot.members import FormErrors, SlackProfile
from bot.runtime.rex import Rex
from handlers.ids import BlockId
from handlers.views.kit import escape

# An answer to a click seen by the clicker alone, below the message they clicked (which stays).
ONLY_TO_CLICKER: dict[str, Any] = {"response_type": "ephemeral", "replace_original": False}


def session_of(context: BoltContext) -> Session:
    session = context["session"]
    assert isinstance(session, Session)
    return session


def rex_of(context: BoltContext) -> Rex:
    rex = context["rex"]
    assert isinstance(rex, Rex)
    return rex


def language_of(context: BoltContext) -> str:
    """The reader's language, worked out once per request (on first use: the middleware
    leaves how to, so nothing is read before the ack)."""
    lang = context.get("lang")
    if callable(lang):
        lang = context["lang"] = lang()
    return lang if isinstance(lang, str) else DEFAULT_LANGUAGE


def form_errors(errors: dict[str, str]) -> dict[str, object]:
    """The ack body that shows errors under modal fields."""
    return {"response_action": "errors", "errors": errors}


# Where each field a domain function names is shown in Rex's modals.
FIELD_BLOCKS = {
    "teach": BlockId.TEACH_SKILLS,
    "learn": BlockId.LEARN_SKILLS,
    "agree": BlockId.JOIN_AGREE,
    "bio": BlockId.PROFILE_BIO,
    "preference": BlockId.PROFILE_PREFERENCE,
    "site": BlockId.PROFILE_SITE,
}


def field_errors(errors: FormErrors, lang: str) -> dict[str, object]:
    """A domain refusal, as errors under the fields of the modal it came from."""
    return form_errors(
        {
            FIELD_BLOCKS[name]: said(key, lang, params)
            for name, (key, params) in errors.errors.items()
        }
    )


def said(key: str, lang: str, params: dict[str, object]) -> str:
    """A catalogue text whose parameters may hold what someone typed: escaped first."""
    return t(key, lang, **{k: escape(v) if isinstance(v, str) else v for k, v in params.items()})


def state_of(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    """The submitted state of one input block's element (empty when absent)."""
    block = view.get("state", {}).get("values", {}).get(block_id) or {}
    element = next(iter(block.values()), None) if isinstance(block, dict) else None
    return element if isinstance(element, dict) else {}


def text_value(view: dict[str, Any], block_id: str) -> str | None:
    value = state_of(view, block_id).get("value")
    return value if isinstance(value, str) else None


def selected_value(view: dict[str, Any], block_id: str) -> str | None:
    option = state_of(view, block_id).get("selected_option")
    return option.get("value") if isinstance(option, dict) else None


def selected_values(view: dict[str, Any], block_id: str) -> list[str]:
    """The values chosen in a multi-select or checkboxes input."""
    options = state_of(view, block_id).get("selected_options") or []
    return [str(o["value"]) for o in options if isinstance(o, dict) and "value" in o]


def exchange_id_of(body: dict[str, Any]) -> int:
    """The exchange a button is about (its value)."""
    return int(body["actions"][0]["value"])


def user_id_of(body: dict[str, Any]) -> str:
    user = body["user"]
    return str(user["id"] if isinstance(user, dict) else user)


def slack_profile(user: dict[str, Any]) -> SlackProfile:
    """The parts of a `users.info` user (or a `user_change` event's) that Rex keeps."""
    name = user.get("real_name") or (user.get("profile") or {}).get("real_name")
    return SlackProfile(
        tz=str(user.get("tz") or "") or None,
        locale=str(user.get("locale") or "") or None,
        name=name if isinstance(name, str) else None,
    )
