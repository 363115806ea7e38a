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
    HELDOUT_PAIRS_2,
    MAX_NEAR_MISSES,
    MIN_PRECISION,
    MIN_RECALL,
    Report,
    evaluate,
    read_pairs,
    render,
)
from bot.matching import is_match

PAIRS = Path(__file__).resolve().parents[3] / "shared" / "data" / "skill_pairs.csv"
# The held-out recalls are below their 0.85 target (see the README's matching section):
# these floors only keep them from falling back.
HELDOUT_RECALL_FLOORS = {HELDOUT_PAIRS: 0.8, HELDOUT_PAIRS_2: 0.7}


@pytest.fixture(scope="module")
def shared() -> Report:
    if not PAIRS.is_file():
        pytest.skip(f"labelled pairs not found at {PAIRS}: quality not measured")
    return evaluate(read_pairs(PAIRS), is_match)


@pytest.fixture(scope="module", params=sorted(HELDOUT_RECALL_FLOORS), ids=lambda p: p.stem)
def heldout(request: pytest.FixtureRequest) -> tuple[Report, float]:
    path: Path = request.param
    return evaluate(read_pairs(path), is_match), HELDOUT_RECALL_FLOORS[path]


def test_precision_comes_first(shared: Report) -> None:
    assert shared.overall.precision >= MIN_PRECISION, render(shared)


def test_recall(shared: Report) -> None:
    assert shared.overall.recall >= MIN_RECALL, render(shared)


def test_unseen_wording_precision_and_near_misses(heldout: tuple[Report, float]) -> None:
    report, _ = heldout
    assert report.overall.precision >= MIN_PRECISION, render(report)
    assert report.near_misses <= MAX_NEAR_MISSES, render(report)


def test_unseen_wording_recall_does_not_fall_back(heldout: tuple[Report, float]) -> None:
    report, floor = heldout
    assert report.overall.recall >= floor, render(report)
