"""Benchmark of a whole round: from member rows to chosen exchanges, at several sizes.

    python -m benchmarks.round_bench [--sizes 10000 30000 100000] [--baseline-size 10000]

Each size runs in its own process (so peak RSS is that round's, not the largest so far):
the network is generated, written as a `rex match` input file, read back as rows, and the
timed part is `load_network` + `plan_round`, exactly what `rex match` does. The naive
baseline is a Python loop of `process.extractOne` per learn entry over every teach entry,
timed on a sample and extrapolated; it only matches labels (choosing exchanges would come
on top), so the reported speed-up is a lower bound. The floor is rapidfuzz's `cdist` (C++,
both cores) scoring every distinct teach wording against every distinct learn wording of
the same network, measured in the same run: what the bare string comparison a round
needs at least would cost, without reading meaning; `floor_ratio` is the round's wall
time over it. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from benchmarks.synthetic import generate_network, write_network
from bot.cli.match import load_network
from bot.matching import normalize
from bot.matching.rounds.model import RoundConfig
from bot.matching.rounds.planner import gc_paused, plan_round
from tests.support.machine import machine, peak_rss_mb

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "round_bench.json"
BASELINE_CUTOFF = 88.0  # the matching threshold when this baseline was written


def measure_round(path: Path, seed: int) -> dict[str, Any]:
    """Time one round on a `rex match` input file (run in a fresh process).

    The matcher's one-time setup (loading its vocabulary) is timed apart: a running bot
    pays it once, not per round.
    """
    rows = json.loads(path.read_text(encoding="utf-8"))
    started = time.perf_counter()
    normalize("warm up")
    setup = time.perf_counter() - started
    stages: list[str] = []
    started = time.perf_counter()

    def stage(line: str) -> None:
        stages.append(f"{time.perf_counter() - started:.2f} s: {line}")

    with gc_paused():  # as `rex match` does
        members, history = load_network(rows)
    result = plan_round(members, history, RoundConfig(seed=seed), progress=stage)
    wall = time.perf_counter() - started
    return {
        "wall_seconds": round(wall, 3),
        "matcher_setup_seconds": round(setup, 3),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "learn_entries": sum(len(m.learn) for m in members if m.teach),
        "teach_entries": sum(len(m.teach) for m in members if m.learn),
        **result.stats,
        "stages": stages,
    }


def measure_floor(path: Path) -> dict[str, float]:
    """rapidfuzz `cdist` over the network's distinct teach × learn wordings (see above)."""
    rows = json.loads(path.read_text(encoding="utf-8"))["members"]
    complete = [r for r in rows if r.get("teach") and r.get("learn")]
    teach = sorted({label for r in complete for label in r["teach"]})
    learn = sorted({label for r in complete for label in r["learn"]})
    started = time.perf_counter()
    process.cdist(teach, learn, scorer=fuzz.ratio, score_cutoff=85, dtype=np.uint8, workers=-1)
    return {
        "floor_seconds": round(time.perf_counter() - started, 3),
        "floor_teach_wordings": len(teach),
        "floor_learn_wordings": len(learn),
    }


def measure_baseline(n_members: int, seed: int, sample: int) -> dict[str, float]:
    """The naive way: normalise every entry, then `extractOne` per learn entry over every
    teach entry (no dedupe); the loop is timed on `sample` learn entries."""
    members, _ = generate_network(n_members, seed)
    complete = [m for m in members if m.teach and m.learn]
    teach_entries = [label for m in complete for label in m.teach]
    learn = [label for m in complete for label in m.learn]
    normalize("warm up")
    started = time.perf_counter()
    teach = [normalize(label) for label in teach_entries]
    per_entry = (time.perf_counter() - started) / len(teach)
    timed = [normalize(label) for label in learn[:sample]]
    started = time.perf_counter()
    for label in timed:
        process.extractOne(label, teach, scorer=fuzz.ratio, score_cutoff=BASELINE_CUTOFF)
    per_comparison = (time.perf_counter() - started) / (len(timed) * len(teach))
    return {
        "members": n_members,
        "sampled_learn_entries": len(timed),
        "learn_entries": len(learn),
        "teach_entries": len(teach),
        "seconds_per_normalize": per_entry,
        "seconds_per_comparison": per_comparison,
    }


def baseline_seconds(baseline: dict[str, float], learn_entries: int, teach_entries: int) -> float:
    """Naive cost: linear normalising plus learn entries × teach entries comparisons."""
    return (
        baseline["seconds_per_normalize"] * (learn_entries + teach_entries)
        + baseline["seconds_per_comparison"] * learn_entries * teach_entries
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--baseline-size", type=int, default=10_000)
    parser.add_argument("--baseline-sample", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(measure_round(args.child, args.seed)))
        return 0

    rounds = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path = Path(tmp) / f"members-{size}.json"
            write_network(path, size, args.seed)
            rounds.append(_run_child(path, args.seed))
            rounds[-1].update(measure_floor(path))
            rounds[-1]["floor_ratio"] = round(
                rounds[-1]["wall_seconds"] / rounds[-1]["floor_seconds"], 1
            )
            print(f"measured {size:,} members: {rounds[-1]['wall_seconds']} s", file=sys.stderr)
    baseline = measure_baseline(args.baseline_size, args.seed, args.baseline_sample)
    for row in rounds:
        naive = baseline_seconds(baseline, row["learn_entries"], row["teach_entries"])
        row["baseline_seconds"] = round(naive, 1)
        row["speedup"] = round(naive / row["wall_seconds"], 1)
    report = {
        "machine": machine(),
        "seed": args.seed,
        "rounds": rounds,
        "baseline": baseline,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(_table(rounds))
    print(f"\nwritten to {args.output}")
    return 0


def _run_child(path: Path, seed: int) -> dict[str, Any]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    command = [sys.executable, "-m", "benchmarks.round_bench", "--child", str(path)]
    done = subprocess.run(
        [*command, "--seed", str(seed)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    row: dict[str, Any] = json.loads(done.stdout)
    return row


def _table(rounds: list[dict[str, Any]]) -> str:
    header = (
        "| members | labels (teach × learn) | wall s | peak RSS MB | swaps | cycles | groups "
        "| pairs | learners served / waiting | naive baseline s (extrapolated) | speed-up "
        "| cdist floor s (wordings) | × floor |"
    )
    lines = [header, "|" + "---|" * (header.count("|") - 1)]
    for r in rounds:
        served = f"{r['learners_served']:,} / {r['learners_waiting']:,}"
        lines.append(
            f"| {r['members']:,} | {r['teach_labels']:,} × {r['learn_labels']:,} "
            f"| {r['wall_seconds']:.2f} | {r['peak_rss_mb']:,.0f} | {r['swaps']:,} "
            f"| {r['cycles']:,} | {r['groups']:,} | {r['pairs']:,} | {served} "
            f"| {r['baseline_seconds']:,.0f} | {r['speedup']:,.0f}× "
            f"| {r['floor_seconds']:.2f} ({r['floor_teach_wordings']:,} × "
            f"{r['floor_learn_wordings']:,}) | {r['floor_ratio']:.1f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
