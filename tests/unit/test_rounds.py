"""The round engine: every constraint, the preference order, fairness, reasons, determinism."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.matching import is_match, normalize
from bot.matching.rounds.model import (
    Candidate,
    PastExchange,
    ProposedExchange,
    RoundConfig,
    RoundResult,
)
from bot.matching.rounds.planner import plan_round
from tests.support.candidates import member, pairs_taught, reason_of

# Skills whose case variants match and which never match each other, whatever the tuning.
SKILLS = ("Python", "Excel", "Kubernetes", "Figma", "Accounting", "Photoshop", "Negotiation")
NO_GROUPS = RoundConfig(group_max_size=2)


def kinds(result: RoundResult) -> list[str]:
    return [exchange.kind for exchange in result.exchanges]


def lessons_given(result: RoundResult, teacher: str) -> int:
    return sum(lesson.teacher == teacher for x in result.exchanges for lesson in x.lessons)


def test_the_skills_used_here_match_only_their_own_spellings() -> None:
    for a in SKILLS:
        assert is_match(a, a.lower()) and is_match(a.upper(), a)
        for b in SKILLS:
            assert is_match(a, b) == (a == b)


# ---- preference order -----------------------------------------------------------------


def test_a_swap_beats_two_one_way_pairs() -> None:
    people = [
        member("A", ["Python"], ["Excel"]),
        member("B", ["Excel"], ["Python"]),
        member("C", ["Python"], ["Figma"], waited_days=50),
        member("D", ["Excel"], ["Figma"], waited_days=50),
    ]
    result = plan_round(people)
    assert kinds(result) == ["swap"]
    (swap,) = result.exchanges
    assert set(swap.members) == {"A", "B"}
    assert pairs_taught(result) == {("A", "B"), ("B", "A")}


def test_a_three_way_cycle_beats_one_way_pairs() -> None:
    people = [
        member("A", ["Python"], ["Figma"]),
        member("B", ["Accounting"], ["python"]),
        member("C", ["Figma"], ["accounting"]),
        member("D", ["Figma"], ["Negotiation"], waited_days=90),
    ]
    result = plan_round(people, config=NO_GROUPS)
    assert kinds(result) == ["cycle"]
    (cycle,) = result.exchanges
    assert pairs_taught(result) == {("A", "B"), ("B", "C"), ("C", "A")}
    first, second, third = cycle.members
    assert [(x.teacher, x.learner) for x in cycle.lessons] == [
        (first, second),
        (second, third),
        (third, first),
    ]


def test_a_lesson_keeps_each_sides_own_wording() -> None:
    result = plan_round([member("T", ["PYTHON"], ["Figma"]), member("L", ["Excel"], ["python"])])
    (exchange,) = result.exchanges
    (lesson,) = exchange.lessons
    assert (exchange.kind, lesson.teach, lesson.learn) == ("pair", "PYTHON", "python")
    assert lesson.score > 0


# ---- groups ---------------------------------------------------------------------------


def test_three_to_five_learners_of_one_teacher_make_a_group() -> None:
    learners = [member(f"L{k}", ["Negotiation"], ["Python"]) for k in range(5)]
    result = plan_round([member("T", ["Python"], ["Figma"], teacher_capacity=1), *learners])
    assert kinds(result) == ["group"]
    (group,) = result.exchanges
    assert group.members == ("T", "L0", "L1", "L2", "L3", "L4")
    assert {x.teacher for x in group.lessons} == {"T"}


def test_a_group_never_exceeds_six_people_and_costs_one_teacher_unit() -> None:
    learners = [member(f"L{k}", ["Negotiation"], ["Python"]) for k in range(8)]
    result = plan_round([member("T", ["Python"], ["Figma"], teacher_capacity=2), *learners])
    assert kinds(result) == ["group", "group"]
    sizes = sorted(len(x.members) for x in result.exchanges)
    assert sizes == [4, 6]  # 5 learners, then the 3 left


def test_two_learners_are_not_a_group() -> None:
    learners = [member(f"L{k}", ["Negotiation"], ["Python"]) for k in range(2)]
    result = plan_round([member("T", ["Python"], ["Figma"]), *learners])
    assert kinds(result) == ["pair", "pair"]


def test_group_learners_who_avoid_each_other_are_split() -> None:
    learners = [member(f"L{k}", ["Negotiation"], ["Python"]) for k in range(4)]
    learners[0] = member("L0", ["Negotiation"], ["Python"], avoid=frozenset({"L1"}))
    result = plan_round([member("T", ["Python"], ["Figma"], teacher_capacity=1), *learners])
    (group,) = result.exchanges
    assert not {"L0", "L1"} <= set(group.members)
    assert len(group.members) == 4


# ---- capacity -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "taught"),
    [
        ({}, 2),
        ({"teacher_capacity": 3}, 3),
        ({"open_as_teacher": 1}, 1),
        ({"teacher_capacity": 1, "open_as_teacher": 1}, 0),
    ],
)
def test_a_teacher_never_exceeds_capacity(fields: dict[str, int], taught: int) -> None:
    learners = [member(f"L{k}", ["Negotiation"], ["Python"]) for k in range(5)]
    result = plan_round([member("T", ["Python"], ["Figma"], **fields), *learners], (), NO_GROUPS)
    assert lessons_given(result, "T") == taught


def test_the_round_default_teacher_capacity_applies_when_a_member_sets_none() -> None:
    learners = [member(f"L{k}", ["Negotiation"], ["Python"]) for k in range(5)]
    config = RoundConfig(teacher_capacity=4, group_max_size=2)
    result = plan_round([member("T", ["Python"], ["Figma"]), *learners], (), config)
    assert lessons_given(result, "T") == 4


@pytest.mark.parametrize(
    ("fields", "learned"),
    [
        ({}, 1),
        ({"learner_capacity": 2}, 2),
        ({"learner_capacity": 2, "open_as_learner": 1}, 1),
        ({"open_as_learner": 1}, 0),
    ],
)
def test_a_learner_never_exceeds_capacity(fields: dict[str, int], learned: int) -> None:
    people = [
        member("L", ["Negotiation"], ["Python", "Excel", "Figma"], **fields),
        member("T1", ["Python"], ["Accounting"]),
        member("T2", ["Excel"], ["Accounting"]),
        member("T3", ["Figma"], ["Accounting"]),
    ]
    result = plan_round(people)
    got = [x for x in result.exchanges for lesson in x.lessons if lesson.learner == "L"]
    assert len(got) == learned
    if learned == 0:
        assert reason_of(result, "L").reason_code == "learner_at_capacity"


def test_a_learner_never_learns_one_skill_twice_in_a_round() -> None:
    people = [
        member("L", ["Negotiation"], ["Python", "python", "Excel"], learner_capacity=3),
        member("T1", ["Excel"], ["Accounting"]),
        member("T2", ["Python"], ["Accounting"]),
    ]
    result = plan_round(people)
    learned = [x.learn.lower() for e in result.exchanges for x in e.lessons if x.learner == "L"]
    assert sorted(learned) == ["excel", "python"]


# ---- who may meet ---------------------------------------------------------------------


@pytest.mark.parametrize("who_avoids", ["teacher", "learner"])
def test_nobody_is_paired_with_someone_avoided_either_way(who_avoids: str) -> None:
    teacher = member(
        "T", ["Python"], ["Figma"], avoid=frozenset({"L"} if who_avoids == "teacher" else ())
    )
    learner = member(
        "L", ["Excel"], ["Python"], avoid=frozenset({"T"} if who_avoids == "learner" else ())
    )
    result = plan_round([teacher, learner])
    assert result.exchanges == ()
    assert reason_of(result, "L").reason_code == "only_avoided_or_recent"


@pytest.mark.parametrize(
    ("history", "cooldown", "may_meet"),
    [
        ([PastExchange("T", "L", 30, True)], 90, False),
        ([PastExchange("L", "T", 30, True)], 90, False),  # partners either way round
        ([PastExchange("T", "L", 30, False)], 90, True),  # it never happened
        ([PastExchange("T", "L", 120, True)], 90, True),
        ([PastExchange("T", "L", 30, True)], 10, True),
        ([PastExchange("T", "L", 60, True), PastExchange("T", "L", 5, False)], 90, True),
        ([PastExchange("T", "L", 5, True), PastExchange("T", "L", 60, False)], 90, False),
        ([PastExchange("T", "X", 5, True)], 90, True),
    ],
)
def test_the_same_partners_wait_out_the_cooldown(
    history: list[PastExchange], cooldown: float, may_meet: bool
) -> None:
    people = [member("T", ["Python"], ["Figma"]), member("L", ["Excel"], ["Python"])]
    result = plan_round(people, history, RoundConfig(cooldown_days=cooldown))
    assert (("T", "L") in pairs_taught(result)) == may_meet
    if not may_meet:
        assert reason_of(result, "L").reason_code == "only_avoided_or_recent"


@pytest.mark.parametrize(
    ("teach", "learn", "code"),
    [
        ([], ["Python"], "nothing_to_teach"),
        (["  "], ["Python"], "nothing_to_teach"),
        (["Python"], [], "nothing_to_learn"),
        ([], [], "nothing_to_learn"),
    ],
)
def test_incomplete_members_are_out(teach: list[str], learn: list[str], code: str) -> None:
    people = [
        member("I", teach, learn),
        member("T", ["Python"], ["Excel"]),
        member("L", ["Excel"], ["Python"]),
    ]
    result = plan_round(people)
    assert all("I" not in x.members for x in result.exchanges)
    assert reason_of(result, "I").reason_code == code


def test_nobody_meets_themselves() -> None:
    result = plan_round([member("A", ["Python"], ["python"])])
    assert result.exchanges == ()
    assert reason_of(result, "A").reason_code == "nobody_teaches"


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        plan_round([member("A", ["Python"], ["Excel"]), member("A", ["Excel"], ["Python"])])


# ---- fairness -------------------------------------------------------------------------


def test_the_longest_waiting_learner_gets_the_last_slot() -> None:
    people = [
        member("T", ["Python"], ["Figma"], teacher_capacity=1),
        member("L1", ["Excel"], ["Python"], waited_days=3),
        member("L2", ["Excel"], ["Python"], waited_days=40),
    ]
    result = plan_round(people, (), NO_GROUPS)
    assert pairs_taught(result) == {("T", "L2")}
    assert reason_of(result, "L1").reason_code == "teachers_busy"


def test_a_generous_balance_breaks_a_tie_in_waiting() -> None:
    people = [
        member("T", ["Python"], ["Figma"], teacher_capacity=1),
        member("L1", ["Excel"], ["Python"], hours_taught=2, hours_learned=6),
        member("L2", ["Excel"], ["Python"], hours_taught=9, hours_learned=1),
    ]
    result = plan_round(people, (), NO_GROUPS)
    assert pairs_taught(result) == {("T", "L2")}


def test_teacher_load_is_spread_before_anyone_teaches_twice() -> None:
    teachers = [member(f"T{k}", ["Python"], ["Figma"], teacher_capacity=3) for k in range(3)]
    learners = [member(f"L{k}", ["Excel"], ["Python"]) for k in range(3)]
    result = plan_round([*teachers, *learners], (), NO_GROUPS)
    assert Counter(x.teacher for e in result.exchanges for x in e.lessons) == {
        "T0": 1,
        "T1": 1,
        "T2": 1,
    }


def test_the_least_loaded_teacher_counts_exchanges_already_open() -> None:
    people = [
        member("T1", ["Python"], ["Figma"], open_as_teacher=1),
        member("T2", ["Python"], ["Figma"]),
        member("L", ["Excel"], ["Python"]),
    ]
    assert pairs_taught(plan_round(people)) == {("T2", "L")}


# ---- reasons --------------------------------------------------------------------------


def test_nobody_teaches_names_the_skill_and_how_many_others_want_it() -> None:
    people = [member(f"L{k}", ["Excel"], ["Rust"]) for k in range(3)]
    result = plan_round(people)
    assert result.exchanges == ()
    for item in result.unmatched:
        assert (item.reason_code, item.skill, item.demand) == ("nobody_teaches", "Rust", 2)
        assert item.reason == "nobody teaches Rust yet; 2 other people want it too"


def test_each_unmatched_member_is_told_once() -> None:
    people = [member("L", ["Excel"], ["Rust", "Go", "Python"])]
    result = plan_round(people)
    assert [item.id for item in result.unmatched] == ["L"]
    assert result.unmatched[0].skill == "Rust"


def test_busy_teachers_are_the_reason_rather_than_a_skill_nobody_teaches() -> None:
    people = [
        member("T", ["Python"], ["Figma"], teacher_capacity=1),
        member("L1", ["Excel"], ["Python"], waited_days=9),
        member("L2", ["Excel"], ["Rust", "Python"]),
    ]
    result = plan_round(people, (), NO_GROUPS)
    assert (reason_of(result, "L2").reason_code, reason_of(result, "L2").skill) == (
        "teachers_busy",
        "Python",
    )


def test_stats_count_what_happened() -> None:
    people = [
        member("A", ["Python"], ["Excel"]),
        member("B", ["Excel"], ["Python"]),
        member("C", ["Figma"], ["Rust"]),
        member("D", [], ["Rust"]),
    ]
    stats = plan_round(people).stats
    assert stats["members"] == 4 and stats["complete"] == 3
    assert stats["swaps"] == 1 and stats["exchanges"] == 1 and stats["lessons"] == 2
    assert stats["learners_served"] == 2 and stats["unmatched"] == 2


# ---- determinism ----------------------------------------------------------------------


def crowd() -> list[Candidate]:
    """Many ties, so the seed matters."""
    return [
        member(f"P{k:02d}", [SKILLS[k % 4]], [SKILLS[(k * 3 + 1) % 5]], teacher_capacity=1)
        for k in range(40)
    ]


def test_the_same_input_and_seed_give_the_same_round() -> None:
    assert plan_round(crowd(), (), RoundConfig(seed=7)) == plan_round(
        crowd(), (), RoundConfig(seed=7)
    )


def test_input_order_does_not_matter() -> None:
    shuffled = crowd()
    random.Random(3).shuffle(shuffled)
    assert plan_round(shuffled, (), RoundConfig(seed=7)) == plan_round(
        crowd(), (), RoundConfig(seed=7)
    )


def test_the_seed_only_breaks_ties() -> None:
    results = {plan_round(crowd(), (), RoundConfig(seed=seed)).exchanges for seed in range(6)}
    assert len(results) > 1


def test_an_empty_round_is_fine() -> None:
    result = plan_round([])
    assert (result.exchanges, result.unmatched, result.stats["members"]) == ((), (), 0)


# ---- property: no round ever breaks a rule --------------------------------------------

LABELS = ("Python", "python", "PYTHON", "Excel", "excel", "Figma", "Accounting", "SQL Server")
IDS = tuple(f"M{k}" for k in range(12))


@st.composite
def networks(draw: st.DrawFn) -> tuple[list[Candidate], list[PastExchange], RoundConfig]:
    ids = draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=len(IDS), unique=True))
    labels = st.lists(st.sampled_from(LABELS), max_size=3)
    people = [
        Candidate(
            id=member_id,
            teach=tuple(draw(labels)),
            learn=tuple(draw(labels)),
            avoid=frozenset(draw(st.lists(st.sampled_from(ids), max_size=2))),
            teacher_capacity=draw(st.none() | st.integers(0, 3)),
            learner_capacity=draw(st.none() | st.integers(0, 2)),
            open_as_teacher=draw(st.integers(0, 2)),
            open_as_learner=draw(st.integers(0, 1)),
            waited_days=draw(st.sampled_from([0.0, 10.0, 30.0])),
            hours_taught=draw(st.sampled_from([0.0, 5.0])),
        )
        for member_id in ids
    ]
    history = [
        PastExchange(
            teacher, learner, draw(st.sampled_from([1.0, 60.0, 200.0])), draw(st.booleans())
        )
        for teacher, learner in draw(
            st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=8)
        )
    ]
    config = RoundConfig(
        teacher_capacity=draw(st.integers(0, 3)),
        learner_capacity=draw(st.integers(0, 2)),
        seed=draw(st.integers(0, 3)),
        group_min_learners=draw(st.integers(2, 4)),
        group_max_size=draw(st.integers(3, 6)),
    )
    return people, history, config


def recent_partners(history: list[PastExchange], cooldown: float) -> set[frozenset[str]]:
    """Reference rule: the latest exchange of a pair blocks it if it met within the cooldown."""
    latest: dict[frozenset[str], list[PastExchange]] = {}
    for past in history:
        latest.setdefault(frozenset((past.teacher, past.learner)), []).append(past)
    blocked = set()
    for pair, pasts in latest.items():
        nearest = min(p.days_ago for p in pasts)
        if nearest < cooldown and any(p.met for p in pasts if p.days_ago == nearest):
            blocked.add(pair)
    return blocked


def check_exchange_shape(exchange: ProposedExchange, config: RoundConfig) -> None:
    lessons = [(x.teacher, x.learner) for x in exchange.lessons]
    members = exchange.members
    assert len(set(members)) == len(members)
    assert {p for pair in lessons for p in pair} == set(members)
    if exchange.kind == "pair":
        assert lessons == [members]
    elif exchange.kind == "swap":
        a, b = members
        assert sorted(lessons) == sorted([(a, b), (b, a)])
    elif exchange.kind == "cycle":
        a, b, c = members
        assert lessons == [(a, b), (b, c), (c, a)]
    else:
        teacher, *learners = members
        assert config.group_min_learners <= len(learners) and len(members) <= config.group_max_size
        assert lessons == [(teacher, learner) for learner in learners]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_no_round_breaks_a_rule(
    network: tuple[list[Candidate], list[PastExchange], RoundConfig],
) -> None:
    people, history, config = network
    result = plan_round(people, history, config)
    by_id = {c.id: c for c in people}
    blocked = recent_partners(history, config.cooldown_days)
    teacher_units: Counter[str] = Counter()
    learned: Counter[str] = Counter()
    taught_pairs: list[frozenset[str]] = []
    learned_skills: set[tuple[str, str]] = set()
    for exchange in result.exchanges:
        check_exchange_shape(exchange, config)
        for a in exchange.members:
            for b in exchange.members:
                assert a == b or b not in by_id[a].avoid
        for lesson in exchange.lessons:
            teacher, learner = by_id[lesson.teacher], by_id[lesson.learner]
            assert teacher.id != learner.id
            assert lesson.teach in teacher.teach and lesson.learn in learner.learn
            assert is_match(lesson.teach, lesson.learn)
            assert frozenset((teacher.id, learner.id)) not in blocked
            assert teacher.learn and learner.teach  # incomplete members are out
            learned[learner.id] += 1
            skill = (learner.id, normalize(lesson.learn))
            assert skill not in learned_skills
            learned_skills.add(skill)
        taught_pairs += {frozenset((x.teacher, x.learner)) for x in exchange.lessons}
        if exchange.kind == "group":
            teacher_units[exchange.members[0]] += 1
        else:
            for lesson in exchange.lessons:
                teacher_units[lesson.teacher] += 1
    assert len(taught_pairs) == len(set(taught_pairs))  # a pair meets once a round
    for member_id, units in teacher_units.items():
        c = by_id[member_id]
        capacity = config.teacher_capacity if c.teacher_capacity is None else c.teacher_capacity
        assert units <= capacity - c.open_as_teacher
    for member_id, count in learned.items():
        c = by_id[member_id]
        capacity = config.learner_capacity if c.learner_capacity is None else c.learner_capacity
        assert count <= capacity - c.open_as_learner
    in_exchanges = {m for x in result.exchanges for m in x.members}
    told = [item.id for item in result.unmatched]
    assert len(told) == len(set(told)) and not in_exchanges & set(told)
    assert in_exchanges | set(told) == set(by_id)
    shuffled = list(reversed(people))
    assert plan_round(shuffled, history, config) == result
