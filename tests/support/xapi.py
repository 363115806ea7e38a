"""A validator of xAPI 1.0.3 statements (Data part 2.4), as much of it as applies to what
Rex sends, plus Rex's own rule that a record never rates a person."""

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

STATEMENT_KEYS = {
    "id", "actor", "verb", "object", "result", "context", "timestamp", "stored",
    "authority", "version", "attachments",
}  # fmt: skip
AGENT_KEYS = {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"}
IFI_KEYS = {"mbox", "mbox_sha1sum", "openid", "account"}
DEFINITION_KEYS = {
    "name", "description", "type", "moreInfo", "extensions", "interactionType",
    "correctResponsesPattern", "choices", "scale", "source", "target", "steps",
}  # fmt: skip
RESULT_KEYS = {"score", "success", "completion", "response", "duration", "extensions"}
CONTEXT_KEYS = {
    "registration", "instructor", "team", "contextActivities", "revision", "platform",
    "language", "statement", "extensions",
}  # fmt: skip
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
# ISO 8601:2004 4.4.3.2 durations (the only form xAPI allows), at least one component.
DURATION = re.compile(
    r"P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?"
    r"(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?"
)
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
IRI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")


def check_iri(value: object, where: str) -> None:
    assert isinstance(value, str) and IRI_SCHEME.fullmatch(value), f"{where}: not an IRI"


def check_irl(value: object, where: str) -> None:
    check_iri(value, where)
    assert isinstance(value, str)
    parts = urlsplit(value)
    assert parts.scheme in ("http", "https") and parts.netloc, f"{where}: not a URL"


def check_language_map(value: object, where: str) -> None:
    assert isinstance(value, dict) and value, f"{where}: not a language map"
    for tag, text in value.items():
        assert LANGUAGE_TAG.fullmatch(tag) and isinstance(text, str), f"{where}: {tag!r}"


def check_extensions(value: object, where: str) -> None:
    assert isinstance(value, dict)
    for key in value:
        check_iri(key, f"{where} key")


def check_agent(value: object, where: str) -> None:
    assert isinstance(value, dict) and set(value) <= AGENT_KEYS, where
    assert value.get("objectType", "Agent") == "Agent", where
    assert len(IFI_KEYS & set(value)) == 1, f"{where}: exactly one identifier"
    if "account" in value:
        account = value["account"]
        assert isinstance(account, dict) and set(account) == {"homePage", "name"}, where
        check_irl(account["homePage"], f"{where}.account.homePage")
        assert isinstance(account["name"], str) and account["name"], where


def check_number(value: object) -> float:
    assert isinstance(value, int | float) and not isinstance(value, bool)
    return float(value)


def check_statement(s: dict[str, Any]) -> None:
    """The xAPI 1.0.3 requirements (Data part 2.4) that apply to what Rex sends."""
    assert set(s) <= STATEMENT_KEYS and {"actor", "verb", "object"} <= set(s)
    assert UUID.fullmatch(s["id"])
    check_agent(s["actor"], "actor")
    verb = s["verb"]
    assert set(verb) <= {"id", "display"}
    check_iri(verb["id"], "verb.id")
    check_language_map(verb["display"], "verb.display")
    activity = s["object"]
    assert set(activity) <= {"objectType", "id", "definition"}
    assert activity.get("objectType", "Activity") == "Activity"
    check_iri(activity["id"], "object.id")
    definition = activity["definition"]
    assert set(definition) <= DEFINITION_KEYS
    check_language_map(definition["name"], "definition.name")
    check_iri(definition["type"], "definition.type")
    result = s.get("result", {})
    assert set(result) <= RESULT_KEYS
    # Rex's own rule on top of the specification: a record carries no rating of a person
    assert not {"score", "success", "response", "extensions"} & set(result), result
    if "completion" in result:
        assert isinstance(result["completion"], bool)
    if "duration" in result:
        assert DURATION.fullmatch(result["duration"]), result["duration"]
    context = s.get("context", {})
    assert set(context) <= CONTEXT_KEYS
    if "registration" in context:
        assert UUID.fullmatch(context["registration"])
    if "instructor" in context:
        check_agent(context["instructor"], "context.instructor")
    assert isinstance(context.get("platform", ""), str)
    check_extensions(context.get("extensions", {}), "context.extensions")
    assert TIMESTAMP.fullmatch(s["timestamp"])
    assert datetime.fromisoformat(s["timestamp"]).tzinfo is not None
