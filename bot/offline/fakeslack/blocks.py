"""Block Kit helpers shared by the fake server and the driver.

Slack fills in missing ``block_id``/``action_id`` values when it stores a view or message, and
reports interactive element state in a type-specific shape. Both sides of the fake need the same
rules, so they live here once.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator, Mapping
from typing import Any

JsonDict = dict[str, Any]


def _random_id() -> str:
    return secrets.token_hex(3)


def block_elements(block: Mapping[str, Any]) -> list[JsonDict]:
    """Interactive elements of one block: input ``element``, section ``accessory``, ``elements``."""
    found: list[JsonDict] = []
    for key in ("element", "accessory"):
        element = block.get(key)
        if isinstance(element, dict):
            found.append(element)
    if block.get("type") == "actions":
        found.extend(e for e in block.get("elements", []) if isinstance(e, dict))
    return found


def fill_ids(blocks: list[JsonDict]) -> None:
    """Assign ids to blocks and interactive elements lacking them, as Slack does when storing."""
    for block in blocks:
        block.setdefault("block_id", _random_id())
        for element in block_elements(block):
            if element.get("type") != "image":
                element.setdefault("action_id", _random_id())


def iter_elements(blocks: list[JsonDict]) -> Iterator[tuple[JsonDict, JsonDict]]:
    """Yield ``(block, element)`` for every interactive element of a block list."""
    for block in blocks:
        for element in block_elements(block):
            yield block, element


def find_element(
    blocks: list[JsonDict], action_id: str, block_id: str | None = None
) -> tuple[JsonDict, JsonDict] | None:
    """The ``(block, element)`` carrying ``action_id`` (and ``block_id`` when given)."""
    for block, element in iter_elements(blocks):
        if element.get("action_id") == action_id and block_id in (None, block.get("block_id")):
            return block, element
    return None


# --- element state ---------------------------------------------------------------------------


def _as_text(_element: JsonDict, value: Any) -> str:
    return str(value)


def _as_list(_element: JsonDict, value: Any) -> list[Any]:
    return list(value)


def _as_int(_element: JsonDict, value: Any) -> int:
    return int(value)


def _as_passthrough(_element: JsonDict, value: Any) -> Any:
    return value


def _all_options(element: JsonDict) -> Iterator[JsonDict]:
    yield from element.get("options", [])
    for group in element.get("option_groups", []):
        yield from group.get("options", [])


def _one_option(element: JsonDict, value: Any) -> JsonDict:
    """Resolve an option by its value; an unknown value is a test bug, so it raises."""
    for option in _all_options(element):
        if option.get("value") == value:
            return dict(option)
    known = [o.get("value") for o in _all_options(element)]
    raise ValueError(f"{element.get('action_id')}: no option {value!r} (options: {known})")


def _many_options(element: JsonDict, values: Any) -> list[JsonDict]:
    return [_one_option(element, v) for v in values]


def _external_option(_element: JsonDict, value: Any) -> JsonDict:
    """External options are not in the view, so a bare value becomes ``{text, value}``."""
    if isinstance(value, dict):
        return dict(value)
    return {"text": {"type": "plain_text", "text": str(value), "emoji": True}, "value": str(value)}


def _many_external_options(element: JsonDict, values: Any) -> list[JsonDict]:
    return [_external_option(element, v) for v in values]


Converter = Callable[[JsonDict, Any], Any]

# element type -> (state key, converter from the test's value, value when unset)
_STATE_SHAPES: dict[str, tuple[str, Converter, Any]] = {
    "plain_text_input": ("value", _as_text, None),
    "email_text_input": ("value", _as_text, None),
    "url_text_input": ("value", _as_text, None),
    "number_input": ("value", _as_text, None),
    "rich_text_input": ("rich_text_value", _as_passthrough, None),
    "static_select": ("selected_option", _one_option, None),
    "radio_buttons": ("selected_option", _one_option, None),
    "overflow": ("selected_option", _one_option, None),
    "external_select": ("selected_option", _external_option, None),
    "multi_static_select": ("selected_options", _many_options, []),
    "checkboxes": ("selected_options", _many_options, []),
    "multi_external_select": ("selected_options", _many_external_options, []),
    "users_select": ("selected_user", _as_text, None),
    "multi_users_select": ("selected_users", _as_list, []),
    "conversations_select": ("selected_conversation", _as_text, None),
    "multi_conversations_select": ("selected_conversations", _as_list, []),
    "channels_select": ("selected_channel", _as_text, None),
    "multi_channels_select": ("selected_channels", _as_list, []),
    "datepicker": ("selected_date", _as_text, None),
    "timepicker": ("selected_time", _as_text, None),
    "datetimepicker": ("selected_date_time", _as_int, None),
}


def _initial_key(state_key: str) -> str:
    """``selected_x`` -> ``initial_x``; ``value`` and ``rich_text_value`` -> ``initial_value``."""
    if state_key.startswith("selected_"):
        return "initial_" + state_key.removeprefix("selected_")
    return "initial_value"


def element_state(element: JsonDict, value: Any = None, *, is_set: bool = False) -> JsonDict:
    """The state entry Slack reports for ``element``.

    With ``is_set`` the test's ``value`` is converted to the element's shape; otherwise the
    element's ``initial_*`` value (or Slack's empty value) is reported, as for an untouched input.
    """
    element_type = str(element.get("type"))
    shape = _STATE_SHAPES.get(element_type)
    if shape is None:
        raise ValueError(f"{element.get('action_id')}: element type {element_type!r} has no state")
    key, convert, unset = shape
    if is_set:
        return {"type": element_type, key: convert(element, value)}
    initial = element.get(_initial_key(key), unset)
    if key == "value" and initial is not None:
        initial = str(initial)
    return {"type": element_type, key: initial}


def view_state(view: JsonDict, values: Mapping[str, Mapping[str, Any]] | None = None) -> JsonDict:
    """Build ``view.state.values``: every input block, plus other elements the test set.

    ``values`` is ``{block_id: {action_id: value}}``; unknown ids raise so typos fail loudly.
    """
    values = values or {}
    blocks: list[JsonDict] = view.get("blocks", [])
    for block_id, actions in values.items():
        for action_id in actions:
            if find_element(blocks, action_id, block_id) is None:
                raise KeyError(f"view {view.get('id')} has no element {block_id}/{action_id}")
    state: JsonDict = {}
    for block, element in iter_elements(blocks):
        block_id, action_id = str(block.get("block_id")), str(element.get("action_id"))
        given = values.get(block_id, {})
        if action_id in given:
            entry = element_state(element, given[action_id], is_set=True)
        elif block.get("type") == "input":
            entry = element_state(element)
        else:
            continue
        state.setdefault(block_id, {})[action_id] = entry
    return state


def message_paragraphs(message: Mapping[str, Any], *, buttons: bool = True) -> list[str]:
    """A message as it reads in Slack: its blocks' text, fields, context and (with
    `buttons`) button labels, else its plain text; then the files it shares."""
    blocks = message.get("blocks") or []
    text = str(message.get("text", ""))
    paragraphs: list[str] = [] if blocks or not text else [text]
    for block in blocks:
        if isinstance(block.get("text"), dict):
            paragraphs.append(str(block["text"]["text"]))
        paragraphs += [str(f.get("text", "")) for f in block.get("fields") or []]
        if block.get("type") == "actions" and buttons:
            labels = [e["text"]["text"] for e in block.get("elements", []) if e.get("text")]
            paragraphs.append("  ".join(f"[ {label} ]" for label in labels))
        elif block.get("type") == "context":
            paragraphs.append(" ".join(str(e.get("text", "")) for e in block.get("elements", [])))
    paragraphs += [f"[file {f.get('name')}: {f.get('title')}]" for f in message.get("files") or []]
    return paragraphs or [text]
