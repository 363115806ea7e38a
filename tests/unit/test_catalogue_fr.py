"""The French catalogue: same keys and placeholders as English, Slack's limits, house style."""

import re
from string import Formatter

import pytest

from tests.support.catalogue import flat

ENGLISH = flat("en")
FR = flat("fr")

# Texts that are rightly the same in both languages.
SAME_AS_ENGLISH = {
    "home.title",
    "schedule.date",
    "schedule.minutes",
    "schedule.place_suffix",
    "digest.person",
}

# The subcommands French texts show (the English ones work too).
FRENCH_SUBCOMMANDS = {
    "aide",
    "rejoindre",
    "enseigner",
    "apprendre",
    "retirer",
    "moi",
    "pause",
    "reprendre",
    "quitter",
    "eviter",
    "mesdonnees",
    "oublie-moi",
    "langue",
    "classement",
    "admin",
}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name is not None}


def _modal_labels() -> set[str]:
    """Modal titles, submit and close labels: Slack refuses more than 24 characters."""
    submits = {key for key in FR if key.endswith(".submit")}
    titles = {
        key for key in FR if key.endswith(".title") and key.removesuffix(".title") + ".submit" in FR
    }
    return submits | titles | {"join.close"}


def test_same_keys_as_english() -> None:
    assert sorted(FR.keys() - ENGLISH.keys()) == []
    assert sorted(ENGLISH.keys() - FR.keys()) == []


@pytest.mark.parametrize("key", sorted(ENGLISH))
def test_same_placeholders_as_english(key: str) -> None:
    assert _fields(FR[key]) == _fields(ENGLISH[key])


@pytest.mark.parametrize("key", sorted(ENGLISH))
def test_formats_with_any_values(key: str) -> None:
    values = {name: "X" for name in _fields(FR[key])}
    filled = FR[key].format(**values)
    assert "{" not in filled and "}" not in filled


def test_modal_titles_and_buttons_fit_slack_limits() -> None:
    modal = _modal_labels()
    assert {"join.title", "eval.title", "pause.submit", "join.close"} <= modal
    assert {k: FR[k] for k in modal if len(FR[k]) > 24} == {}
    buttons = {k for k in FR if k.startswith("button.")} | {
        "forget.button",
        "forget.dialog_confirm",
        "forget.dialog_deny",
    }
    assert {k: FR[k] for k in buttons if len(FR[k]) > 30} == {}


def test_every_text_is_written_in_french() -> None:
    assert ENGLISH.keys() >= SAME_AS_ENGLISH
    assert [k for k, text in FR.items() if not text.strip()] == []
    same = {k for k in FR if FR[k] == ENGLISH[k]}
    assert sorted(same - SAME_AS_ENGLISH) == []


def test_slack_markup_survives() -> None:
    for key, text in FR.items():
        english = ENGLISH[key]
        assert text.count("`") % 2 == 0, key
        assert text.count("*") % 2 == 0, key
        assert set(re.findall(r":[a-z_]+:", text)) == set(re.findall(r":[a-z_]+:", english)), key
        assert re.findall(r"<[#!@][^>]*>", text) == re.findall(r"<[#!@][^>]*>", english), key


def test_examples_show_french_subcommands() -> None:
    for key, text in FR.items():
        lines = text.splitlines()
        if key == "help":  # its last line says the English subcommands work too
            lines = [line for line in lines if line.startswith("•")]
        used = set(re.findall(r"`/rex ([\w-]+)", "\n".join(lines)))
        assert used <= FRENCH_SUBCOMMANDS, (key, used - FRENCH_SUBCOMMANDS)
    assert "`/rex enseigner <compétence>`" in FR["help"]


def test_french_typography() -> None:
    """No-break space before « : », narrow no-break space before « ; ! ? », curly apostrophes;
    emoji codes such as `:wave:` keep their plain space."""
    for key, text in FR.items():
        assert not re.search(r" [;!?]", text), (key, "use U+202F before ; ! ?")
        assert not re.search(r" :(?![a-z_]+:)", text), (key, "use U+00A0 before :")
        assert "'" not in text, (key, "use the typographic apostrophe ’")
