"""Type-ahead skill suggestions: ranking, grouping, incremental adds, Slack options.

A small hand-made network, so each expectation can be checked by eye; the 100,000-member
numbers come from `benchmarks/suggest_bench.py`.
"""

from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.matching.suggest import SkillSuggester, Suggestion, clean
from handlers.views.members import (
    OPTION_TEXT_MAX,
    OPTION_VALUE_MAX,
    SLACK_MAX_OPTIONS,
    skill_options,
)

NETWORK = {
    "Kubernetes": 5,
    "k8s": 3,
    "kubernetes": 2,
    "Kubernetes networking": 2,
    "Excel": 6,
    "MS Excel": 1,
    "Excel pivot tables": 2,
    "PowerPoint": 3,
    "Prise de parole en public": 4,
    "public speaking": 1,
    "Négociation": 2,
    "Python": 8,
    "Python testing": 2,
    "Java": 3,
    "JavaScript": 5,
    "Café latte art": 1,
    "Macramé": 2,
    "Tableau": 3,
    "Origami": 2,
    "Quilting": 2,
    "???": 4,
}


def network() -> SkillSuggester:
    return SkillSuggester.from_labels(label for label, n in NETWORK.items() for _ in range(n))


@pytest.fixture(scope="module")
def suggester() -> SkillSuggester:
    return network()


def labels(suggestions: list[Suggestion]) -> list[str]:
    return [s.label for s in suggestions]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kubernets", "Kubernetes"),  # repaired by normalize: the exact skill
        ("exel", "Excel"),
        ("macrme", "Macramé"),  # unknown to the vocabulary: found by similarity
        ("tableu", "Tableau"),
        ("quiltnig", "Quilting"),
    ],
)
def test_a_typo_offers_the_intended_label_first(
    suggester: SkillSuggester, query: str, expected: str
) -> None:
    assert suggester.suggest(query)[0].label == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("prise de parole", "Prise de parole en public"),
        ("PRISE DE PAR", "Prise de parole en public"),
        ("NEGOCIATION", "Négociation"),
        ("cafe latte", "Café latte art"),  # accents folded, not through normalize
        ("CAFÉ LAT", "Café latte art"),
        ("  origami ", "Origami"),
    ],
)
def test_case_and_accents_do_not_matter(
    suggester: SkillSuggester, query: str, expected: str
) -> None:
    assert suggester.suggest(query)[0].label == expected


def test_abbreviations_go_through_normalize(suggester: SkillSuggester) -> None:
    assert suggester.suggest("k8s")[0] == Suggestion("Kubernetes", 10, exact=True)
    assert suggester.suggest("ppt")[0] == Suggestion("PowerPoint", 3, exact=True)
    # The canonical form also extends the query: k8s offers Kubernetes' other skills.
    assert "Kubernetes networking" in labels(suggester.suggest("k8s"))


def test_only_the_query_own_skill_is_exact(suggester: SkillSuggester) -> None:
    found = suggester.suggest("exel")
    assert [s.exact for s in found] == [True] + [False] * (len(found) - 1)
    assert labels(found)[:2] == ["Excel", "Excel pivot tables"]


def test_a_prefix_of_any_word_finds_a_multi_word_label(suggester: SkillSuggester) -> None:
    assert suggester.suggest("pivot ta")[0].label == "Excel pivot tables"
    assert suggester.suggest("python tes")[0].label == "Python testing"
    assert suggester.suggest("de parole en")[0].label == "Prise de parole en public"


def test_leading_fillers_do_not_hide_the_skill(suggester: SkillSuggester) -> None:
    assert suggester.suggest("basics of pyt")[0].label == "Python"
    assert suggester.suggest("intro to kube")[0].label == "Kubernetes"


def test_a_wording_many_use_is_searchable_though_not_shown() -> None:
    typed = ["time management"] * 30 + ["time management for engineers"] * 10
    found = SkillSuggester.from_labels(typed).suggest("time management fo engineers")
    assert found == [Suggestion("time management", 40, exact=False)]


def test_a_rare_slip_of_a_popular_label_is_not_offered() -> None:
    typed = ["Python web development"] * 20 + ["Python wb development", "Python"]
    suggester = SkillSuggester.from_labels(typed)
    found = labels(suggester.suggest("python w"))
    assert found[0] == "Python web development"
    assert "Python wb development" not in found
    # ... unless it is what the person is typing.
    assert suggester.suggest("python wb development")[0].label == "Python wb development"


def test_labels_starting_with_the_query_come_before_later_words() -> None:
    found = SkillSuggester.from_labels(["Python scripting"] * 5 + ["Scripting"]).suggest("scr")
    assert labels(found) == ["Scripting", "Python scripting"]


def test_popularity_breaks_ties_then_alphabetical_order(suggester: SkillSuggester) -> None:
    assert labels(suggester.suggest("ja"))[:2] == ["JavaScript", "Java"]
    tied = SkillSuggester.from_labels(["Quantum physics", "Quantum computing"] * 2)
    assert labels(tied.suggest("qua")) == ["Quantum computing", "Quantum physics"]


def test_the_most_used_wording_names_the_skill(suggester: SkillSuggester) -> None:
    kubernetes = [s for s in suggester.suggest("kubernetes") if s.exact]
    assert kubernetes == [Suggestion("Kubernetes", 5 + 3 + 2, exact=True)]
    assert suggester.suggest("public speaking")[0] == Suggestion(
        "Prise de parole en public", 5, exact=True
    )


def test_a_tie_between_wordings_goes_to_the_alphabetical_first() -> None:
    assert SkillSuggester.from_labels(["kube", "Kube", "k8s"]).suggest("")[0].label == "Kube"


def test_wordings_differing_by_spaces_are_one() -> None:
    found = SkillSuggester.from_labels(["Excel  basics", " Excel basics ", "excel"]).suggest("")
    assert found == [Suggestion("Excel basics", 3, exact=False)]


def test_each_skill_is_offered_once(suggester: SkillSuggester) -> None:
    for query in ("kub", "excel", "k8s", "python", "pro"):
        found = labels(suggester.suggest(query, limit=50))
        assert len(found) == len(set(found)), query


def test_an_empty_query_offers_the_most_popular(suggester: SkillSuggester) -> None:
    # JavaScript and Prise de parole en public are both used 5 times: alphabetical order.
    expected = ["Kubernetes", "Python", "Excel", "JavaScript", "Prise de parole en public"]
    assert labels(suggester.suggest("", limit=5)) == expected
    assert labels(suggester.suggest(" \t ", limit=5)) == expected
    assert all(not s.exact for s in suggester.suggest(""))


def test_labels_naming_nothing_are_never_offered(suggester: SkillSuggester) -> None:
    assert "???" not in labels(suggester.suggest("", limit=100))
    # A query naming nothing yet is like an empty one.
    assert suggester.suggest("???") == suggester.suggest("")


def test_limit_is_respected(suggester: SkillSuggester) -> None:
    assert len(suggester.suggest("", limit=3)) == 3
    assert len(suggester.suggest("e", limit=2)) == 2
    assert suggester.suggest("kub", limit=0) == []


def test_an_unknown_query_offers_nothing(suggester: SkillSuggester) -> None:
    assert suggester.suggest("zzqxv") == []


def test_add_makes_a_new_label_suggestable_at_once() -> None:
    suggester = network()
    assert "Bookbinding" not in labels(suggester.suggest("book"))
    suggester.add("Bookbinding")
    assert suggester.suggest("book")[0] == Suggestion("Bookbinding", 1, exact=False)
    assert suggester.suggest("bookbindnig")[0].label == "Bookbinding"


def test_add_updates_counts_and_the_shown_wording() -> None:
    suggester = network()
    for _ in range(4):
        suggester.add("kubernetes")
    assert suggester.suggest("k8s")[0] == Suggestion("kubernetes", 14, exact=True)
    suggester.extend(["Origami"] * 20)
    assert suggester.suggest("")[0] == Suggestion("Origami", 22, exact=False)


def test_a_new_common_wording_becomes_searchable() -> None:
    suggester = SkillSuggester.from_labels(["public speaking"] * 10)
    assert suggester.suggest("prise de par") == []
    suggester.extend(["prise de parole en public"] * 3)
    assert labels(suggester.suggest("prise de par")) == ["public speaking"]


def test_reads_are_safe_while_labels_are_added() -> None:
    suggester = network()
    errors: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(200):
                assert len(suggester.suggest("k", limit=5)) <= 5
        except BaseException as error:  # a thread cannot fail the test by raising
            errors.append(error)

    readers = [threading.Thread(target=read) for _ in range(2)]
    for reader in readers:
        reader.start()
    for k in range(200):
        suggester.add(f"Knitting pattern {chr(ord('a') + k % 26)}{k}")
    for reader in readers:
        reader.join()
    assert errors == []
    assert suggester.suggest("knitting")[0].label.startswith("Knitting")


# -- Slack options -------------------------------------------------------------------------


def option(text: str, value: str | None = None) -> dict[str, object]:
    return {"text": {"type": "plain_text", "text": text}, "value": text if value is None else value}


def test_options_keep_the_person_own_wording_first(suggester: SkillSuggester) -> None:
    options = skill_options("  kubernets   admin ", suggester.suggest("kubernets admin"))
    assert options[0] == option("kubernets admin")
    assert option("Kubernetes") in options


def test_options_do_not_repeat_the_own_wording_of_a_suggestion() -> None:
    suggestions = [Suggestion("Excel", 6, True), Suggestion("Excel pivot tables", 2, False)]
    assert skill_options("EXCEL", suggestions) == [option("Excel"), option("Excel pivot tables")]


def test_options_skip_an_empty_wording_and_duplicates() -> None:
    suggestions = [Suggestion("Python", 8, False), Suggestion("python", 1, False)]
    assert skill_options("   ", suggestions) == [option("Python")]
    assert skill_options("", []) == []


def test_options_fit_slack_limits() -> None:
    typed = "Very long skill " + "x" * 300
    suggestions = [Suggestion(f"Skill {k} " + "y" * 200, 1, False) for k in range(150)]
    options = skill_options(typed, suggestions, max_options=500)
    assert len(options) == SLACK_MAX_OPTIONS
    assert options[0]["value"] == typed[:OPTION_VALUE_MAX]
    assert options[0]["text"]["text"].endswith("…")
    for made in options:
        assert made["text"]["type"] == "plain_text"
        assert 0 < len(made["text"]["text"]) <= OPTION_TEXT_MAX
        assert 0 < len(made["value"]) <= OPTION_VALUE_MAX
    assert len(skill_options(typed, suggestions)) == 20
    assert len(skill_options(typed, suggestions, max_options=3)) == 3


def test_options_drop_control_characters() -> None:
    assert skill_options("Ex\x00cel\n\tmacros\x7f", []) == [option("Ex cel macros")]


@settings(max_examples=200, deadline=None)
@given(query=st.text(max_size=400), limit=st.integers(min_value=0, max_value=15))
def test_any_query_gives_bounded_suggestions_and_valid_options(
    suggester: SkillSuggester, query: str, limit: int
) -> None:
    found = suggester.suggest(query, limit)
    assert len(found) <= limit
    assert len({s.label for s in found}) == len(found)
    options = skill_options(query, found)
    assert len(options) <= min(20, len(found) + 1)
    for made in options:
        assert made["text"]["type"] == "plain_text"
        assert 0 < len(made["text"]["text"]) <= OPTION_TEXT_MAX
        assert 0 < len(made["value"]) <= OPTION_VALUE_MAX


@settings(max_examples=100, deadline=None)
@given(typed=st.lists(st.text(max_size=40), max_size=12), query=st.text(max_size=40))
def test_any_labels_give_suggestions_among_them(typed: list[str], query: str) -> None:
    suggester = SkillSuggester.from_labels(typed)
    known = {clean(label) for label in typed}  # as typed, control characters dropped
    for made in suggester.suggest(query, 5):
        assert made.label in known
        assert made.count >= 1
