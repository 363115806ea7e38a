"""Modals and App Home: views.open, views.push (single-use trigger ids), .update and .publish."""

from __future__ import annotations

from bot.offline.fakeslack.models import (
    ApiError,
    JsonDict,
)
from bot.offline.fakeslack.rules import (
    build_view,
    required,
)
from bot.offline.fakeslack.workspace import WebMethod, Workspace


def open_modal(ws: Workspace, body: JsonDict) -> JsonDict:
    return ws.push_view(ws.consume_trigger(body), body.get("view"), new_stack=True)


def push_modal(ws: Workspace, body: JsonDict) -> JsonDict:
    return ws.push_view(ws.consume_trigger(body), body.get("view"))


def update_view(ws: Workspace, body: JsonDict) -> JsonDict:
    if not body.get("view_id") and not body.get("external_id"):
        raise ApiError("invalid_arguments", "[ERROR] view_id or external_id is required")
    view_id = body.get("view_id") or ws.external_ids.get(str(body["external_id"]))
    old = ws.view_store.get(str(view_id))
    if old is None:
        raise ApiError("not_found")
    if body.get("hash") and body["hash"] != old["hash"]:
        raise ApiError("hash_conflict")
    view = build_view(body.get("view"), (str(old["type"]),))
    return ws.store_view(
        view,
        ws.view_owners[old["id"]],
        view_id=old["id"],
        previous=old["previous_view_id"],
        root=old["root_view_id"],
    )


def publish_home(ws: Workspace, body: JsonDict) -> JsonDict:
    user_id = required(body, "user_id")
    ws.known_user(user_id)
    view = build_view(body.get("view"), ("home",))
    old_id = ws.homes.get(user_id)
    if old_id and body.get("hash") and body["hash"] != ws.view_store[old_id]["hash"]:
        raise ApiError("hash_conflict")
    result = ws.store_view(view, user_id, view_id=old_id)
    ws.homes[user_id] = result["view"]["id"]
    return result


METHODS: dict[str, WebMethod] = {
    "views.open": open_modal,
    "views.push": push_modal,
    "views.update": update_view,
    "views.publish": publish_home,
}
