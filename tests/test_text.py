"""Pure tests: cleaning, bounding and escaping what people type; the message catalogue."""

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.messages import MESSAGES, t, tn
from bot.text import InvalidInput, clean_label, clean_text, escape

ROOT = Path(__file__).resolve().parents[1]


def test_escape_neutralises_mentions_and_links() -> None:
    assert escape("<!channel> & <@U1> <https://x|y>") == (
        "&lt;!channel&gt; &amp; &lt;@U1&gt; &lt;https://x|y&gt;"
    )


def test_clean_label_folds_spaces_and_keeps_accents_and_scripts() -> None:
    assert clean_label("  Prise   de parole\ten public ") == "Prise de parole en public"
    assert clean_label("日本語 🎤") == "日本語 🎤"
    assert clean_label("Cafe\u0301") == "Café"  # composed to NFC


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("", "error.label_empty"),
        (" \n ", "error.label_empty"),
        ("a\x00b", "error.label_control"),
        ("x" * 81, "error.label_too_long"),
        ("ab\u202edc", "error.label_control"),
    ],
)
def test_clean_label_refuses(raw: str, key: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        clean_label(raw)
    assert refused.value.key == key


def test_clean_text_keeps_line_breaks_and_bounds_length() -> None:
    assert clean_text("  Hello\nworld  ", max_length=20) == "Hello\nworld"
    with pytest.raises(InvalidInput) as refused:
        clean_text("x" * 21, max_length=20)
    assert (refused.value.key, refused.value.params) == ("error.text_too_long", {"max": 20})


@given(st.text(max_size=120))
def test_clean_label_never_lets_control_characters_or_overlong_text_through(raw: str) -> None:
    try:
        label = clean_label(raw)
    except InvalidInput:
        return
    assert 0 < len(label) <= 80
    assert label == label.strip()
    assert not any(ord(ch) < 32 or ord(ch) == 127 for ch in label)


@given(st.text())
def test_escaped_text_has_no_markup_left(raw: str) -> None:
    escaped = escape(raw)
    assert "<" not in escaped and ">" not in escaped
    assert not re.search(r"[*_~`](?!\u200b)", escaped)  # every formatting mark is broken
    unescaped = escaped.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert re.sub(r"([*_~`])\u200b", r"\1", unescaped) == raw


def test_formatting_marks_typed_by_people_stay_as_typed() -> None:
    """mrkdwn has no escape for them: a zero-width space after each keeps `C*` from
    closing the bold around it, and leaves the characters there for copy and paste."""
    zw = "\u200b"
    assert f"*{escape('C*')}*" == f"*C*{zw}*"
    assert escape("_init_ ~x~ `y`") == f"_{zw}init_{zw} ~{zw}x~{zw} `{zw}y`{zw}"


def _keys_used_in_code() -> set[str]:
    pattern = re.compile(r"""\bt\(\s*["']([a-z_.]+)["']""")
    found: set[str] = set()
    for folder in ("bot", "handlers"):
        for path in (ROOT / folder).rglob("*.py"):
            found.update(pattern.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_literal_key_used_in_code_exists() -> None:
    used = _keys_used_in_code()
    assert len(used) > 30
    assert sorted(used - MESSAGES["en"].keys()) == []


@pytest.mark.parametrize(
    "family",
    ["skill.added.{}", "skill.usage.{}"],
)
def test_keys_built_from_skill_kinds_exist(family: str) -> None:
    for kind in ("teach", "learn"):
        assert family.format(kind) in MESSAGES["en"]


def test_keys_built_from_statuses_and_answers_exist() -> None:
    keys = MESSAGES["en"].keys()
    assert {f"status.{s}" for s in ("active", "paused", "left")} <= keys
    assert {f"eval.satisfaction.{n}" for n in range(1, 6)} <= keys
    assert {f"eval.goal.{g}" for g in ("yes", "partly", "no")} <= keys
    assert {f"round.done.{form}" for form in ("one", "other")} <= keys


def test_languages_share_keys_and_placeholders() -> None:
    names = re.compile(r"{(\w+)}")
    english = MESSAGES["en"]
    for lang, catalogue in MESSAGES.items():
        assert catalogue.keys() == english.keys(), lang
        for key, text in catalogue.items():
            assert set(names.findall(text)) == set(names.findall(english[key])), (lang, key)


def test_t_fills_placeholders_and_falls_back_to_english() -> None:
    assert t("skill.added.teach", "en", skill="SQL") == "Added *SQL* to what you can teach."
    assert t("skill.added.teach", "xx", skill="SQL") == "Added *SQL* to what you can teach."
    assert tn("round.done", 1) == "Round done: 1 introduction on its way."
    assert tn("round.done", 0) == "Round done: 0 introductions on their way."


def test_stored_enum_values_fit_their_columns() -> None:
    """PostgreSQL refuses what SQLite lets through: every stored kind fits String(16)."""
    from storage.models import ExchangeKind, ExchangeState, WorkKind

    for enum in (WorkKind, ExchangeState, ExchangeKind):
        assert all(len(member.value) <= 16 for member in enum), enum
