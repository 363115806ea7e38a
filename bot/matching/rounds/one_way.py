"""Peer groups and one-way pairs: a teacher who is not taught back, the least loaded first.

The last two phases of a round (see `bot.matching.rounds`). Teachers with room wait in
heaps keyed by (load, rank), one per teach label and one per label and site (in-person
learners look only there), so load spreads over teachers as the round goes.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from itertools import chain, islice

from bot.matching.meeting import NO_SITE
from bot.matching.rounds.model import ProposedExchange
from bot.matching.rounds.state import BLOCKED_SCAN, RoundState

_GROUP_SCAN = 64
_GROUP_TEACHER_TRIES = 3

_Entry = tuple[int, int, int]  # (load, rank, teacher) in a teacher heap


def propose_groups_and_pairs(state: RoundState) -> None:
    """Add this round's peer groups, then its one-way pairs, to `state.exchanges`."""
    heaps = _TeacherHeaps(state)
    _groups(state, heaps)
    _pairs(state, heaps)


class _TeacherHeaps:
    """Per teach label, teachers with room keyed by (load, rank): least loaded first.

    The teachers of each label on each site also get a heap of their own (`on_site`,
    keyed by `site_key`): in-person learners look only there. An entry whose load is out
    of date is dead (`fresh`) and dropped when met.
    """

    def __init__(self, state: RoundState) -> None:
        self.state = state
        self.of_label: list[list[_Entry]] = [[] for _ in range(state.n_teach_labels)]
        self.on_site: dict[int, list[_Entry]] = {}
        for p in state.order:
            if state.t_room[p] > 0:
                entry = (state.t_load[p], state.rank[p], p)
                site = state.site[p]
                for t in state.T[p]:
                    self.of_label[t].append(entry)
                    if site != NO_SITE:
                        self.on_site.setdefault(self.site_key(t, site), []).append(entry)
        for heap in chain(self.of_label, self.on_site.values()):
            heapq.heapify(heap)

    def site_key(self, t: int, site: int) -> int:
        return t * len(self.state.sites) + site

    def fresh(self, entry: _Entry) -> bool:
        p = entry[2]
        return self.state.t_room[p] > 0 and entry[0] == self.state.t_load[p]

    def requeue(self, teacher: int) -> None:
        """After a teacher's load changed: re-enter every heap of theirs if room is left."""
        state = self.state
        if state.t_room[teacher] > 0:
            entry = (state.t_load[teacher], state.rank[teacher], teacher)
            site = state.site[teacher]
            for t in state.T[teacher]:
                heapq.heappush(self.of_label[t], entry)
                if site != NO_SITE:
                    heapq.heappush(self.on_site[self.site_key(t, site)], entry)


def _groups(state: RoundState, heaps: _TeacherHeaps) -> None:
    """Peer groups, most wanted teach labels first; each takes the least-loaded teacher."""
    cfg = state.config
    max_learners = cfg.group_max_size - 1
    if max_learners < cfg.group_min_learners:
        return
    waiting = [sum(state.l_room[q] > 0 for q in members) for members in state.learners_of]
    demand = [sum(waiting[lab] for lab in state.cand_l[t]) for t in range(state.n_teach_labels)]
    wanted = sorted(
        (t for t in range(state.n_teach_labels) if demand[t] >= cfg.group_min_learners),
        key=lambda t: (-demand[t], t),
    )
    heads: dict[int, int] = {}
    for t in wanted:
        heap = heaps.of_label[t]
        set_aside: list[_Entry] = []
        while heap and len(set_aside) < _GROUP_TEACHER_TRIES:
            entry = heapq.heappop(heap)
            if not heaps.fresh(entry):
                continue
            teacher = entry[2]
            chosen = _group_learners(state, t, teacher, heads, max_learners)
            if len(chosen) < cfg.group_min_learners:
                set_aside.append(entry)  # too few may meet this teacher: try another
                continue
            lessons = tuple(
                state.teach(teacher, q, t, lab, state.scores[lab][t])
                for q, lab in sorted(chosen, key=lambda x: state.people[x[0]].id)
            )
            state.use_teacher(teacher)
            heaps.requeue(teacher)
            members = (state.people[teacher].id, *(lesson.learner for lesson in lessons))
            state.exchanges.append(ProposedExchange("group", members, lessons))
        for entry in set_aside:
            heapq.heappush(heap, entry)


def _group_learners(
    state: RoundState, t: int, teacher: int, heads: dict[int, int], max_learners: int
) -> list[tuple[int, int]]:
    """Best-ranked learners of label `t` who may meet the teacher and each other, with one
    language common to the whole group; those whose working hours overlap the teacher's
    first."""
    rank = state.rank
    streams = []
    for lab in state.cand_l[t]:
        members = state.learners_of[lab]
        start = heads.get(lab, 0)
        while start < len(members) and not state.can_learn(members[start], lab):
            start += 1
        heads[lab] = start
        streams.append(_ranked(members, start, rank, lab))
    found: list[tuple[int, int]] = []
    taken: set[int] = set()
    for _, q, lab in islice(heapq.merge(*streams), _GROUP_SCAN):
        if q in taken or not state.can_learn(q, lab) or not state.may_meet(teacher, q):
            continue
        found.append((q, lab))
        taken.add(q)
    chosen: list[tuple[int, int]] = []
    common = state.speaks[teacher]
    for near in (True, False):
        for q, lab in found:
            if state.near(teacher, q) is not near or not common & state.speaks[q]:
                continue
            if any(
                state.pair(q, other) in state.avoided or not state.fits(q, other)
                for other, _ in chosen
            ):
                continue
            chosen.append((q, lab))
            common &= state.speaks[q]
            if len(chosen) == max_learners:
                return chosen
    return chosen


def _pairs(state: RoundState, heaps: _TeacherHeaps) -> None:
    """Each remaining learner, by priority, takes the least-loaded teacher for the first
    wanted skill that has one (their list is in their order of preference)."""
    for a in state.order:
        while state.l_room[a] > 0:
            pick = _pick_teacher(state, a, heaps)
            if pick is None:
                break
            teacher, t, lab = pick
            lesson = state.teach(teacher, a, t, lab, state.scores[lab][t])
            state.use_teacher(teacher)
            heaps.requeue(teacher)
            state.exchanges.append(
                ProposedExchange("pair", (lesson.teacher, lesson.learner), (lesson,))
            )


def _pick_teacher(state: RoundState, a: int, heaps: _TeacherHeaps) -> tuple[int, int, int] | None:
    """(teacher, teach label, learn label) for `a`'s first wanted skill that has a teacher."""
    site = state.site[a] if state.in_person[a] else NO_SITE
    for lab in state.L[a]:
        if not state.can_learn(a, lab):
            continue
        # (not near, load, rank, teacher, label): overlapping hours first, then load
        best: tuple[bool, int, int, int, int] | None = None
        for t in state.scores[lab]:
            if site == NO_SITE:
                heap = heaps.of_label[t]
            else:  # in person: only teachers on the learner's site
                heap = heaps.on_site.get(heaps.site_key(t, site), [])
            entry = _heap_teacher(state, heaps, a, heap, near_only=best is not None and not best[0])
            if entry is None:
                continue
            found = (not state.near(a, entry[2]), *entry, t)
            if best is None or found < best:
                best = found
        if best is not None:
            return best[3], best[4], lab
    return None


def _heap_teacher(
    state: RoundState, heaps: _TeacherHeaps, a: int, heap: list[_Entry], *, near_only: bool
) -> _Entry | None:
    """The least-loaded teacher of one label who may meet `a`, the first whose working
    hours overlap `a`'s if one does among the next few (else the first who may meet,
    unless `near_only`). Looks at most `BLOCKED_SCAN` teachers beyond dead entries."""
    skipped: list[_Entry] = []
    far: _Entry | None = None
    chosen: _Entry | None = None
    while heap and len(skipped) < BLOCKED_SCAN:
        entry = heap[0]
        if not heaps.fresh(entry):
            heapq.heappop(heap)
            continue
        if state.may_meet(a, entry[2]):
            if state.near(a, entry[2]):
                chosen = entry
                break
            if far is None:
                far = entry
        skipped.append(heapq.heappop(heap))
    for entry in skipped:
        heapq.heappush(heap, entry)
    return chosen if chosen is not None or near_only else far


def _ranked(
    members: list[int], start: int, rank: list[int], lab: int
) -> Iterator[tuple[int, int, int]]:
    """(rank, person, label) from a rank-ordered list, for merging several labels' lists."""
    for q in islice(members, start, None):
        yield rank[q], q, lab
