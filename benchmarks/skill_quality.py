"""Quality of the skill-matching decision on a labelled sample of pairs.

Usage: python benchmarks/skill_quality.py [--pairs PATH ...]

Prints precision, recall and F1 overall and per category, the share of near misses
matched, lists the misclassified pairs, and exits 1 when a set misses its bar (precision
first: a wrong introduction wastes two people's time). By default two sets:
- ../shared/data/skill_pairs.csv next to the repository, the development sample (its
  README gives the labelling rule): precision ≥ 0.95, recall ≥ 0.90;
- benchmarks/data/heldout_pairs.csv and heldout_pairs_2.csv, each written by someone who
  had not seen the vocabulary, before the engine ran on it, from wordings not used to
  build it: precision ≥ 0.95, recall ≥ 0.85, near misses matched ≤ 5%. Their first-run
  figures are in the README; once run, a set guides work on kinds of failure, never on
  its own pairs.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PAIRS = REPO.parent / "shared" / "data" / "skill_pairs.csv"
HELDOUT_PAIRS = REPO / "benchmarks" / "data" / "heldout_pairs.csv"
HELDOUT_PAIRS_2 = REPO / "benchmarks" / "data" / "heldout_pairs_2.csv"
MIN_PRECISION = 0.95
MIN_RECALL = 0.90
MIN_RECALL_UNSEEN = 0.85
MAX_NEAR_MISSES = 0.05
NEAR_MISS = "near_miss_negative"

if str(REPO) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO))


@dataclass(frozen=True, slots=True)
class Pair:
    teach: str
    learn: str
    match: bool
    category: str


@dataclass(slots=True)
class Counts:
    """Confusion counts of one group of pairs."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, expected: bool, predicted: bool) -> None:
        if predicted:
            self.tp, self.fp = self.tp + expected, self.fp + (not expected)
        else:
            self.fn, self.tn = self.fn + expected, self.tn + (not expected)

    @property
    def precision(self) -> float:
        """1.0 when nothing was predicted: no wrong introduction was made."""
        predicted = self.tp + self.fp
        return self.tp / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        """1.0 when nothing was to be found."""
        actual = self.tp + self.fn
        return self.tp / actual if actual else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def total(self) -> int:
        return self.tp + self.fp + self.fn + self.tn


@dataclass(slots=True)
class Report:
    overall: Counts = field(default_factory=Counts)
    by_category: dict[str, Counts] = field(default_factory=dict)
    errors: list[tuple[Pair, bool]] = field(default_factory=list)

    min_recall: float = MIN_RECALL

    @property
    def near_misses(self) -> float:
        """The share of near misses (Java/JavaScript) matched: false introductions."""
        near = self.by_category.get(NEAR_MISS)
        return near.fp / near.total if near and near.total else 0.0

    @property
    def passed(self) -> bool:
        return (
            self.overall.precision >= MIN_PRECISION
            and self.overall.recall >= self.min_recall
            and self.near_misses <= MAX_NEAR_MISSES
        )


def read_pairs(path: Path) -> list[Pair]:
    """Rows `teach,learn,match,category` with match 0 or 1."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Pair(row["teach"], row["learn"], row["match"].strip() == "1", row["category"])
            for row in csv.DictReader(handle)
        ]


def evaluate(
    pairs: Iterable[Pair], decide: Callable[[str, str], bool], min_recall: float = MIN_RECALL
) -> Report:
    """Confusion counts of `decide` against the labels, overall and per category."""
    report = Report(min_recall=min_recall)
    for pair in pairs:
        predicted = decide(pair.teach, pair.learn)
        report.overall.add(pair.match, predicted)
        report.by_category.setdefault(pair.category, Counts()).add(pair.match, predicted)
        if predicted != pair.match:
            report.errors.append((pair, predicted))
    return report


def render(report: Report) -> str:
    """The table, the misclassified pairs and the verdict, as printed."""
    header = f"{'category':<28} {'pairs':>5} {'TP':>4} {'FP':>4} {'FN':>4} {'TN':>4}"
    lines = [f"{header} {'precision':>9} {'recall':>7} {'F1':>6}"]
    rows = [*sorted(report.by_category.items()), ("OVERALL", report.overall)]
    for name, c in rows:
        lines.append(
            f"{name:<28} {c.total:>5} {c.tp:>4} {c.fp:>4} {c.fn:>4} {c.tn:>4}"
            f" {c.precision:>9.3f} {c.recall:>7.3f} {c.f1:>6.3f}"
        )
    lines.append("")
    if report.errors:
        lines.append(f"misclassified ({len(report.errors)}):")
        for pair, predicted in report.errors:
            kind = "false match" if predicted else "missed match"
            lines.append(f"  {kind:<12} [{pair.category}] {pair.teach!r} → {pair.learn!r}")
    else:
        lines.append("misclassified: none")
    verdict = "PASS" if report.passed else "FAIL"
    lines.append(
        f"{verdict}: precision {report.overall.precision:.3f} (≥ {MIN_PRECISION}),"
        f" recall {report.overall.recall:.3f} (≥ {report.min_recall}),"
        f" near misses matched {report.near_misses:.1%} (≤ {MAX_NEAR_MISSES:.0%})"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--pairs", type=Path, action="append", help="labelled pairs CSV (repeatable)"
    )
    args = parser.parse_args(argv)
    sets = args.pairs or [DEFAULT_PAIRS, HELDOUT_PAIRS, HELDOUT_PAIRS_2]
    missing = [str(p) for p in sets if not p.is_file()]
    if missing:
        print(f"skill_quality: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    from bot.matching import is_match

    passed = True
    for path in sets:
        bar = MIN_RECALL_UNSEEN if path in (HELDOUT_PAIRS, HELDOUT_PAIRS_2) else MIN_RECALL
        report = evaluate(read_pairs(path), is_match, bar)
        print(f"== {path.name}\n{render(report)}\n")
        passed &= report.passed
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
