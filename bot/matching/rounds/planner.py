"""Plan one round: `plan_round` runs the phases in order over one `RoundState`.

The entry point of the round engine (`bot.matching.rounds` says how a round is chosen):
swaps and 3-cycles first (`reciprocal`), then groups and one-way pairs (`one_way`), then a
reason for everyone left out (`reasons`), with figures for logs and benchmarks.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from bot.matching.rounds.model import (
    Candidate,
    PastExchange,
    RoundConfig,
    RoundResult,
    Unmatched,
)
from bot.matching.rounds.one_way import propose_groups_and_pairs
from bot.matching.rounds.reasons import unmatched_members
from bot.matching.rounds.reciprocal import propose_swaps_and_cycles
from bot.matching.rounds.state import RoundState

_DEFAULT_CONFIG = RoundConfig()


def plan_round(
    candidates: Sequence[Candidate],
    history: Sequence[PastExchange] = (),
    config: RoundConfig = _DEFAULT_CONFIG,
    progress: Callable[[str], None] | None = None,
) -> RoundResult:
    """Choose this round's exchanges. Same input and seed → same result, in any input order.

    `progress`, if given, receives one human line per stage (for long offline runs).
    """
    say = progress or (lambda _line: None)
    with gc_paused():
        started = time.perf_counter()
        state = RoundState(candidates, history, config, say)
        propose_swaps_and_cycles(state)
        propose_groups_and_pairs(state)
        unmatched = unmatched_members(state)
        stats = _stats(state, unmatched)
        chosen = len(state.exchanges)
        say(
            f"chose {chosen:,} exchange{'' if chosen == 1 else 's'}"
            f" in {time.perf_counter() - started:.1f} s"
        )
        return RoundResult(tuple(state.exchanges), tuple(unmatched), stats)


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


def _stats(state: RoundState, unmatched: list[Unmatched]) -> dict[str, int | float]:
    kinds = {kind: 0 for kind in ("swap", "cycle", "group", "pair")}
    learners: set[str] = set()
    teachers: set[str] = set()
    lessons = 0
    for exchange in state.exchanges:
        kinds[exchange.kind] += 1
        lessons += len(exchange.lessons)
        for lesson in exchange.lessons:
            learners.add(lesson.learner)
            teachers.add(lesson.teacher)
    return {
        "members": state.n,
        "complete": state.n - len(state.incomplete),
        "teach_labels": state.n_teach_labels,
        "learn_labels": state.n_learn_labels,
        "label_matches": state.n_edges,
        "exchanges": len(state.exchanges),
        "swaps": kinds["swap"],
        "cycles": kinds["cycle"],
        "groups": kinds["group"],
        "pairs": kinds["pair"],
        "lessons": lessons,
        "learners_waiting": sum(1 for wants in state.L if wants),
        "learners_served": len(learners),
        "teachers_used": len(teachers),
        "unmatched": len(unmatched),
    }
