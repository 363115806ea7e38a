"""The round engine: who meets whom this round. Slack-free and database-free.

Why it is shaped this way: a network of 100,000 members types a few tens of thousands of
distinct skill labels, so the engine compares *labels* once (`bot.matching.match_labels`)
and then works with label-level indexes; it never compares or enumerates pairs of people.

A round is chosen greedily in four phases, each serving people in priority order
(longest wait first, then most generous balance, then a seeded tie-break):

1. swaps: A teaches B and B teaches A (one meeting, two exchanges);
2. 3-cycles: A teaches B, B teaches C, C teaches A (one group DM);
3. peer groups: one teacher and 3-5 learners of the same skill (at most 6 people);
4. one-way pairs: each remaining learner gets the least-loaded teacher who can teach them.

Capacity: every lesson consumes one unit of its learner's capacity and one unit of its
teacher's, so a swap or cycle consumes one teacher unit and one learner unit of each
member. A group is ONE session, so it consumes ONE teacher unit (and one learner unit of
each learner): that is what makes groups worth proposing where teachers are scarce.

Partners in swaps and cycles are also served as learners, so they are chosen by learner
priority; load spreading (least-loaded teacher first) governs groups and one-way pairs.
Searches for swap and cycle partners look at a bounded number of candidates per label
pair, which keeps a round linear in members on adversarial data at the cost of rarely
missing a swap or cycle (the learner is then served by a group or a pair).

Who can meet (`bot.matching.meeting`): everyone in one exchange shares one language, in-person
members meet only people on their own site, and between people who may meet remotely a
partner whose working hours overlap is preferred (swaps, groups and pairs) but never
required. Each member's languages become a bitmask and their site an integer id before
the phases start, so every pair check stays O(1).
"""

from __future__ import annotations

import gc
import heapq
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice, pairwise
from typing import Literal

from bot.matching import match_labels, normalize
from bot.matching.meeting import (
    NEAR_HOURS,
    NO_SITE,
    MeetingMode,
    Sites,
    language_names,
    meeting_mode,
    place_names,
)

ExchangeKind = Literal["swap", "cycle", "pair", "group"]
ReasonCode = Literal[
    "nothing_to_teach",
    "nothing_to_learn",
    "learner_at_capacity",
    "nobody_teaches",
    "only_avoided_or_recent",
    "teachers_busy",
    "no_shared_language",
    "no_site",
    "teachers_elsewhere",
    "teachers_in_person",
]

_Pick = tuple[int, int, float]  # (teach label, learn label, score) of one possible lesson

# Bounds on partner searches: how many live candidates one label pair may examine.
_SWAP_SCAN = 24
_CYCLE_THIRD_SCAN = 4
_CYCLE_SECOND_SCAN = 3
_BLOCKED_SCAN = 64
_GROUP_SCAN = 64
_GROUP_TEACHER_TRIES = 3
_ANY_LANGUAGE = -1  # the bitmask of someone whose languages are not known: all bits set
_NEAR_MINUTES = NEAR_HOURS * 60
_NAMED_SITES = 3  # a "not matched" notice names at most this many sites
# How close someone left out came to a teacher, most hopeful first (see `_Planner._why`).
_BUSY, _AVOIDED, _ELSEWHERE, _NO_LANGUAGE, _NOBODY = range(5)
_CODES: dict[int, ReasonCode] = {
    _BUSY: "teachers_busy",
    _AVOIDED: "only_avoided_or_recent",
    _NOBODY: "nobody_teaches",
}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A member taking part in a round (the caller leaves paused members out).

    Capacities left as None take the round's `RoundConfig` values; `open_as_*` count the
    exchanges already open, which use up capacity before this round starts.

    Who they can meet (see `bot.matching.meeting`): `languages` they can exchange in (ISO 639 codes;
    empty: not known, so any), `mode` (`in_person`, `remote` or `either`), `site` (free
    text, compared as skills are) and `utc_offset` (minutes east of UTC, or None).
    """

    id: str
    teach: tuple[str, ...]
    learn: tuple[str, ...]
    avoid: frozenset[str] = frozenset()
    teacher_capacity: int | None = None
    learner_capacity: int | None = None
    open_as_teacher: int = 0
    open_as_learner: int = 0
    waited_days: float = 0.0
    hours_taught: float = 0.0
    hours_learned: float = 0.0
    languages: frozenset[str] = frozenset()
    mode: MeetingMode = "either"
    site: str | None = None
    utc_offset: int | None = None

    def __post_init__(self) -> None:
        meeting_mode(self.mode)


@dataclass(frozen=True, slots=True)
class PastExchange:
    """An earlier exchange; `met` says whether it actually happened."""

    teacher: str
    learner: str
    days_ago: float
    met: bool


@dataclass(frozen=True, slots=True)
class RoundConfig:
    """Round-wide rules (REX_TEACHER_CAPACITY, REX_LEARNER_CAPACITY, REX_COOLDOWN_DAYS).

    Groups hold `group_min_learners` to `group_max_size - 1` learners plus their teacher;
    with `group_max_size - 1 < group_min_learners` no group can form.
    """

    teacher_capacity: int = 2
    learner_capacity: int = 1
    cooldown_days: float = 90
    seed: int = 0
    group_min_learners: int = 3
    group_max_size: int = 6

    def __post_init__(self) -> None:
        if self.teacher_capacity < 0 or self.learner_capacity < 0:
            raise ValueError("capacities must be zero or more")
        if self.cooldown_days < 0:
            raise ValueError("cooldown_days must be zero or more")
        if self.group_min_learners < 2:
            raise ValueError("a group needs at least 2 learners (one learner is a pair)")


@dataclass(frozen=True, slots=True)
class Lesson:
    """One teacher teaching one learner one skill, with each side's own wording."""

    teacher: str
    learner: str
    teach: str
    learn: str
    score: float


@dataclass(frozen=True, slots=True)
class ProposedExchange:
    """One introduction: a pair, a swap, a 3-cycle (in teaching order) or a group.

    `members` lists the teacher first for pairs and groups, and A, B, C for a cycle
    A→B→C→A.
    """

    kind: ExchangeKind
    members: tuple[str, ...]
    lessons: tuple[Lesson, ...]


@dataclass(frozen=True, slots=True)
class Unmatched:
    """Why a member got nothing this round, structured so the Slack layer can localise it.

    `skill` is the member's own wording of the skill the reason is about, `demand` how many
    other members want that same skill (same normalised label) this round. For the reasons
    about meeting: `languages` the member speaks (`no_shared_language`), `sites` where the
    teachers who speak one of them are (as most people write it; empty when some are not
    known or there are too many to name) and `teachers` how many of those there are
    (`teachers_elsewhere`, `teachers_in_person`).
    """

    id: str
    reason_code: ReasonCode
    skill: str | None = None
    demand: int = 0
    languages: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    teachers: int = 0

    @property
    def reason(self) -> str:
        """Plain English, for `rex match` output and logs."""
        others = (
            f"; {self.demand} other {'person wants' if self.demand == 1 else 'people want'} it too"
            if self.demand
            else ""
        )
        match self.reason_code:
            case "nothing_to_teach":
                return "add a skill you can teach: exchanges are reciprocal"
            case "nothing_to_learn":
                return "add a skill you want to learn"
            case "learner_at_capacity":
                return "you already have as many open exchanges as a learner as you allow"
            case "nobody_teaches":
                return f"nobody teaches {self.skill} yet{others}"
            case "only_avoided_or_recent":
                return f"everyone who teaches {self.skill} is someone you avoid or met recently"
            case "teachers_busy":
                return f"everyone who teaches {self.skill} is fully booked this round{others}"
            case "no_shared_language":
                speaks = language_names(self.languages, "en")
                return f"nobody who speaks {speaks} teaches {self.skill} yet{others}"
            case "no_site":
                return (
                    f"you asked to meet in person but gave no site, so nobody who teaches"
                    f" {self.skill} is known to be near you"
                )
            case "teachers_elsewhere":
                who = (
                    f"the only person who teaches {self.skill} works"
                    if self.teachers == 1
                    else f"the people who teach {self.skill} work"
                )
                return f"{who} {self._where()}, and you asked to meet in person"
            case "teachers_in_person":
                who = (
                    f"the only person who teaches {self.skill} meets"
                    if self.teachers == 1
                    else f"the people who teach {self.skill} meet"
                )
                return f"{who} only in person, {self._where()}"

    def _where(self) -> str:
        return f"in {place_names(self.sites, 'en')}" if self.sites else "elsewhere"


@dataclass(frozen=True, slots=True)
class RoundResult:
    """The chosen exchanges (swaps, cycles, groups, pairs in that order) and the rest."""

    exchanges: tuple[ProposedExchange, ...]
    unmatched: tuple[Unmatched, ...]
    stats: dict[str, int | float] = field(default_factory=dict)


def plan_round(
    candidates: Sequence[Candidate],
    history: Sequence[PastExchange] = (),
    config: RoundConfig = RoundConfig(),
    progress: Callable[[str], None] | None = None,
) -> RoundResult:
    """Choose this round's exchanges. Same input and seed → same result, in any input order.

    `progress`, if given, receives one human line per stage (for long offline runs).
    """
    with gc_paused():
        return _Planner(candidates, history, config, progress).run()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a round builds millions of small acyclic
    objects: its repeated passes over them would cost more than the round itself."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Planner:
    """State of one round: people are indexes in id order, skills are label ids."""

    def __init__(
        self,
        candidates: Sequence[Candidate],
        history: Sequence[PastExchange],
        config: RoundConfig,
        progress: Callable[[str], None] | None,
    ) -> None:
        self.config = config
        self.say = progress or (lambda _line: None)
        self.started = time.perf_counter()
        people = sorted(candidates, key=lambda c: c.id)
        for before, after in pairwise(people):
            if before.id == after.id:
                raise ValueError(f"duplicate member id {before.id!r}")
        self.people = people
        self.n = n = len(people)
        self.index = {c.id: p for p, c in enumerate(people)}
        self.t_room = [
            max(0, _or(c.teacher_capacity, config.teacher_capacity) - c.open_as_teacher)
            for c in people
        ]
        self.l_room = [
            max(0, _or(c.learner_capacity, config.learner_capacity) - c.open_as_learner)
            for c in people
        ]
        self.t_load = [c.open_as_teacher for c in people]
        tiebreak = random.Random(config.seed)
        ties = [tiebreak.random() for _ in range(n)]
        self.order = sorted(
            range(n),
            key=lambda p: (
                -people[p].waited_days,
                -(people[p].hours_taught - people[p].hours_learned),
                ties[p],
            ),
        )
        self.rank = [0] * n
        for position, p in enumerate(self.order):
            self.rank[p] = position
        self._index_meeting()
        self.blocked, self.avoided = self._blocked_pairs(history)
        self.met_now: set[int] = set()
        self.served: dict[int, set[int]] = {}
        self.in_exchange = [False] * n
        self.exchanges: list[ProposedExchange] = []
        self.reach: dict[int, _Reach] = {}
        self._index_labels()
        self._set_aside_the_unreachable()

    # ---- setup -------------------------------------------------------------------------

    def _pair(self, a: int, b: int) -> int:
        return a * self.n + b if a < b else b * self.n + a

    def _index_meeting(self) -> None:
        """Per person: a bitmask of languages, a site id, whether they meet only in person,
        and a UTC offset, so `_fits` and `_near` compare integers."""
        bits: dict[str, int] = {}
        masks: dict[frozenset[str], int] = {}
        self.speaks: list[int] = []
        for c in self.people:
            mask = masks.get(c.languages)
            if mask is None:
                mask = 0
                for code in sorted(c.languages):
                    mask |= 1 << bits.setdefault(code.casefold(), len(bits))
                mask = masks[c.languages] = mask or _ANY_LANGUAGE
            self.speaks.append(mask)
        self.sites = Sites(c.site for c in self.people)
        self.site = [self.sites.id_of(c.site) for c in self.people]
        self.in_person = [c.mode == "in_person" for c in self.people]
        self.offset = [c.utc_offset for c in self.people]

    def _set_aside_the_unreachable(self) -> None:
        """Someone who meets only in person but gave no site can meet nobody: they take no
        part in the phases (no room left), and `_why` tells them to add a site."""
        for p in range(self.n):
            if self.in_person[p] and self.site[p] == NO_SITE:
                self.t_room[p] = self.l_room[p] = 0

    def _blocked_pairs(self, history: Sequence[PastExchange]) -> tuple[set[int], set[int]]:
        """Unordered pairs that may not meet: avoided either way, or met within the cooldown.

        Only the most recent exchange of a pair counts, so one that never happened frees the
        pair again.
        """
        avoided: set[int] = set()
        for p, c in enumerate(self.people):
            for other in c.avoid:
                q = self.index.get(other)
                if q is not None and q != p:
                    avoided.add(self._pair(p, q))
        latest: dict[int, tuple[float, bool]] = {}
        for past in history:
            a, b = self.index.get(past.teacher), self.index.get(past.learner)
            if a is None or b is None or a == b:
                continue
            key = self._pair(a, b)
            seen = latest.get(key)
            if seen is None or past.days_ago < seen[0]:
                latest[key] = (past.days_ago, past.met)
            elif past.days_ago == seen[0] and past.met:
                latest[key] = (seen[0], True)
        cooldown = self.config.cooldown_days
        recent = {key for key, (days, met) in latest.items() if met and days < cooldown}
        return avoided | recent, avoided

    def _index_labels(self) -> None:
        """Distinct labels per side, one bulk comparison, then label→people indexes."""
        teach_reps: list[str] = []
        learn_reps: list[str] = []
        keys: dict[str, str] = {}
        teach_of = _LabelIds(teach_reps, keys)
        learn_of = _LabelIds(learn_reps, keys)
        self.T: list[list[int]] = []
        self.T_words: list[list[str]] = []
        self.L: list[list[int]] = []
        self.L_words: list[list[str]] = []
        self.incomplete: dict[int, ReasonCode] = {}
        for p, c in enumerate(self.people):
            if not learn_of.any_label(c.learn):
                self.incomplete[p] = "nothing_to_learn"
            elif not teach_of.any_label(c.teach):
                self.incomplete[p] = "nothing_to_teach"
            complete = p not in self.incomplete
            teach, teach_words = teach_of.collect(c.teach if complete else ())
            # Learn labels only matter for people who can still learn this round.
            can_learn = complete and self.l_room[p] > 0
            learn, learn_words = learn_of.collect(c.learn if can_learn else ())
            self.T.append(teach)
            self.T_words.append(teach_words)
            self.L.append(learn)
            self.L_words.append(learn_words)
        n_complete = self.n - len(self.incomplete)
        self.say(f"loaded {self.n:,} members ({n_complete:,} with skills to teach and learn)")

        compare_start = time.perf_counter()
        edges = match_labels(teach_reps, learn_reps) if teach_reps and learn_reps else []
        edges.sort(key=lambda e: (-e[2], e[0], e[1]))
        n_t, n_l = len(teach_reps), len(learn_reps)
        self.n_learn_labels = n_l
        self.n_teach_labels = n_t
        self.n_edges = len(edges)
        self.say(
            f"compared {n_t:,} × {n_l:,} labels: {len(edges):,} matches"
            f" in {time.perf_counter() - compare_start:.1f} s"
        )
        # learn label → {teach label: score}, best first; and teach label → learn labels.
        self.scores: list[dict[int, float]] = [{} for _ in range(n_l)]
        self.cand_l: list[list[int]] = [[] for _ in range(n_t)]
        parent = list(range(n_t + n_l))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for t, lab, s in edges:
            self.cand_l[t].append(lab)
            self.scores[lab][t] = s
            a, b = find(t), find(n_t + lab)
            if a != b:
                parent[max(a, b)] = min(a, b)
        # Components of the label graph are a coarse key: two people who could teach each
        # other always share a bucket; exact matches are then checked with `self.scores`.
        comp_t = [find(t) for t in range(n_t)]
        comp_l = [find(n_t + lab) for lab in range(n_l)]
        self.n_comps = n_t + n_l
        self.TC = [_distinct([comp_t[t] for t in teach]) for teach in self.T]
        self.LC = [_distinct([comp_l[lab] for lab in learn]) for learn in self.L]

        self.teachers_of: list[list[int]] = [[] for _ in range(n_t)]
        self.learners_of: list[list[int]] = [[] for _ in range(n_l)]
        for p in self.order:
            for t in self.T[p]:
                self.teachers_of[t].append(p)
            for lab in self.L[p]:
                self.learners_of[lab].append(p)

    # ---- helpers -----------------------------------------------------------------------

    def _lesson(self, teacher: int, learner: int) -> _Pick | None:
        """The best-scoring (teach label, learn label) the teacher can offer the learner."""
        done = self.served.get(learner)
        teach = self.T[teacher]
        best: _Pick | None = None
        for lab in self.L[learner]:
            scores = self.scores[lab]
            if not scores or (done is not None and lab in done):
                continue
            for t in teach:
                s = scores.get(t)
                if s is not None and (best is None or s > best[2]):
                    best = (t, lab, s)
        return best

    def _may_meet(self, a: int, b: int) -> bool:
        """Not the same person, not blocked, not met already this round, and `_fits`."""
        if a == b or not self.speaks[a] & self.speaks[b]:
            return False
        if self.in_person[a] or self.in_person[b]:
            site = self.site[a]
            if site == NO_SITE or site != self.site[b]:
                return False
        key = a * self.n + b if a < b else b * self.n + a
        return key not in self.blocked and key not in self.met_now

    def _fits(self, a: int, b: int) -> bool:
        """A language in common, and the same site if either meets only in person."""
        if not self.speaks[a] & self.speaks[b]:
            return False
        if self.in_person[a] or self.in_person[b]:
            site = self.site[a]
            return site != NO_SITE and site == self.site[b]
        return True

    def _near(self, a: int, b: int) -> bool:
        """Working hours overlap: timezones less than NEAR_HOURS apart (or not known), or
        one site."""
        oa, ob = self.offset[a], self.offset[b]
        if oa is None or ob is None or oa == ob:
            return True
        site = self.site[a]
        if site != NO_SITE and site == self.site[b]:
            return True
        gap = abs(oa - ob) % 1440
        return min(gap, 1440 - gap) < _NEAR_MINUTES

    def _teach(self, teacher: int, learner: int, t: int, lab: int, s: float) -> Lesson:
        """Record one lesson: learner capacity, the pair's meeting, the learner's skill."""
        self.l_room[learner] -= 1
        self.met_now.add(self._pair(teacher, learner))
        self.served.setdefault(learner, set()).add(lab)
        self.in_exchange[teacher] = self.in_exchange[learner] = True
        return Lesson(
            teacher=self.people[teacher].id,
            learner=self.people[learner].id,
            teach=self.T_words[teacher][self.T[teacher].index(t)],
            learn=self.L_words[learner][self.L[learner].index(lab)],
            score=s,
        )

    def _use_teacher(self, teacher: int) -> None:
        self.t_room[teacher] -= 1
        self.t_load[teacher] += 1

    def _live(
        self, members: list[int], heads: dict[int, int], key: int, limit: int
    ) -> Iterator[int]:
        """Up to `limit` people of a rank-ordered list who can still teach and learn.

        Rooms only shrink, so the dead prefix is skipped for good; past it, at most
        `8 * limit` entries are looked at.
        """
        t_room, l_room = self.t_room, self.l_room
        start = heads.get(key, 0)
        end = len(members)
        while start < end and (t_room[members[start]] <= 0 or l_room[members[start]] <= 0):
            start += 1
        heads[key] = start
        return islice(
            (
                p
                for p in islice(members, start, start + 8 * limit)
                if t_room[p] > 0 and l_room[p] > 0
            ),
            limit,
        )

    # ---- phases ------------------------------------------------------------------------

    def run(self) -> RoundResult:
        arcs = self._arcs()
        self._swaps(arcs)
        self._cycles(arcs)
        heaps = self._teacher_heaps()
        self._groups(heaps)
        self._pairs(heaps)
        unmatched = self._unmatched()
        stats = self._stats(unmatched)
        self.say(
            f"chose {len(self.exchanges):,} exchange{'' if len(self.exchanges) == 1 else 's'}"
            f" in {time.perf_counter() - self.started:.1f} s"
        )
        return RoundResult(tuple(self.exchanges), tuple(unmatched), stats)

    def _arcs(self) -> dict[int, list[int]]:
        """People who can teach and learn, by (learn component, teach component), by rank."""
        arcs: defaultdict[int, list[int]] = defaultdict(list)
        width = self.n_comps
        for p in self.order:
            if self.t_room[p] > 0 and self.l_room[p] > 0:
                for learn_comp in self.LC[p]:
                    base = learn_comp * width
                    for teach_comp in self.TC[p]:
                        arcs[base + teach_comp].append(p)
        return arcs

    def _swaps(self, arcs: dict[int, list[int]]) -> None:
        heads: dict[int, int] = {}
        for a in self.order:
            if self.t_room[a] <= 0 or self.l_room[a] <= 0:
                continue
            found = self._swap_partner(a, arcs, heads)
            if found is not None:
                b, to_b, to_a = found
                lessons = (self._teach(a, b, *to_b), self._teach(b, a, *to_a))
                self._use_teacher(a)
                self._use_teacher(b)
                ids = (self.people[a].id, self.people[b].id)
                self.exchanges.append(ProposedExchange("swap", ids, lessons))

    def _swap_partner(
        self, a: int, arcs: dict[int, list[int]], heads: dict[int, int]
    ) -> tuple[int, _Pick, _Pick] | None:
        """The best-ranked partner for `a`'s first want (in `a`'s order) that has one,
        preferring one whose working hours overlap `a`'s."""
        width = self.n_comps
        for learn_comp in self.LC[a]:
            far: tuple[int, _Pick, _Pick] | None = None
            for teach_comp in self.TC[a]:
                key = teach_comp * width + learn_comp
                members = arcs.get(key)
                if members is None:
                    continue
                for b in self._live(members, heads, key, _SWAP_SCAN):
                    if not self._may_meet(a, b) or (far is not None and not self._near(a, b)):
                        continue
                    to_b = self._lesson(a, b)
                    to_a = self._lesson(b, a) if to_b is not None else None
                    if to_b is not None and to_a is not None:
                        if self._near(a, b):
                            return b, to_b, to_a
                        far = b, to_b, to_a
            if far is not None:
                return far
        return None

    def _cycles(self, arcs: dict[int, list[int]]) -> None:
        """A→B→C→A: for A, try teachers C of what A wants, then a B closing the loop."""
        third: dict[int, list[int]] = {}
        for p in self.order:
            if self.t_room[p] > 0 and self.l_room[p] > 0:
                for comp in self.TC[p]:
                    third.setdefault(comp, []).append(p)
        heads_c: dict[int, int] = {}
        heads_b: dict[int, int] = {}
        for a in self.order:
            if self.t_room[a] <= 0 or self.l_room[a] <= 0:
                continue
            found = self._close_cycle(a, arcs, third, heads_b, heads_c)
            if found is None:
                continue
            b, c, ab, bc, ca = found
            lessons = (self._teach(a, b, *ab), self._teach(b, c, *bc), self._teach(c, a, *ca))
            for p in (a, b, c):
                self._use_teacher(p)
            ids = tuple(self.people[p].id for p in (a, b, c))
            self.exchanges.append(ProposedExchange("cycle", ids, lessons))

    def _close_cycle(
        self,
        a: int,
        arcs: dict[int, list[int]],
        third: dict[int, list[int]],
        heads_b: dict[int, int],
        heads_c: dict[int, int],
    ) -> tuple[int, int, _Pick, _Pick, _Pick] | None:
        width = self.n_comps
        for want_comp in self.LC[a]:
            teachers = third.get(want_comp)
            if teachers is None:
                continue
            for c in self._live(teachers, heads_c, want_comp, _CYCLE_THIRD_SCAN):
                if not self._may_meet(a, c):
                    continue
                ca = self._lesson(c, a)
                if ca is None:
                    continue
                for c_want in self.LC[c]:
                    for a_comp in self.TC[a]:
                        key = a_comp * width + c_want
                        members = arcs.get(key)
                        if members is None:
                            continue
                        for b in self._live(members, heads_b, key, _CYCLE_SECOND_SCAN):
                            if b == c or not self._may_meet(a, b) or not self._may_meet(b, c):
                                continue
                            if not self.speaks[a] & self.speaks[b] & self.speaks[c]:
                                continue  # pairwise is not enough: one language for all three
                            ab = self._lesson(a, b)
                            bc = self._lesson(b, c) if ab is not None else None
                            if ab is not None and bc is not None:
                                return b, c, ab, bc, ca
        return None

    def _teacher_heaps(self) -> list[list[tuple[int, int, int]]]:
        """Per teach label, teachers with room keyed by (load, rank): least loaded first.

        The teachers of each label on each site also get a heap of their own
        (`self.site_heaps`, keyed by `_site_key`): in-person learners look only there."""
        heaps: list[list[tuple[int, int, int]]] = [[] for _ in range(self.n_teach_labels)]
        self.site_heaps: dict[int, list[tuple[int, int, int]]] = {}
        for p in self.order:
            if self.t_room[p] > 0:
                entry = (self.t_load[p], self.rank[p], p)
                site = self.site[p]
                for t in self.T[p]:
                    heaps[t].append(entry)
                    if site != NO_SITE:
                        self.site_heaps.setdefault(self._site_key(t, site), []).append(entry)
        for heap in chain(heaps, self.site_heaps.values()):
            heapq.heapify(heap)
        return heaps

    def _site_key(self, t: int, site: int) -> int:
        return t * len(self.sites) + site

    def _fresh(self, entry: tuple[int, int, int]) -> bool:
        p = entry[2]
        return self.t_room[p] > 0 and entry[0] == self.t_load[p]

    def _requeue(self, heaps: list[list[tuple[int, int, int]]], teacher: int) -> None:
        """After a teacher's load changed: re-enter every heap of theirs if room is left."""
        if self.t_room[teacher] > 0:
            entry = (self.t_load[teacher], self.rank[teacher], teacher)
            site = self.site[teacher]
            for t in self.T[teacher]:
                heapq.heappush(heaps[t], entry)
                if site != NO_SITE:
                    heapq.heappush(self.site_heaps[self._site_key(t, site)], entry)

    def _can_learn(self, p: int, lab: int) -> bool:
        done = self.served.get(p)
        return self.l_room[p] > 0 and (done is None or lab not in done)

    def _groups(self, heaps: list[list[tuple[int, int, int]]]) -> None:
        """Peer groups, most wanted teach labels first; each takes the least-loaded teacher."""
        cfg = self.config
        max_learners = cfg.group_max_size - 1
        if max_learners < cfg.group_min_learners:
            return
        waiting = [sum(self.l_room[q] > 0 for q in members) for members in self.learners_of]
        demand = [sum(waiting[lab] for lab in self.cand_l[t]) for t in range(self.n_teach_labels)]
        wanted = sorted(
            (t for t in range(self.n_teach_labels) if demand[t] >= cfg.group_min_learners),
            key=lambda t: (-demand[t], t),
        )
        heads: dict[int, int] = {}
        for t in wanted:
            heap = heaps[t]
            set_aside: list[tuple[int, int, int]] = []
            while heap and len(set_aside) < _GROUP_TEACHER_TRIES:
                entry = heapq.heappop(heap)
                if not self._fresh(entry):
                    continue
                teacher = entry[2]
                chosen = self._group_learners(t, teacher, heads, max_learners)
                if len(chosen) < cfg.group_min_learners:
                    set_aside.append(entry)  # too few may meet this teacher: try another
                    continue
                lessons = tuple(
                    self._teach(teacher, q, t, lab, self.scores[lab][t])
                    for q, lab in sorted(chosen, key=lambda x: self.people[x[0]].id)
                )
                self._use_teacher(teacher)
                self._requeue(heaps, teacher)
                members = (self.people[teacher].id, *(lesson.learner for lesson in lessons))
                self.exchanges.append(ProposedExchange("group", members, lessons))
            for entry in set_aside:
                heapq.heappush(heap, entry)

    def _group_learners(
        self, t: int, teacher: int, heads: dict[int, int], max_learners: int
    ) -> list[tuple[int, int]]:
        """Best-ranked learners of label `t` who may meet the teacher and each other, with one
        language common to the whole group; those whose working hours overlap the teacher's
        first."""
        rank = self.rank
        streams = []
        for lab in self.cand_l[t]:
            members = self.learners_of[lab]
            start = heads.get(lab, 0)
            while start < len(members) and not self._can_learn(members[start], lab):
                start += 1
            heads[lab] = start
            streams.append(_ranked(members, start, rank, lab))
        found: list[tuple[int, int]] = []
        taken: set[int] = set()
        for _, q, lab in islice(heapq.merge(*streams), _GROUP_SCAN):
            if q in taken or not self._can_learn(q, lab) or not self._may_meet(teacher, q):
                continue
            found.append((q, lab))
            taken.add(q)
        chosen: list[tuple[int, int]] = []
        common = self.speaks[teacher]
        for near in (True, False):
            for q, lab in found:
                if self._near(teacher, q) is not near or not common & self.speaks[q]:
                    continue
                if any(
                    self._pair(q, other) in self.avoided or not self._fits(q, other)
                    for other, _ in chosen
                ):
                    continue
                chosen.append((q, lab))
                common &= self.speaks[q]
                if len(chosen) == max_learners:
                    return chosen
        return chosen

    def _pairs(self, heaps: list[list[tuple[int, int, int]]]) -> None:
        """Each remaining learner, by priority, takes the least-loaded teacher for the first
        wanted skill that has one (their list is in their order of preference)."""
        for a in self.order:
            while self.l_room[a] > 0:
                pick = self._pick_teacher(a, heaps)
                if pick is None:
                    break
                teacher, t, lab = pick
                lesson = self._teach(teacher, a, t, lab, self.scores[lab][t])
                self._use_teacher(teacher)
                self._requeue(heaps, teacher)
                self.exchanges.append(
                    ProposedExchange("pair", (lesson.teacher, lesson.learner), (lesson,))
                )

    def _pick_teacher(
        self, a: int, heaps: list[list[tuple[int, int, int]]]
    ) -> tuple[int, int, int] | None:
        site = self.site[a] if self.in_person[a] else NO_SITE
        for lab in self.L[a]:
            if not self._can_learn(a, lab):
                continue
            # (not near, load, rank, teacher, label): overlapping hours first, then load
            best: tuple[bool, int, int, int, int] | None = None
            for t in self.scores[lab]:
                if site == NO_SITE:
                    heap = heaps[t]
                else:  # in person: only teachers on the learner's site
                    heap = self.site_heaps.get(self._site_key(t, site), [])
                entry = self._heap_teacher(a, heap, near_only=best is not None and not best[0])
                if entry is None:
                    continue
                found = (not self._near(a, entry[2]), *entry, t)
                if best is None or found < best:
                    best = found
            if best is not None:
                return best[3], best[4], lab
        return None

    def _heap_teacher(
        self, a: int, heap: list[tuple[int, int, int]], *, near_only: bool
    ) -> tuple[int, int, int] | None:
        """The least-loaded teacher of one label who may meet `a`, the first whose working
        hours overlap `a`'s if one does among the next few (else the first who may meet,
        unless `near_only`). Looks at most `_BLOCKED_SCAN` teachers beyond dead entries."""
        skipped: list[tuple[int, int, int]] = []
        far: tuple[int, int, int] | None = None
        chosen: tuple[int, int, int] | None = None
        while heap and len(skipped) < _BLOCKED_SCAN:
            entry = heap[0]
            if not self._fresh(entry):
                heapq.heappop(heap)
                continue
            if self._may_meet(a, entry[2]):
                if self._near(a, entry[2]):
                    chosen = entry
                    break
                if far is None:
                    far = entry
            skipped.append(heapq.heappop(heap))
        for entry in skipped:
            heapq.heappush(heap, entry)
        return chosen if chosen is not None or near_only else far

    # ---- reporting ---------------------------------------------------------------------

    def _unmatched(self) -> list[Unmatched]:
        """One reason per member left out, about the skill that explains it best."""
        result: list[Unmatched] = []
        for p, c in enumerate(self.people):
            if self.in_exchange[p]:
                continue
            incomplete = self.incomplete.get(p)
            if incomplete is not None:
                result.append(Unmatched(c.id, incomplete))
            elif not self.L[p]:
                result.append(Unmatched(c.id, "learner_at_capacity"))
            else:
                result.append(self._why(p))
        return result

    def _why(self, p: int) -> Unmatched:
        """Busy teachers beat avoided or recent ones, then teachers out of reach (on another
        site, then speaking none of the member's languages), then no teacher at all; then the
        most wanted skill."""
        verdicts: list[tuple[int, int, int]] = []  # (severity, -demand, position)
        elsewhere: dict[int, tuple[list[int], bool]] = {}
        for position, lab in enumerate(self.L[p]):
            severity, out_of_reach, whole = self._verdict(p, lab)
            verdicts.append((severity, 1 - len(self.learners_of[lab]), position))
            elsewhere[position] = (out_of_reach, whole)
        severity, minus_demand, position = min(verdicts)
        member = self.people[p]
        skill = self.L_words[p][position]
        if severity in _CODES:
            return Unmatched(member.id, _CODES[severity], skill, -minus_demand)
        if severity == _NO_LANGUAGE:
            languages = tuple(sorted({code.casefold() for code in member.languages}))
            return Unmatched(member.id, "no_shared_language", skill, -minus_demand, languages)
        teachers, whole = elsewhere[position]
        code: ReasonCode = "teachers_in_person"
        if self.in_person[p]:
            code = "teachers_elsewhere" if self.site[p] != NO_SITE else "no_site"
        sites = list(dict.fromkeys(self.site[q] for q in teachers))
        named = () if NO_SITE in sites or len(sites) > _NAMED_SITES else sites
        return Unmatched(
            member.id,
            code,
            skill,
            -minus_demand,
            sites=tuple(sorted(self.sites.name(site) for site in named)),
            teachers=len(teachers) if whole else max(len(teachers), 2),
        )

    def _verdict(self, p: int, lab: int) -> tuple[int, list[int], bool]:
        """How close `p` came to a teacher of `lab`: a severity, the teachers who speak a
        language of `p`'s but are out of reach (a sample when there are many), and whether
        every teacher was looked at (beyond `_BLOCKED_SCAN`, per-label summaries decide)."""
        teachers = (q for t in self.scores[lab] for q in self.teachers_of[t] if q != p)
        looked = list(islice(teachers, _BLOCKED_SCAN))
        if not looked:
            return _NOBODY, [], True
        whole = next(teachers, None) is None
        mine = self.speaks[p]
        fitting: list[int] = []
        out_of_reach: list[int] = []
        for q in looked:
            if mine & self.speaks[q]:
                (fitting if self._fits(p, q) else out_of_reach).append(q)
        speaking = fitting or out_of_reach
        if whole:
            if any(self._pair(p, q) not in self.blocked for q in fitting):
                return _BUSY, [], True
            if fitting:
                return _AVOIDED, [], True
            return (_ELSEWHERE, out_of_reach, True) if speaking else (_NO_LANGUAGE, [], True)
        speaks_any = bool(speaking)
        fits_any = bool(fitting)
        site = self.site[p]
        reachable = not self.in_person[p] or site != NO_SITE
        for t in self.scores[lab]:
            if fits_any or (speaks_any and not reachable):
                break
            reach = self._reach(t)
            speaks_any = speaks_any or bool(reach.speaks & mine)
            here = reach.at_site.get(site, 0) if site != NO_SITE else 0
            fits_any = bool(here & mine) or (not self.in_person[p] and bool(reach.open & mine))
        if fits_any:
            return _BUSY, [], False
        return (_ELSEWHERE, out_of_reach, False) if speaks_any else (_NO_LANGUAGE, [], False)

    def _reach(self, t: int) -> _Reach:
        """Who the teachers of label `t` can meet, summed up (computed once, when needed)."""
        reach = self.reach.get(t)
        if reach is None:
            reach = self.reach[t] = _Reach()
            for q in self.teachers_of[t]:
                mask = self.speaks[q]
                reach.speaks |= mask
                if not self.in_person[q]:
                    reach.open |= mask
                site = self.site[q]
                if site != NO_SITE:
                    reach.at_site[site] = reach.at_site.get(site, 0) | mask
        return reach

    def _stats(self, unmatched: list[Unmatched]) -> dict[str, int | float]:
        kinds = {kind: 0 for kind in ("swap", "cycle", "group", "pair")}
        learners: set[str] = set()
        teachers: set[str] = set()
        lessons = 0
        for exchange in self.exchanges:
            kinds[exchange.kind] += 1
            lessons += len(exchange.lessons)
            for lesson in exchange.lessons:
                learners.add(lesson.learner)
                teachers.add(lesson.teacher)
        return {
            "members": self.n,
            "complete": self.n - len(self.incomplete),
            "teach_labels": self.n_teach_labels,
            "learn_labels": self.n_learn_labels,
            "label_matches": self.n_edges,
            "exchanges": len(self.exchanges),
            "swaps": kinds["swap"],
            "cycles": kinds["cycle"],
            "groups": kinds["group"],
            "pairs": kinds["pair"],
            "lessons": lessons,
            "learners_waiting": sum(1 for wants in self.L if wants),
            "learners_served": len(learners),
            "teachers_used": len(teachers),
            "unmatched": len(unmatched),
        }


@dataclass(slots=True)
class _Reach:
    """The teachers of one label: languages of all (bitmask), of those who also meet
    remotely, and of those on each site."""

    speaks: int = 0
    open: int = 0
    at_site: dict[int, int] = field(default_factory=dict)


class _LabelIds:
    """Ids of distinct normalised labels, with the smallest wording of each for comparing.

    Incomplete members' labels are never collected, so they cost nothing in the comparison.
    """

    def __init__(self, reps: list[str], keys: dict[str, str]) -> None:
        self.reps = reps
        self.keys = keys  # normalised wordings, shared by both sides
        self.by_key: dict[str, int] = {}
        self.by_raw: dict[str, int] = {}  # -1: the wording normalises to nothing

    def key(self, raw: str) -> str:
        key = self.keys.get(raw)
        if key is None:
            key = self.keys[raw] = normalize(raw)
        return key

    def label(self, raw: str) -> int:
        label = self.by_raw.get(raw)
        if label is None:
            key = self.key(raw)
            if not key:
                label = -1
            else:
                label = self.by_key.get(key)
                if label is None:
                    label = self.by_key[key] = len(self.reps)
                    self.reps.append(raw)
                elif raw < self.reps[label]:
                    self.reps[label] = raw  # independent of input order
            self.by_raw[raw] = label
        return label

    def any_label(self, raws: tuple[str, ...]) -> bool:
        return any(self.key(raw) for raw in raws)

    def collect(self, raws: tuple[str, ...]) -> tuple[list[int], list[str]]:
        """A member's distinct labels in their order, with their own wording of each."""
        mine: list[int] = []
        words: list[str] = []
        by_raw = self.by_raw
        for raw in raws:
            label = by_raw.get(raw)
            if label is None:
                label = self.label(raw)
            if label >= 0 and label not in mine:
                mine.append(label)
                words.append(raw)
        return mine, words


def _distinct(values: list[int]) -> list[int]:
    return values if len(set(values)) == len(values) else list(dict.fromkeys(values))


def _ranked(
    members: list[int], start: int, rank: list[int], lab: int
) -> Iterator[tuple[int, int, int]]:
    """(rank, person, label) from a rank-ordered list, for merging several labels' lists."""
    for q in islice(members, start, None):
        yield rank[q], q, lab


def _or(value: int | None, default: int) -> int:
    return default if value is None else value
