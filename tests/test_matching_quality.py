"""The matching decision meets the quality bar on labelled pairs.

Two sets: the shared development sample (kept outside the repository) and the held-out
set written before the engine ran on it (`benchmarks/data/heldout_pairs.csv`). The
figures and the misclassified pairs are printed by `python benchmarks/skill_quality.py`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.skill_quality import (
    HELDOUT_PAIRS,
    MAX_NEAR_MISSES,
    MIN_PRECISION,
    MIN_RECALL,
    Report,
    evaluate,
    read_pairs,
    render,
)
from bot.matching import is_match

PAIRS = Path(__file__).resolve().parents[2] / "shared" / "data" / "skill_pairs.csv"
# The held-out recall is below its 0.85 target (see the README's matching section): this
# floor only keeps it from falling back.
HELDOUT_RECALL_FLOOR = 0.75


@pytest.fixture(scope="module")
def shared() -> Report:
    if not PAIRS.is_file():
        pytest.skip(f"labelled pairs not found at {PAIRS}: quality not measured")
    return evaluate(read_pairs(PAIRS), is_match)


@pytest.fixture(scope="module")
def heldout() -> Report:
    return evaluate(read_pairs(HELDOUT_PAIRS), is_match)


def test_precision_comes_first(shared: Report) -> None:
    assert shared.overall.precision >= MIN_PRECISION, render(shared)


def test_recall(shared: Report) -> None:
    assert shared.overall.recall >= MIN_RECALL, render(shared)


def test_unseen_wording_precision_and_near_misses(heldout: Report) -> None:
    assert heldout.overall.precision >= MIN_PRECISION, render(heldout)
    assert heldout.near_misses <= MAX_NEAR_MISSES, render(heldout)


def test_unseen_wording_recall_does_not_fall_back(heldout: Report) -> None:
    assert heldout.overall.recall >= HELDOUT_RECALL_FLOOR, render(heldout)
