"""Block Kit and Web API shapes in a line each, for the fake Slack's own tests."""

from typing import Any

import pytest
from slack_sdk.errors import SlackApiError

JsonDict = dict[str, Any]


def plain_text(text: str) -> JsonDict:
    """A plain_text object."""
    return {"type": "plain_text", "text": text}


def section(n: int) -> JsonDict:
    """A numbered mrkdwn section, to fill a message or view up to a limit."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": f"block {n}"}}


def input_block(block_id: str, element: JsonDict) -> JsonDict:
    """An input block labelled by its id."""
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain_text(block_id),
        "element": element,
    }


def options(*values: str) -> list[JsonDict]:
    """Select options whose text is the value, title-cased."""
    return [{"text": plain_text(v.title()), "value": v} for v in values]


def modal(blocks: list[JsonDict], **extra: Any) -> JsonDict:
    """A modal view titled Rex with a Save button."""
    return {
        "type": "modal",
        "title": plain_text("Rex"),
        "submit": plain_text("Save"),
        "blocks": blocks,
        **extra,
    }


def slack_error(excinfo: pytest.ExceptionInfo[SlackApiError]) -> str:
    """The error code Slack answered with."""
    return str(excinfo.value.response["error"])
