"""Benchmark of type-ahead skill suggestions on a 100,000-member network.

    python -m benchmarks.suggest_bench [--members 100000] [--queries 2000]

Slack drops a `block_suggestion` answer after 3 s, and a menu feels slow well before that,
so the target is a p95 well under 100 ms per query. Timed: the cold build (every distinct
spelling normalised, as at bot start), a rebuild with the matcher's cache warm, the index
memory, `add` of known and of new skills, and queries as people type them: prefixes of
1-12 characters, labels with a slip of the keyboard, whole labels and the empty query;
then the same queries from two threads while a third adds labels. Not part of the suite.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import threading
import time
import tracemalloc
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from benchmarks.synthetic import generate_network, typo
from bot.matching import normalize
from bot.matching.suggest import SkillSuggester, clean
from tests.support.machine import machine, peak_rss_mb

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "suggest_bench.json"
TARGET_P95_MS = 100.0


class Query(NamedTuple):
    kind: str
    text: str
    meant: str  # the label the person is on the way to typing


def make_queries(labels: Sequence[str], n: int, seed: int) -> list[Query]:
    """Labels drawn as often as they are used: 60 % prefixes of 1-12 characters (casing as
    typed or lower), 25 % labels with a typo, 15 % whole labels."""
    rng = random.Random(seed)
    queries: list[Query] = []
    for label in (clean(x) for x in rng.choices(labels, k=n)):
        roll = rng.random()
        if roll < 0.6:
            prefix = label[: rng.randint(1, 12)]
            queries.append(Query("prefix", prefix.lower() if rng.random() < 0.5 else prefix, label))
        elif roll < 0.85:
            queries.append(Query("typo", typo(label, rng), label))
        else:
            queries.append(Query("whole", label, label))
    return queries


def percentiles(samples_ms: Sequence[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return {
        "n": len(ordered),
        "p50_ms": round(cuts[49], 3),
        "p95_ms": round(cuts[94], 3),
        "p99_ms": round(cuts[98], 3),
        "max_ms": round(ordered[-1], 3),
    }


def timed_ms(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def query_latencies(
    suggester: SkillSuggester, queries: Sequence[Query]
) -> dict[str, dict[str, float]]:
    by_kind: dict[str, list[float]] = {"all": []}
    for query in queries:
        elapsed = timed_ms(partial(suggester.suggest, query.text, 10))
        by_kind.setdefault(query.kind, []).append(elapsed)
        by_kind["all"].append(elapsed)
    by_kind["empty"] = [timed_ms(lambda: suggester.suggest("", 10)) for _ in range(200)]
    return {kind: percentiles(samples) for kind, samples in by_kind.items()}


def hit_rates(suggester: SkillSuggester, queries: Sequence[Query]) -> dict[str, dict[str, float]]:
    """How often the skill meant is the first suggestion, and among the first ten (short
    prefixes cannot tell skills apart, so a prefix of 1-2 characters rarely hits)."""
    hits: dict[str, list[tuple[bool, bool]]] = {"all": []}
    for query in queries:
        meant = normalize(query.meant)
        found = [normalize(s.label) for s in suggester.suggest(query.text, 10)]
        hit = (found[:1] == [meant], meant in found)
        hits.setdefault(query.kind, []).append(hit)
        hits["all"].append(hit)
    return {
        kind: {
            "top1": round(sum(h[0] for h in got) / len(got), 3),
            "top10": round(sum(h[1] for h in got) / len(got), 3),
        }
        for kind, got in hits.items()
    }


def concurrent_latencies(
    suggester: SkillSuggester, queries: Sequence[Query], new_labels: Sequence[str]
) -> dict[str, float]:
    """Two reader threads over all queries while a writer adds labels: reads take no lock,
    so this shows what contention (the GIL) costs, and that nothing breaks."""
    samples: list[list[float]] = [[], []]
    errors: list[BaseException] = []

    def read(out: list[float], order: Sequence[Query]) -> None:
        try:
            for query in order:
                out.append(timed_ms(partial(suggester.suggest, query.text, 10)))
        except BaseException as error:  # reported below, a thread cannot raise to main
            errors.append(error)

    def write() -> None:
        for label in new_labels:
            suggester.add(label)
            time.sleep(0.001)

    threads = [
        threading.Thread(target=read, args=(samples[0], queries)),
        threading.Thread(target=read, args=(samples[1], queries[::-1])),
        threading.Thread(target=write),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return percentiles(samples[0] + samples[1])


def run(n_members: int, n_queries: int, seed: int) -> dict[str, Any]:
    members, _ = generate_network(n_members, seed)
    labels = [label for m in members for label in (*m.teach, *m.learn)]
    started = time.perf_counter()
    suggester = SkillSuggester.from_labels(labels)
    cold = time.perf_counter() - started
    started = time.perf_counter()
    SkillSuggester.from_labels(labels)
    warm = time.perf_counter() - started
    tracemalloc.start()
    kept = SkillSuggester.from_labels(labels)
    index_bytes = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del kept
    stats = suggester.stats()

    queries = make_queries(labels, n_queries, seed + 1)
    suggester.suggest("warm up")
    latencies = query_latencies(suggester, queries)
    hits = hit_rates(suggester, queries)
    rng = random.Random(seed + 2)
    known = [timed_ms(lambda: suggester.add(rng.choice(labels))) for _ in range(1000)]
    fresh = [f"{_made_up_word(rng)} crafting" for _ in range(300)]  # each a new skill
    new = [timed_ms(partial(suggester.add, label)) for label in fresh[:100]]
    concurrent = concurrent_latencies(suggester, queries, fresh[100:])
    return {
        "members": n_members,
        "entries": len(labels),
        "distinct_wordings": len({clean(x) for x in labels}),
        **stats,
        "build_cold_seconds": round(cold, 3),
        "build_warm_seconds": round(warm, 3),
        "index_mb": round(index_bytes / 2**20, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "queries": latencies,
        "meant_skill_found": hits,
        "queries_two_readers_one_writer": concurrent,
        "add_known_skill": percentiles(known),
        "add_new_skill": percentiles(new),
        "examples": {
            query: [s.label for s in suggester.suggest(query, 5)]
            for query in ("kubernets", "k8s", "exel", "ppt", "prise de par", "gestion", "py")
        },
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    result = run(args.members, args.queries, args.seed)
    report = {
        "machine": machine(),
        "seed": args.seed,
        "target_p95_ms": TARGET_P95_MS,
        **result,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(_table(result))
    print(f"\nwritten to {args.output}")
    return 0 if result["queries"]["all"]["p95_ms"] < TARGET_P95_MS else 1


def _made_up_word(rng: random.Random) -> str:
    return "".join(rng.choice("bcdfghjklmnpqrstvwxz") + rng.choice("aeiou") for _ in range(4))


def _table(result: dict[str, Any]) -> str:
    lines = [
        f"{result['members']:,} members, {result['entries']:,} entries, "
        f"{result['distinct_wordings']:,} wordings, {result['skills']:,} skills, "
        f"{result['prefix_entries']:,} prefix entries, {result['fuzzy_forms']:,} fuzzy forms",
        f"build: {result['build_cold_seconds']:.2f} s cold, "
        f"{result['build_warm_seconds']:.2f} s warm; index {result['index_mb']:.1f} MB, "
        f"peak RSS {result['peak_rss_mb']:.0f} MB",
        "",
        "| operation | n | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---|---|---|---|---|",
    ]
    rows = [(f"query: {kind}", stats) for kind, stats in result["queries"].items()]
    rows += [
        ("query: all, 2 readers + 1 writer", result["queries_two_readers_one_writer"]),
        ("add: known skill", result["add_known_skill"]),
        ("add: new skill", result["add_new_skill"]),
    ]
    for name, s in rows:
        lines.append(
            f"| {name} | {s['n']:,} | {s['p50_ms']:.2f} | {s['p95_ms']:.2f} "
            f"| {s['p99_ms']:.2f} | {s['max_ms']:.2f} |"
        )
    lines += ["", "| queries | meant skill first | meant skill in top 10 |", "|---|---|---|"]
    for kind, rate in result["meant_skill_found"].items():
        lines.append(f"| {kind} | {rate['top1']:.1%} | {rate['top10']:.1%} |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
