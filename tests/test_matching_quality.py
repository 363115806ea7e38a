"""The matching decision meets the quality bar on the shared labelled sample.

The sample is development data kept outside the repository; the figures and the list of
misclassified pairs are printed by `python benchmarks/skill_quality.py`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.skill_quality import MIN_PRECISION, MIN_RECALL, evaluate, read_pairs, render
from bot.matching import is_match

PAIRS = Path(__file__).resolve().parents[2] / "shared" / "data" / "skill_pairs.csv"


@pytest.fixture(scope="module")
def quality() -> tuple[float, float, str]:
    if not PAIRS.is_file():
        pytest.skip(f"labelled pairs not found at {PAIRS}: quality not measured")
    report = evaluate(read_pairs(PAIRS), is_match)
    return report.overall.precision, report.overall.recall, render(report)


def test_precision_comes_first(quality: tuple[float, float, str]) -> None:
    precision, _, text = quality
    assert precision >= MIN_PRECISION, text


def test_recall(quality: tuple[float, float, str]) -> None:
    _, recall, text = quality
    assert recall >= MIN_RECALL, text
