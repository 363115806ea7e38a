"""Pure tests: cleaning, bounding and escaping what people type; the message catalogue."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from hypothesis import given
from hypothesis import strategies as st

from bot.i18n.messages import t, tn
from bot.text import InvalidInput, clean_label, clean_text
from handlers.views.kit import escape
from tests.support.catalogue import CATALOGUES

ROOT = Path(__file__).resolve().parents[2]


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


def _extracted_keys() -> set[str]:
    """The keys `pybabel extract -k t -k tn -k N_ -k InvalidInput` finds in the code."""
    found: set[str] = set()
    keywords = {"t": None, "tn": (1,), "N_": None, "InvalidInput": None}
    for folder in ("bot", "handlers"):
        for *_, message, _, _ in extract_from_dir(
            str(ROOT / folder), method_map=[("**.py", "python")], keywords=keywords
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_key_is_a_literal_the_extractor_finds() -> None:
    """Every catalogue text is used, and every key the code reads has a text: none is
    built at run time where no tool could see it."""
    catalogue = {key.removesuffix(".one").removesuffix(".other") for key in CATALOGUES["en"]}
    assert sorted(_extracted_keys() ^ catalogue) == []


@pytest.mark.parametrize(
    ("lang", "zero", "one", "two"),
    [
        ("en", "0 introductions", "1 introduction ", "2 introductions"),
        ("fr", "0 mise en relation ", "1 mise en relation ", "2 mises en relation"),
    ],
)
def test_plural_forms_follow_each_language(lang: str, zero: str, one: str, two: str) -> None:
    """CLDR's rules, from each `.po` file's header: French puts 0 in the singular."""
    assert zero in tn("round.done", 0, lang)
    assert one in tn("round.done", 1, lang)
    assert two in tn("round.done", 2, lang)


# The languages managers may choose (REX_LANGUAGE) have every text; any other has at least
# every text a member reads, the managers' falling back on English.
MANAGERS_LANGUAGES = ("en", "fr")
MANAGERS_ONLY = ("digest.", "chart.", "admin.", "approval.", "preview.", "export.", "round.")
MANAGERS_KEYS = {"help.admin", "report.posted"}


def _for_members(key: str) -> bool:
    return not key.startswith(MANAGERS_ONLY) and key not in MANAGERS_KEYS


def test_languages_share_keys_and_placeholders() -> None:
    names = re.compile(r"{(\w+)}")
    english = CATALOGUES["en"]
    members = {key for key in english if _for_members(key)}
    assert len(CATALOGUES) >= 2 and len(members) > 200
    for lang, catalogue in CATALOGUES.items():
        needed = english.keys() if lang in MANAGERS_LANGUAGES else members
        assert sorted(needed - catalogue.keys()) == [], lang
        assert sorted(catalogue.keys() - english.keys()) == [], lang
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
