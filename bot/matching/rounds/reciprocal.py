"""Swaps and 3-cycles: the exchanges where everyone both teaches and learns.

The first two phases of a round (see `bot.matching.rounds`). People who can still teach
and learn are bucketed by (learn component, teach component) of the label graph, so a
partner search only looks where a match is possible, and at a bounded number of live
candidates per bucket (`_SWAP_SCAN`, `_CYCLE_*_SCAN`) to stay linear in members.
"""

from __future__ import annotations

from collections import defaultdict

from bot.matching.rounds.model import ProposedExchange
from bot.matching.rounds.state import Pick, RoundState

# Bounds on partner searches: how many live candidates one label pair may examine.
_SWAP_SCAN = 24
_CYCLE_THIRD_SCAN = 4
_CYCLE_SECOND_SCAN = 3


def propose_swaps_and_cycles(state: RoundState) -> None:
    """Add this round's swaps, then its 3-cycles, to `state.exchanges`."""
    arcs = _arcs(state)
    _swaps(state, arcs)
    _cycles(state, arcs)


def _arcs(state: RoundState) -> dict[int, list[int]]:
    """People who can teach and learn, by (learn component, teach component), by rank."""
    arcs: defaultdict[int, list[int]] = defaultdict(list)
    width = state.n_comps
    for p in state.order:
        if state.t_room[p] > 0 and state.l_room[p] > 0:
            for learn_comp in state.LC[p]:
                base = learn_comp * width
                for teach_comp in state.TC[p]:
                    arcs[base + teach_comp].append(p)
    return arcs


def _swaps(state: RoundState, arcs: dict[int, list[int]]) -> None:
    heads: dict[int, int] = {}
    for a in state.order:
        if state.t_room[a] <= 0 or state.l_room[a] <= 0:
            continue
        found = _swap_partner(state, a, arcs, heads)
        if found is not None:
            b, to_b, to_a = found
            lessons = (state.teach(a, b, *to_b), state.teach(b, a, *to_a))
            state.use_teacher(a)
            state.use_teacher(b)
            ids = (state.people[a].id, state.people[b].id)
            state.exchanges.append(ProposedExchange("swap", ids, lessons))


def _swap_partner(
    state: RoundState, a: int, arcs: dict[int, list[int]], heads: dict[int, int]
) -> tuple[int, Pick, Pick] | None:
    """The best-ranked partner for `a`'s first want (in `a`'s order) that has one,
    preferring one whose working hours overlap `a`'s."""
    width = state.n_comps
    for learn_comp in state.LC[a]:
        far: tuple[int, Pick, Pick] | None = None
        for teach_comp in state.TC[a]:
            key = teach_comp * width + learn_comp
            members = arcs.get(key)
            if members is None:
                continue
            for b in state.live(members, heads, key, _SWAP_SCAN):
                if not state.may_meet(a, b) or (far is not None and not state.near(a, b)):
                    continue
                to_b = state.lesson(a, b)
                to_a = state.lesson(b, a) if to_b is not None else None
                if to_b is not None and to_a is not None:
                    if state.near(a, b):
                        return b, to_b, to_a
                    far = b, to_b, to_a
        if far is not None:
            return far
    return None


def _cycles(state: RoundState, arcs: dict[int, list[int]]) -> None:
    """A→B→C→A: for A, try teachers C of what A wants, then a B closing the loop."""
    third: dict[int, list[int]] = {}
    for p in state.order:
        if state.t_room[p] > 0 and state.l_room[p] > 0:
            for comp in state.TC[p]:
                third.setdefault(comp, []).append(p)
    heads_c: dict[int, int] = {}
    heads_b: dict[int, int] = {}
    for a in state.order:
        if state.t_room[a] <= 0 or state.l_room[a] <= 0:
            continue
        found = _close_cycle(state, a, arcs, third, heads_b, heads_c)
        if found is None:
            continue
        b, c, ab, bc, ca = found
        lessons = (state.teach(a, b, *ab), state.teach(b, c, *bc), state.teach(c, a, *ca))
        for p in (a, b, c):
            state.use_teacher(p)
        ids = tuple(state.people[p].id for p in (a, b, c))
        state.exchanges.append(ProposedExchange("cycle", ids, lessons))


def _close_cycle(
    state: RoundState,
    a: int,
    arcs: dict[int, list[int]],
    third: dict[int, list[int]],
    heads_b: dict[int, int],
    heads_c: dict[int, int],
) -> tuple[int, int, Pick, Pick, Pick] | None:
    width = state.n_comps
    for want_comp in state.LC[a]:
        teachers = third.get(want_comp)
        if teachers is None:
            continue
        for c in state.live(teachers, heads_c, want_comp, _CYCLE_THIRD_SCAN):
            if not state.may_meet(a, c):
                continue
            ca = state.lesson(c, a)
            if ca is None:
                continue
            for c_want in state.LC[c]:
                for a_comp in state.TC[a]:
                    key = a_comp * width + c_want
                    members = arcs.get(key)
                    if members is None:
                        continue
                    for b in state.live(members, heads_b, key, _CYCLE_SECOND_SCAN):
                        if b == c or not state.may_meet(a, b) or not state.may_meet(b, c):
                            continue
                        if not state.speaks[a] & state.speaks[b] & state.speaks[c]:
                            continue  # pairwise is not enough: one language for all three
                        ab = state.lesson(a, b)
                        bc = state.lesson(b, c) if ab is not None else None
                        if ab is not None and bc is not None:
                            return b, c, ab, bc, ca
    return None
