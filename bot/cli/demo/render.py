"""Slack as a person reads it, in plain text: mrkdwn, dates, emoji, modals and buttons.

The demo quotes what the fake Slack recorded, so every text is rendered the way Slack
shows it (mentions by name, dates in the reader's timezone) rather than as raw markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import emoji

from handlers.views.kit import ZERO_WIDTH_SPACE

_TOKEN = re.compile(r"<([^<>]+)>")

# _italic_ and ~strike~ around words (not inside one, as in snake_case)
_ITALIC = re.compile(r"(?<!\w)[_~](\S(?:[^\n]*?\S)?)[_~](?!\w)")
_DATE_FORMATS = {
    "date_long_pretty": "%A, %B {day}",
    "date_long": "%A, %B {day}, %Y",
    "date_pretty": "%B {day}, %Y",
    "date": "%B {day}, %Y",
    "date_short_pretty": "%b {day}, %Y",
    "date_short": "%b {day}, %Y",
    "time": "%H:%M",
}


def _slack_date(target: str, fallback: str, tz: ZoneInfo | None) -> str:
    """`<!date^stamp^format|fallback>` as Slack shows it in the reader's timezone."""
    parts = target.split("^")
    if tz is None or len(parts) < 3 or not parts[1].isdigit():
        return fallback
    when = datetime.fromtimestamp(int(parts[1]), tz)

    def token(match: re.Match[str]) -> str:
        pattern = _DATE_FORMATS.get(match.group(1))
        return when.strftime(pattern).format(day=when.day) if pattern else match.group(0)

    return re.sub(r"\{(\w+)\}", token, parts[2]) + f" ({when.tzname()})"


def plain(text: str, names: Mapping[str, str], tz: ZoneInfo | None = None) -> str:
    """Slack mrkdwn as Slack shows it, in plain text: mentions by name, dates, emoji as
    characters, bold, italic, strike and code marks off, entities back."""

    def token(match: re.Match[str]) -> str:
        target, _, label = match.group(1).partition("|")
        if target.startswith("@"):
            return "@" + names.get(target[1:], label or target[1:])
        if target.startswith("#"):
            return "#" + (label or names.get(target[1:], target[1:]))
        if target.startswith("!date^"):
            return _slack_date(target, label, tz)
        if target.startswith("!"):
            return "@" + target[1:]
        return label or target

    text = emoji.emojize(_TOKEN.sub(token, text), language="alias")  # :wave: → 👋
    text = _ITALIC.sub(r"\1", text.replace(ZERO_WIDTH_SPACE, ""))
    text = text.replace("*", "").replace("`", "")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def modal_summary(view: Mapping[str, Any]) -> str:
    """A modal in one line: its title and the fields it asks for."""
    labels = [b["label"]["text"] for b in view.get("blocks", []) if b.get("type") == "input"]
    return f"{view['title']['text']}: {' / '.join(labels)}"


def field_label(view: Mapping[str, Any], block_id: str) -> str:
    return next(
        (b["label"]["text"] for b in view.get("blocks", []) if b.get("block_id") == block_id),
        block_id,
    )


def _buttons(message: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    for block in message.get("blocks") or []:
        if block.get("type") == "actions":
            yield from block.get("elements", [])


def has_action(message: Mapping[str, Any], action_id: str) -> bool:
    return any(button.get("action_id") == action_id for button in _buttons(message))


def button_label(message: Mapping[str, Any], action_id: str) -> str:
    """The label a person reads on the button they click."""
    return next(
        (str(b["text"]["text"]) for b in _buttons(message) if b.get("action_id") == action_id),
        action_id,
    )
