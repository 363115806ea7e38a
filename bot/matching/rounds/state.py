"""One round's state: who is who, which labels match, who may meet, and what is chosen so far.

Built once from the candidates (people become indexes in id order, skills label ids,
languages bitmasks, sites integers) so the phases (`reciprocal`, `one_way`) and the
reasons for the left-out (`reasons`) check any pair in O(1); every lesson a phase chooses
is recorded here (`teach`, `use_teacher`), so capacity and "already met" stay in one place.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Sequence
from itertools import islice, pairwise

from bot.matching import match_labels
from bot.matching.meeting import NEAR_HOURS, NO_SITE, Sites, hours_apart
from bot.matching.rounds.labels import LabelIds
from bot.matching.rounds.model import (
    Candidate,
    Lesson,
    PastExchange,
    ProposedExchange,
    ReasonCode,
    RoundConfig,
)

Pick = tuple[int, int, float]  # (teach label, learn label, score) of one possible lesson

# How many teachers a search looks at beyond dead entries (a phase picking a teacher, or
# the reasons looking for why there was none).
BLOCKED_SCAN = 64
_ANY_LANGUAGE = -1  # the bitmask of someone whose languages are not known: all bits set


class RoundState:
    """State of one round: people are indexes in id order, skills are label ids."""

    def __init__(
        self,
        candidates: Sequence[Candidate],
        history: Sequence[PastExchange],
        config: RoundConfig,
        say: Callable[[str], None],
    ) -> None:
        self.config = config
        self.say = say
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
        self._index_labels()
        self._set_aside_the_unreachable()

    # ---- setup -------------------------------------------------------------------------

    def pair(self, a: int, b: int) -> int:
        return a * self.n + b if a < b else b * self.n + a

    def _index_meeting(self) -> None:
        """Per person: a bitmask of languages, a site id, whether they meet only in person,
        and a UTC offset, so `fits` and `near` compare integers."""
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
        part in the phases (no room left), and `reasons` tells them to add a site."""
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
                    avoided.add(self.pair(p, q))
        latest: dict[int, tuple[float, bool]] = {}
        for past in history:
            a, b = self.index.get(past.teacher), self.index.get(past.learner)
            if a is None or b is None or a == b:
                continue
            key = self.pair(a, b)
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
        teach_of = LabelIds(teach_reps, keys)
        learn_of = LabelIds(learn_reps, keys)
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

    def lesson(self, teacher: int, learner: int) -> Pick | None:
        """The best-scoring (teach label, learn label) the teacher can offer the learner."""
        done = self.served.get(learner)
        teach = self.T[teacher]
        best: Pick | None = None
        for lab in self.L[learner]:
            scores = self.scores[lab]
            if not scores or (done is not None and lab in done):
                continue
            for t in teach:
                s = scores.get(t)
                if s is not None and (best is None or s > best[2]):
                    best = (t, lab, s)
        return best

    def may_meet(self, a: int, b: int) -> bool:
        """Not the same person, not blocked, not met already this round, and `fits`."""
        if a == b or not self.speaks[a] & self.speaks[b]:
            return False
        if self.in_person[a] or self.in_person[b]:
            site = self.site[a]
            if site == NO_SITE or site != self.site[b]:
                return False
        key = a * self.n + b if a < b else b * self.n + a
        return key not in self.blocked and key not in self.met_now

    def fits(self, a: int, b: int) -> bool:
        """A language in common, and the same site if either meets only in person."""
        if not self.speaks[a] & self.speaks[b]:
            return False
        if self.in_person[a] or self.in_person[b]:
            site = self.site[a]
            return site != NO_SITE and site == self.site[b]
        return True

    def near(self, a: int, b: int) -> bool:
        """Working hours overlap: timezones less than NEAR_HOURS apart (or not known), or
        one site."""
        oa, ob = self.offset[a], self.offset[b]
        if oa is None or ob is None or oa == ob:
            return True
        site = self.site[a]
        if site != NO_SITE and site == self.site[b]:
            return True
        return hours_apart(oa, ob) < NEAR_HOURS

    def teach(self, teacher: int, learner: int, t: int, lab: int, s: float) -> Lesson:
        """Record one lesson: learner capacity, the pair's meeting, the learner's skill."""
        self.l_room[learner] -= 1
        self.met_now.add(self.pair(teacher, learner))
        self.served.setdefault(learner, set()).add(lab)
        self.in_exchange[teacher] = self.in_exchange[learner] = True
        return Lesson(
            teacher=self.people[teacher].id,
            learner=self.people[learner].id,
            teach=self.T_words[teacher][self.T[teacher].index(t)],
            learn=self.L_words[learner][self.L[learner].index(lab)],
            score=s,
        )

    def use_teacher(self, teacher: int) -> None:
        self.t_room[teacher] -= 1
        self.t_load[teacher] += 1

    def live(
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

    def can_learn(self, p: int, lab: int) -> bool:
        done = self.served.get(p)
        return self.l_room[p] > 0 and (done is None or lab not in done)


def _distinct(values: list[int]) -> list[int]:
    return values if len(set(values)) == len(values) else list(dict.fromkeys(values))


def _or(value: int | None, default: int) -> int:
    return default if value is None else value
