"""Slack's wire rules: how request bodies are decoded and which payloads it refuses.

Kept apart from the server so the limits (block counts, view text lengths...) read as one list.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from bot.offline.fakeslack.blocks import fill_ids
from bot.offline.fakeslack.models import ApiError, JsonDict

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_TEXT_LENGTH = 40_000
MAX_VIEW_TEXT = 24
MAX_PRIVATE_METADATA = 3000
MAX_CALLBACK_ID = 255
MAX_SECTION_TEXT = 3000
MAX_SECTION_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_ELEMENTS = 10
# Fields slack_sdk (or a hand-written client) may send JSON-encoded inside a form body.
_JSON_FIELDS = ("blocks", "attachments", "view", "metadata", "files")


def flag(value: Any) -> bool:
    """Slack booleans arrive as JSON booleans or as ``1``/``true`` strings in forms."""
    return value is True or str(value).lower() in ("1", "true")


def required(body: JsonDict, key: str) -> str:
    value = body.get(key)
    if value is None or value == "":
        raise ApiError("invalid_arguments", f"[ERROR] missing required field: {key}")
    return str(value)


def int_arg(body: JsonDict, key: str, default: int | None = None) -> int:
    raw = body.get(key, default)
    if raw is None:
        raise ApiError("invalid_arguments", f"[ERROR] missing required field: {key}")
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise ApiError(
            "invalid_arguments", f"[ERROR] must be an integer [json-pointer:/{key}]"
        ) from None


def _text_of(obj: Any) -> str:
    return str(obj.get("text", "")) if isinstance(obj, dict) else ""


def parse_api_body(raw: bytes, content_type: str, query: str) -> JsonDict:
    """Merge query string and form/JSON body, decoding JSON-encoded nested fields."""
    body: JsonDict = dict(parse_qsl(query, keep_blank_values=True))
    media = content_type.split(";")[0].strip().lower()
    try:
        text = raw.decode()
    except UnicodeDecodeError:
        raise ApiError("invalid_form_data") from None
    if media == "application/json":
        try:
            parsed = json.loads(text) if text.strip() else {}
        except ValueError:
            raise ApiError("invalid_json") from None
        if not isinstance(parsed, dict):
            raise ApiError("invalid_json")
        body.update(parsed)
    elif media in ("", "application/x-www-form-urlencoded"):
        body.update(parse_qsl(text, keep_blank_values=True))
    else:
        raise ApiError("invalid_form_data") from None
    for key in _JSON_FIELDS:
        value = body.get(key)
        if value == "":
            del body[key]
        elif isinstance(value, str):
            try:
                body[key] = json.loads(value)
            except ValueError:
                error = "invalid_blocks_format" if key == "blocks" else "invalid_arguments"
                raise ApiError(error, f"[ERROR] invalid JSON [json-pointer:/{key}]") from None
    return body


def message_content(body: JsonDict) -> JsonDict:
    """Validate text/blocks/attachments the way chat.* and response_url do; return them."""
    text, blocks, attachments = body.get("text"), body.get("blocks"), body.get("attachments")
    if blocks is not None:
        if not isinstance(blocks, list) or not all(
            isinstance(b, dict) and "type" in b for b in blocks
        ):
            raise ApiError(
                "invalid_blocks", "[ERROR] must be an array of blocks [json-pointer:/blocks]"
            )
        if len(blocks) > MAX_MESSAGE_BLOCKS:
            raise ApiError(
                "invalid_blocks",
                f"[ERROR] no more than {MAX_MESSAGE_BLOCKS} items allowed [json-pointer:/blocks]",
            )
        problems = list(block_problems(blocks, "/blocks"))
        if problems:
            raise ApiError("invalid_blocks", *problems)
    if not text and not blocks and not attachments:
        raise ApiError("no_text")
    if text and len(str(text)) > MAX_TEXT_LENGTH:
        raise ApiError("msg_too_long")
    content: JsonDict = {"text": str(text or "")}
    if blocks:
        content["blocks"] = copy.deepcopy(blocks)
        fill_ids(content["blocks"])
    if attachments:
        content["attachments"] = copy.deepcopy(attachments)
    return content


def message_metadata(body: JsonDict) -> JsonDict | None:
    metadata = body.get("metadata")
    if metadata is None:
        return None
    if (
        not isinstance(metadata, dict)
        or not isinstance(metadata.get("event_type"), str)
        or not isinstance(metadata.get("event_payload"), dict)
    ):
        raise ApiError("invalid_metadata_format")
    return copy.deepcopy(metadata)


def block_problems(blocks: list[Any], pointer: str) -> Iterator[str]:
    """The text limits of the blocks Rex builds: section text and fields, headers, context."""

    def too_long(text: Any, limit: int, where: str) -> Iterator[str]:
        if len(_text_of(text)) > limit:
            yield f"[ERROR] must be less than {limit + 1} characters [json-pointer:{where}]"

    for i, block in enumerate(blocks):
        at = f"{pointer}/{i}"
        if not isinstance(block, dict):
            continue
        kind = block.get("type")
        if kind == "section":
            yield from too_long(block.get("text"), MAX_SECTION_TEXT, f"{at}/text")
            fields = block.get("fields") or []
            if len(fields) > MAX_SECTION_FIELDS:
                yield (
                    f"[ERROR] no more than {MAX_SECTION_FIELDS} items allowed "
                    f"[json-pointer:{at}/fields]"
                )
            for j, field in enumerate(fields):
                yield from too_long(field, MAX_FIELD_TEXT, f"{at}/fields/{j}")
        elif kind == "header":
            yield from too_long(block.get("text"), MAX_HEADER_TEXT, f"{at}/text")
        elif kind == "context" and len(block.get("elements") or []) > MAX_CONTEXT_ELEMENTS:
            yield (
                f"[ERROR] no more than {MAX_CONTEXT_ELEMENTS} items allowed "
                f"[json-pointer:{at}/elements]"
            )


def _view_problems(view: JsonDict) -> Iterator[str]:
    """Slack's view validation messages for the limits apps most often trip over."""
    blocks = view.get("blocks", [])
    if not isinstance(blocks, list):
        yield "[ERROR] must be an array [json-pointer:/view/blocks]"
        blocks = []
    elif len(blocks) > MAX_VIEW_BLOCKS:
        yield f"[ERROR] no more than {MAX_VIEW_BLOCKS} items allowed [json-pointer:/view/blocks]"
    else:
        yield from block_problems(blocks, "/view/blocks")
    if view.get("type") == "modal":
        if not isinstance(view.get("title"), dict):
            yield "[ERROR] missing required field: title [json-pointer:/view]"
        if "submit" not in view and any(
            isinstance(b, dict) and b.get("type") == "input" for b in blocks
        ):
            yield "[ERROR] submit is required when an input block is present [json-pointer:/view]"
        for key in ("title", "submit", "close"):
            if len(_text_of(view.get(key))) > MAX_VIEW_TEXT:
                yield (
                    f"[ERROR] must be less than {MAX_VIEW_TEXT + 1} characters "
                    f"[json-pointer:/view/{key}/text]"
                )
    if len(str(view.get("private_metadata", ""))) > MAX_PRIVATE_METADATA:
        yield (
            f"[ERROR] must be less than {MAX_PRIVATE_METADATA + 1} characters "
            "[json-pointer:/view/private_metadata]"
        )
    if len(str(view.get("callback_id", ""))) > MAX_CALLBACK_ID:
        yield (
            f"[ERROR] must be less than {MAX_CALLBACK_ID + 1} characters "
            "[json-pointer:/view/callback_id]"
        )


def build_view(raw: Any, kinds: tuple[str, ...]) -> JsonDict:
    """A validated copy of a view definition, with Slack-assigned block/action ids."""
    if not isinstance(raw, dict):
        raise ApiError("invalid_arguments", "[ERROR] missing required field: view")
    if raw.get("type") not in kinds:
        raise ApiError(
            "invalid_arguments", f"[ERROR] must be one of {list(kinds)} [json-pointer:/view/type]"
        )
    problems = list(_view_problems(raw))
    if problems:
        raise ApiError("invalid_arguments", *problems)
    view = copy.deepcopy(raw)
    fill_ids(view.setdefault("blocks", []))
    return view
