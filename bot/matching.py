"""Skill matching: does a teach label fit a learn label?

Slack-free. `is_match` is the one decision every round uses; `match_labels` applies it to
whole vocabularies at once so a round compares distinct labels, never people.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from rapidfuzz import fuzz, process

MATCH_THRESHOLD = 88.0


def normalize(label: str) -> str:
    """Fold case, accents and spacing so that spellings of one skill compare equal."""
    folded = unicodedata.normalize("NFKD", label.casefold())
    stripped = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(stripped.split())


def score(teach: str, learn: str) -> float:
    """Similarity of two labels in [0, 100]."""
    return float(fuzz.ratio(normalize(teach), normalize(learn)))


def is_match(teach: str, learn: str) -> bool:
    """The decision rounds use: could this teacher usefully teach this learner?"""
    return score(teach, learn) >= MATCH_THRESHOLD


def match_labels(
    teach: Sequence[str], learn: Sequence[str]
) -> list[tuple[int, int, float]]:
    """Every (teach index, learn index, score) pair that `is_match` accepts, computed in bulk."""
    if not teach or not learn:
        return []
    matrix = process.cdist(
        [normalize(t) for t in teach],
        [normalize(x) for x in learn],
        scorer=fuzz.ratio,
        score_cutoff=MATCH_THRESHOLD,
        workers=-1,
    )
    rows, cols = matrix.nonzero()
    return [(int(i), int(j), float(matrix[i, j])) for i, j in zip(rows, cols, strict=True)]
