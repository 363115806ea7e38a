"""Typed access to what the middleware put in a listener's context."""

from typing import Any

from slack_bolt import BoltContext
from sqlmodel import Session

from bot.messages import DEFAULT_LANGUAGE
from bot.runtime import Rex
from handlers.ids import ActionId


def session_of(context: BoltContext) -> Session:
    session = context["session"]
    assert isinstance(session, Session)
    return session


def rex_of(context: BoltContext) -> Rex:
    rex = context["rex"]
    assert isinstance(rex, Rex)
    return rex


def language_of(context: BoltContext) -> str:
    """The reader's language (English until per-person languages land)."""
    return DEFAULT_LANGUAGE


def form_errors(errors: dict[str, str]) -> dict[str, object]:
    """The ack body that shows errors under modal fields."""
    return {"response_action": "errors", "errors": errors}


def state_of(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    """The submitted state of one input block's element (empty when absent)."""
    element = view.get("state", {}).get("values", {}).get(block_id, {}).get(ActionId.INPUT)
    return element if isinstance(element, dict) else {}


def text_value(view: dict[str, Any], block_id: str) -> str | None:
    value = state_of(view, block_id).get("value")
    return value if isinstance(value, str) else None


def selected_value(view: dict[str, Any], block_id: str) -> str | None:
    option = state_of(view, block_id).get("selected_option")
    return option.get("value") if isinstance(option, dict) else None


def user_id_of(body: dict[str, Any]) -> str:
    user = body["user"]
    return str(user["id"] if isinstance(user, dict) else user)
