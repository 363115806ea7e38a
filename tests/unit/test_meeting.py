"""Who can meet (issue 13): a shared language, one site for in-person exchanges, working
hours that overlap when there is a choice, and the real reason when nobody fits."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.matching.meeting import (
    Sites,
    hours_apart,
    language_code,
    language_names,
    same_site,
    utc_offset_minutes,
)
from bot.matching.rounds.model import Candidate, PastExchange, RoundConfig
from bot.matching.rounds.planner import plan_round
from handlers.views.rounds import unmatched_text
from tests.support.candidates import member, pairs_taught, reason_of

NO_GROUPS = RoundConfig(group_max_size=2)
PARIS, NEW_YORK, TOKYO = 60, -300, 540  # UTC offsets in minutes, in winter


# ---- the pieces -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Toulouse", "toulouse", True),
        ("Toulouse", "Toulouze", True),
        ("Toulouse", " TOULOUSE ", True),
        ("Saint-Étienne", "saint etienne", True),
        ("New York", "NewYork", True),
        ("New York", "New Yrok", True),
        ("Montréal", "Montreal", True),
        ("Paris", "Lyon", False),
        ("Paris 8", "Paris 9", False),
        ("Lyon", "Lyo", False),  # short words: only slips that rarely make another word
        ("Toulouse", "Moulouse", False),  # a slip never changes the first letter
        ("Toulouse", None, False),
        (None, None, False),
        ("", "", False),
        ("!!!", "!!!", False),
    ],
)
def test_sites_are_compared_like_skills(a: str | None, b: str | None, same: bool) -> None:
    assert same_site(a, b) is same
    assert same_site(b, a) is same


def test_site_ids_join_wordings_of_one_place_whatever_the_order() -> None:
    typed = ["Toulouse", "toulouse", "Toulouze", "Lyon", None, "", "Bordeaux", "toulouse"]
    sites = Sites(typed)
    ids = [sites.id_of(raw) for raw in typed]
    assert ids[0] == ids[1] == ids[2] == ids[7] and len({ids[0], ids[3], ids[6]}) == 3
    assert ids[4] == ids[5] == -1 and len(sites) == 3
    assert sites.name(ids[0]) == "toulouse"  # the most common wording names the site
    again = Sites(reversed(typed))
    assert [again.id_of(raw) for raw in typed] == ids
    assert sites.id_of("Marseille") == -1  # not typed by anyone in this round


def test_language_codes_and_names() -> None:
    assert [language_code(tag) for tag in ("fr", "FR", "fr-CA", "pt_BR", " en ", "fra")] == [
        "fr",
        "fr",
        "fr",
        "pt",
        "en",
        "fra",
    ]
    assert [language_code(tag) for tag in ("French", "f", "", "12", "fr-")] == [None] * 5
    assert language_names(["fr", "en"], "en") == "French or English"
    assert language_names(["fr", "en"], "fr") == "français ou anglais"
    assert language_names(["fr", "en", "de"], "en") == "French, English, or German"


def test_timezones_are_hours_apart_around_the_clock() -> None:
    from datetime import UTC, datetime

    winter = datetime(2026, 12, 1, 12, tzinfo=UTC)
    summer = datetime(2026, 7, 1, 12, tzinfo=UTC)
    assert utc_offset_minutes("Europe/Paris", winter) == PARIS
    assert utc_offset_minutes("Europe/Paris", summer) == 120
    assert utc_offset_minutes("Asia/Kolkata", winter) == 330
    assert utc_offset_minutes("Mars/Olympus", winter) is None
    assert utc_offset_minutes(None, winter) is None
    assert hours_apart(PARIS, NEW_YORK) == 6 and hours_apart(PARIS, TOKYO) == 8
    assert hours_apart(14 * 60, -10 * 60) == 0  # Kiribati and Hawaii: same clock, next day


# ---- a shared language ----------------------------------------------------------------


def test_people_without_a_language_in_common_are_never_paired() -> None:
    people = [
        member("T", ["Rust"], ["Figma"], languages=["fr"]),
        member("L", ["Figma"], ["Rust"], languages=["en"]),
    ]
    result = plan_round(people)
    assert result.exchanges == ()
    reason = reason_of(result, "L")
    assert (reason.reason_code, reason.skill, reason.languages) == (
        "no_shared_language",
        "Rust",
        ("en",),
    )
    assert reason.reason == "nobody who speaks English teaches Rust yet"


def test_one_language_in_common_is_enough_and_unknown_languages_fit_anyone() -> None:
    people = [
        member("T", ["Rust"], ["Figma"], languages=["fr", "en"]),
        member("L", ["Figma"], ["Rust"], languages=["EN", "de"]),
        member("U", ["Excel"], ["rust"]),  # no languages given: not constrained
    ]
    assert pairs_taught(plan_round(people)) >= {("T", "L"), ("L", "T")}
    assert ("T", "U") in pairs_taught(plan_round(people, config=RoundConfig(teacher_capacity=2)))


def test_a_cycle_shares_one_language_not_just_one_per_pair() -> None:
    # A and B share French, B and C German, C and A English: no language for all three
    people = [
        member("A", ["Python"], ["Figma"], languages=["en", "fr"]),
        member("B", ["Accounting"], ["python"], languages=["fr", "de"]),
        member("C", ["Figma"], ["accounting"], languages=["de", "en"]),
    ]
    result = plan_round(people, config=NO_GROUPS)
    assert "cycle" not in [x.kind for x in result.exchanges]
    assert pairs_taught(result) == {("A", "B"), ("B", "C"), ("C", "A")}  # as one-way pairs
    shared = [member(p.id, p.teach, p.learn, languages=["en"]) for p in people]
    assert [x.kind for x in plan_round(shared, config=NO_GROUPS).exchanges] == ["cycle"]


def test_a_group_speaks_one_language_with_its_teacher() -> None:
    learners = [member(f"F{k}", ["Negotiation"], ["Python"], languages=["fr"]) for k in range(3)]
    learners += [member(f"E{k}", ["Negotiation"], ["Python"], languages=["en"]) for k in range(2)]
    teacher = member("T", ["Python"], ["Figma"], teacher_capacity=1, languages=["en", "fr"])
    result = plan_round([teacher, *learners])
    (group,) = result.exchanges
    assert group.kind == "group" and group.members == ("T", "F0", "F1", "F2")
    for left in ("E0", "E1"):
        assert reason_of(result, left).reason_code == "teachers_busy"


# ---- in person, on one site -----------------------------------------------------------


def test_in_person_members_on_different_sites_are_never_paired() -> None:
    people = [
        member("T", ["Rust"], ["Figma"], mode="in_person", site="Toulouse"),
        member("L", ["Figma"], ["Rust"], mode="in_person", site="Bordeaux"),
    ]
    result = plan_round(people)
    assert result.exchanges == ()
    reason = reason_of(result, "L")
    assert (reason.reason_code, reason.sites, reason.teachers) == (
        "teachers_elsewhere",
        ("Toulouse",),
        1,
    )
    assert reason.reason == (
        "the only person who teaches Rust works in Toulouse, and you asked to meet in person"
    )


@pytest.mark.parametrize("typed", ["toulouse", "Toulouze", "  TOULOUSE "])
def test_in_person_members_on_one_site_are_paired_whatever_the_spelling(typed: str) -> None:
    people = [
        member("T", ["Rust"], ["Figma"], mode="in_person", site="Toulouse"),
        member("L", ["Excel"], ["Rust"], mode="in_person", site=typed),
    ]
    assert pairs_taught(plan_round(people)) == {("T", "L")}


@pytest.mark.parametrize(
    ("teacher", "learner", "paired"),
    [
        (("either", "Paris"), ("remote", "Tokyo"), True),
        (("remote", None), ("either", "Lyon"), True),
        (("either", "Paris"), ("either", "Lyon"), True),  # they can meet remotely
        (("in_person", "Paris"), ("either", "Paris"), True),
        (("in_person", "Paris"), ("remote", "paris"), True),  # on one site: they can meet
        (("in_person", "Paris"), ("either", "Lyon"), False),
        (("in_person", "Paris"), ("remote", None), False),  # not known to be in Paris
        (("either", "Paris"), ("in_person", "Lyon"), False),
        (("in_person", None), ("in_person", None), False),  # nobody is known to be near
    ],
)
def test_who_meets_whom_by_mode_and_site(
    teacher: tuple[str, str | None], learner: tuple[str, str | None], paired: bool
) -> None:
    people = [
        member("T", ["Rust"], ["Figma"], mode=teacher[0], site=teacher[1]),
        member("L", ["Excel"], ["Rust"], mode=learner[0], site=learner[1]),
    ]
    assert pairs_taught(plan_round(people)) == ({("T", "L")} if paired else set())


def test_an_in_person_member_without_a_site_is_told_to_add_one() -> None:
    people = [
        member("T", ["Rust"], ["Figma"], mode="either", site="Toulouse"),
        member("L", ["Figma"], ["Rust"], mode="in_person"),
    ]
    result = plan_round(people)
    assert result.exchanges == ()
    assert reason_of(result, "L").reason_code == "no_site"
    assert reason_of(result, "T").reason_code == "teachers_in_person"  # L teaches Figma


def test_a_teacher_who_meets_only_in_person_elsewhere_is_named() -> None:
    people = [
        member("T1", ["Rust"], ["Figma"], mode="in_person", site="Toulouse"),
        member("T2", ["rust"], ["Figma"], mode="in_person", site="toulouze"),
        member("T3", ["RUST"], ["Figma"], mode="in_person", site="Lyon"),
        member("L", ["Excel"], ["Rust"], mode="remote", site="Paris"),
    ]
    reason = reason_of(plan_round(people), "L")
    assert (reason.reason_code, reason.sites, reason.teachers) == (
        "teachers_in_person",
        ("Lyon", "Toulouse"),
        3,
    )
    assert reason.reason == "the people who teach Rust meet only in person, in Lyon and Toulouse"


def test_busy_teachers_beat_out_of_reach_ones() -> None:
    people = [
        member("T", ["Python"], ["Figma"], teacher_capacity=1, site="Lyon"),
        member("L1", ["Excel"], ["Python"], waited_days=9),
        member("L2", ["Excel"], ["Rust", "Python"], mode="in_person", site="Lyon"),
        member("R", ["Rust"], ["Figma"], mode="in_person", site="Paris"),
    ]
    result = plan_round(people, (), NO_GROUPS)
    # T is busy with L1 but could have met L2: that is the news, not Rust being elsewhere
    assert (reason_of(result, "L2").reason_code, reason_of(result, "L2").skill) == (
        "teachers_busy",
        "Python",
    )


def test_a_teacher_elsewhere_is_closer_than_one_who_speaks_another_language() -> None:
    people = [
        member("L", ["Excel"], ["Rust"], mode="in_person", site="Lyon", languages=["en"]),
        member("R1", ["Rust"], ["Figma"], mode="in_person", site="Paris", languages=["en"]),
        member("R2", ["Rust"], ["Figma"], mode="in_person", site="Lyon", languages=["de"]),
    ]
    reason = reason_of(plan_round(people), "L")
    assert (reason.reason_code, reason.sites, reason.teachers) == (
        "teachers_elsewhere",
        ("Paris",),
        1,
    )
    people[1] = member("R1", ["Rust"], ["Figma"], mode="in_person", site="Paris")
    assert reason_of(plan_round(people), "L").sites == ("Paris",)  # any language fits


def test_many_teachers_out_of_reach_are_summed_up_not_all_looked_at() -> None:
    teachers = [
        member(f"T{k:03d}", ["Rust"], ["Figma"], mode="in_person", site=f"Site {k % 7}")
        for k in range(200)
    ]
    learner = member("L", ["Excel"], ["Rust"], mode="in_person", site="Bordeaux")
    reason = reason_of(plan_round([*teachers, learner]), "L")
    assert (reason.reason_code, reason.sites) == ("teachers_elsewhere", ())  # too many sites
    assert reason.teachers > 1
    french = member("F", ["Rust"], ["Figma"], mode="in_person", site="Bordeaux", languages=["fr"])
    english = member("L", ["Excel"], ["Rust"], mode="in_person", site="Bordeaux", languages=["en"])
    reason = reason_of(plan_round([*teachers, french, english]), "L")
    assert reason.reason_code == "teachers_elsewhere"  # the one on the site speaks French


# ---- working hours --------------------------------------------------------------------


def test_a_teacher_in_working_hours_is_preferred_to_a_less_busy_one_far_away() -> None:
    people = [
        member("T_PARIS", ["Python"], ["Figma"], utc_offset=PARIS),
        member("T_TOKYO", ["Python"], ["Figma"], utc_offset=TOKYO, open_as_teacher=1),
        member("L", ["Excel"], ["Python"], utc_offset=TOKYO + 60),
    ]
    assert pairs_taught(plan_round(people)) == {("T_TOKYO", "L")}


def test_timezones_never_stop_a_pair_when_there_is_no_other_teacher() -> None:
    people = [
        member("T", ["Python"], ["Figma"], utc_offset=NEW_YORK, mode="remote"),
        member("L", ["Excel"], ["Python"], utc_offset=TOKYO + 60, mode="remote"),  # 15 h
    ]
    assert pairs_taught(plan_round(people)) == {("T", "L")}
    people = [
        member("T", ["Python"], ["Figma"], utc_offset=PARIS + 600),
        member("L", ["Excel"], ["Python"], utc_offset=PARIS),  # 10 h
    ]
    assert pairs_taught(plan_round(people)) == {("T", "L")}


def test_a_swap_partner_in_working_hours_is_preferred_to_a_better_ranked_one() -> None:
    people = [
        member("A", ["Python"], ["Excel"], waited_days=30, utc_offset=PARIS),
        member("B_FAR", ["Excel"], ["Python"], waited_days=20, utc_offset=TOKYO),
        member("B_NEAR", ["Excel"], ["Python"], waited_days=10, utc_offset=PARIS + 60),
    ]
    result = plan_round(people, (), NO_GROUPS)
    assert result.exchanges[0].kind == "swap"
    assert set(result.exchanges[0].members) == {"A", "B_NEAR"}


def test_a_group_takes_learners_in_the_teachers_working_hours_first() -> None:
    far = [
        member(f"F{k}", ["Negotiation"], ["Python"], waited_days=50, utc_offset=NEW_YORK)
        for k in range(3)
    ]
    near = [member(f"N{k}", ["Negotiation"], ["Python"], utc_offset=PARIS) for k in range(3)]
    teacher = member("T", ["Python"], ["Figma"], teacher_capacity=1, utc_offset=PARIS)
    (group,) = plan_round([teacher, *far, *near], (), RoundConfig(group_max_size=4)).exchanges
    assert group.members == ("T", "N0", "N1", "N2")


# ---- what people read -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "notice", "expected"),
    [
        (
            "en",
            {"reason": "no_shared_language", "skill": "Rust", "languages": ["fr"], "demand": 1},
            "nobody who speaks French teaches *Rust* yet; 1 other person wants it too.",
        ),
        (
            "fr",
            {"reason": "no_shared_language", "skill": "Rust", "languages": ["fr", "en"]},
            "personne qui parle français ou anglais n’enseigne encore *Rust*.",
        ),
        (
            "en",
            {"reason": "teachers_elsewhere", "skill": "Rust", "sites": ["Toulouse"], "teachers": 1},
            "the only person who teaches *Rust* works in Toulouse, and you asked to meet in "
            "person.",
        ),
        (
            "fr",
            {"reason": "teachers_elsewhere", "skill": "Rust", "sites": ["Toulouse"], "teachers": 1},
            "la seule personne qui enseigne *Rust* travaille à Toulouse, et vous avez demandé à "
            "vous voir en présentiel.",
        ),
        (
            "en",
            {"reason": "teachers_elsewhere", "skill": "Go", "sites": [], "teachers": 4},
            "the people who teach *Go* work elsewhere, and you asked to meet in person.",
        ),
        (
            "en",
            {
                "reason": "teachers_in_person",
                "skill": "Rust",
                "sites": ["Lyon", "Paris"],
                "teachers": 2,
            },
            "the people who teach *Rust* meet only in person, in Lyon and Paris.",
        ),
        (
            "fr",
            {
                "reason": "teachers_in_person",
                "skill": "Rust",
                "sites": ["Lyon", "Paris"],
                "teachers": 2,
            },
            "les personnes qui enseignent *Rust* n’échangent qu’en présentiel, à Lyon et Paris.",
        ),
        (
            "en",
            {"reason": "no_site", "skill": "Rust"},
            "you'd like to meet in person, but your profile has no site, so I can't tell who "
            "teaches *Rust* near you.",
        ),
        (
            "fr",
            {"reason": "no_site", "skill": "Rust"},
            "votre profil n’indique pas de site, je ne peux donc pas savoir qui enseigne *Rust* "
            "près de vous.",
        ),
    ],
)
def test_the_not_matched_notice_names_the_real_reason(
    lang: str, notice: dict[str, Any], expected: str
) -> None:
    text = unmatched_text(
        notice["reason"],
        notice["skill"],
        notice.get("demand", 0),
        lang,
        languages=notice.get("languages", ()),
        sites=notice.get("sites", ()),
        teachers=notice.get("teachers", 0),
    )
    assert expected in text.replace("\u00a0", " ").replace("\u202f", " ")


def test_sites_in_the_notice_are_escaped() -> None:
    text = unmatched_text(
        "teachers_elsewhere", "Rust", 0, "en", sites=["<!channel> *HQ*"], teachers=1
    )
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text


# ---- property: a round never breaks the meeting rules ---------------------------------

SITES = ("Toulouse", "toulouze", "Lyon", "Paris", None)
IDS = tuple(f"M{k}" for k in range(12))


@st.composite
def networks(draw: st.DrawFn) -> tuple[list[Candidate], list[PastExchange], RoundConfig]:
    ids = draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=len(IDS), unique=True))
    skills = ("Python", "python", "Excel", "Figma")
    labels = st.lists(st.sampled_from(skills), min_size=1, max_size=2)
    people = [
        Candidate(
            id=member_id,
            teach=tuple(draw(labels)),
            learn=tuple(draw(labels)),
            teacher_capacity=draw(st.none() | st.integers(1, 3)),
            waited_days=draw(st.sampled_from([0.0, 10.0, 30.0])),
            languages=frozenset(draw(st.lists(st.sampled_from(("en", "fr", "de")), max_size=2))),
            mode=draw(st.sampled_from(("in_person", "remote", "either"))),
            site=draw(st.sampled_from(SITES)),
            utc_offset=draw(st.none() | st.sampled_from([PARIS, NEW_YORK, TOKYO])),
        )
        for member_id in ids
    ]
    history = [
        PastExchange(teacher, learner, 1.0, True)
        for teacher, learner in draw(
            st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=4)
        )
    ]
    config = RoundConfig(
        learner_capacity=draw(st.integers(1, 2)),
        seed=draw(st.integers(0, 3)),
        group_min_learners=draw(st.integers(2, 3)),
        group_max_size=draw(st.integers(3, 6)),
    )
    return people, history, config


def speaks(candidate: Candidate) -> set[str] | None:
    return set(candidate.languages) or None  # None: any language


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_no_round_pairs_people_who_cannot_talk_or_meet(
    network: tuple[list[Candidate], list[PastExchange], RoundConfig],
) -> None:
    people, history, config = network
    by_id = {c.id: c for c in people}
    result = plan_round(people, history, config)
    for exchange in result.exchanges:
        group = [by_id[m] for m in exchange.members]
        common: set[str] | None = None
        for c in group:
            spoken = speaks(c)
            if spoken is not None:
                common = spoken if common is None else common & spoken
        assert common is None or common, f"no language common to {exchange.members}"
        for a in group:
            if a.mode == "in_person":
                for b in group:
                    assert a.site is not None and same_site(a.site, b.site), (a, b)
    told = {item.id: item for item in result.unmatched}
    for item in told.values():
        candidate = by_id[item.id]
        if item.reason_code == "no_site":
            assert candidate.mode == "in_person" and not candidate.site
        if item.reason_code == "teachers_elsewhere":
            assert candidate.mode == "in_person" and candidate.site
        if item.reason_code == "no_shared_language":
            assert candidate.languages
    assert plan_round(list(reversed(people)), history, config) == result
