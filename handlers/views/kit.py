"""Block Kit building blocks shared by every view: pure functions returning Slack dicts."""

import re
from collections.abc import Callable, Sequence
from typing import Any

from bot.i18n.messages import t
from handlers.ids import ActionId, BlockId, CallbackId

Block = dict[str, Any]
View = dict[str, Any]

_FORMATTING = re.compile(r"([*_~`])")
ZERO_WIDTH_SPACE = "\u200b"


def escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn gives meaning to, so `<!channel>`,
    `<@U123>` or a link typed by someone shows as text and pings nobody; and follow each
    formatting mark (`*`, `_`, `~`, a backtick) with a zero-width space, which mrkdwn has
    no escape for: `C*` inside `*…*` then stays as typed instead of breaking the bold."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _FORMATTING.sub(rf"\1{ZERO_WIDTH_SPACE}", escaped)


MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100


def text_object(text: str, kind: str = "plain_text") -> dict[str, Any]:
    if kind == "plain_text":
        return {"type": "plain_text", "text": text[:3000], "emoji": True}
    return {"type": "mrkdwn", "text": text[:3000]}


def section(text: str) -> Block:
    return {"type": "section", "text": text_object(text, "mrkdwn")}


def button(label: str, action_id: ActionId, value: str, style: str | None = None) -> Block:
    button: Block = {
        "type": "button",
        "text": text_object(label),
        "action_id": action_id,
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def modal(
    callback_id: CallbackId,
    title: str,
    submit: str,
    blocks: list[Block],
    private_metadata: str = "",
    lang: str = "en",
) -> View:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": text_object(title[:24]),
        "submit": text_object(submit[:24]),
        "close": text_object(t("join.close", lang)[:24]),
        "private_metadata": private_metadata,
        "blocks": blocks[:VIEW_BLOCK_LIMIT],
    }


def input_block(
    block_id: BlockId,
    label: str,
    element: Block,
    *,
    optional: bool = False,
    hint: str | None = None,
) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": text_object(label),
        "element": {"action_id": ActionId.INPUT, **element},
        "optional": optional,
    }
    if hint:
        block["hint"] = text_object(hint)
    return block


def options(pairs: Sequence[tuple[str, str]]) -> list[Block]:
    return [{"text": text_object(label), "value": value} for value, label in pairs]


def skill_list(labels: Sequence[str], lang: str) -> str:
    return ", ".join(f"*{escape(label)}*" for label in labels) or t("me.none", lang)


# A user mention as Slack writes it in text it sends (`<@U123>` or `<@U123|name>`): the
# inverse of `mention`; group 1 is the user id.
MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


def mention(slack_id: str) -> str:
    return f"<@{slack_id}>"


def lines_with_more(lines: Sequence[str], limit: int, lang: str) -> list[str]:
    """At most `limit` lines, the cut ones summed up as "… and N more"."""
    if len(lines) <= limit:
        return list(lines)
    return [*lines[:limit], t("list.more", lang, count=len(lines) - limit)]


def for_everyone(langs: Sequence[str], render: Callable[[str], str]) -> str:
    """A text for a shared conversation: rendered in each of `langs`, one paragraph each."""
    return "\n\n".join(render(lang) for lang in langs)
