"""How long 5,000 intros take to drain with two replicas sharing Slack's budget, and how
close that is to the limit.

    python -m benchmarks.replicas_bench --database-url URL [--intros 5000] [--speedup 60]
                                         [--replicas 1 2]

Each replica is a process of its own running the real `delivery.sweep` loop on one
PostgreSQL database (emptied first: give a scratch one), with the pacing shared through it
(`SharedPacer`), against the fake Slack in a process of its own that answers 429 past its
limits. The shared pacer runs in the database's clock, which cannot be compressed, so the
run is scaled (as `delivery_bench`'s `scaled` run): the fake allows K times Slack's calls
per real 60-second window and Rex paces at `rex_pacing_factor` K; the drain time is then
reported both in wall seconds and as Slack time (wall × K).

Reported per replica count: wall time, the limit's bound (N / (50 K) intros a minute), the
share of the limit achieved, the 429s the fake answered, intros posted twice or never, and
how the intros were split between replicas. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import sys
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from benchmarks.delivery_bench import SLACK_PER_MINUTE, FakeProcess
from bot.runtime.pacing import SharedPacer
from bot.runtime.rex import build_runtime
from bot.settings import load_settings
from handlers.outbox import delivery
from storage.db import make_engine
from storage.models import DueWork, WorkKind, utcnow
from tests.support.database import backlog, scratch_database, seed_due_work
from tests.support.machine import machine

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "replicas_bench.json"
OPEN_PER_MINUTE = SLACK_PER_MINUTE["conversations.open"]


def _replica(url: str, api_url: str, token: str, factor: float, conn: Connection) -> None:
    """One replica: sweep until nothing is due; report what it sent."""
    logging.basicConfig(level=logging.ERROR)
    settings = load_settings(
        _env_file=None,
        slack_bot_token=token,
        slack_signing_secret="replicas-bench",
        slack_api_url=api_url,
        database_url=url,
        rex_pacing_factor=factor,
    )
    rex = build_runtime(settings)
    assert isinstance(rex.pacer, SharedPacer)
    conn.send("ready")
    conn.recv()  # start together
    sent = 0
    while True:
        report = delivery.sweep(rex)
        sent += report.sent
        if report.claimed == 0:
            if backlog(rex.engine, WorkKind.INTRO) == 0:
                break
            time.sleep(0.05)
    rex.engine.dispose()
    conn.send(sent)


def measure(url: str, intros: int, speedup: float, replicas: int) -> dict[str, Any]:
    limits = {m: round(n * speedup) for m, n in SLACK_PER_MINUTE.items()}
    fake = FakeProcess(1.0, limits)
    try:
        with scratch_database(url) as database:
            engine = make_engine(database)
            fake.ask("users", seed_due_work(engine, intros, now=utcnow()))
            context = multiprocessing.get_context("spawn")
            pipes, processes = [], []
            for _ in range(replicas):
                mine, theirs = context.Pipe()
                process = context.Process(
                    target=_replica, args=(database, fake.api_url, fake.bot_token, speedup, theirs)
                )
                process.start()
                pipes.append(mine)
                processes.append(process)
            for pipe in pipes:
                assert pipe.recv() == "ready"
            started = time.perf_counter()
            for pipe in pipes:
                pipe.send("go")
            split = [pipe.recv() for pipe in pipes]
            wall = time.perf_counter() - started
            for process in processes:
                process.join(30)
            with Session(engine) as session:
                workers = session.exec(
                    select(func.count(func.distinct(DueWork.claimed_by))).where(
                        DueWork.kind == WorkKind.INTRO
                    )
                ).one()
            engine.dispose()
        report = fake.ask("report")
    finally:
        fake.stop()
    bound = intros / (OPEN_PER_MINUTE * speedup) * 60
    return {
        "replicas": replicas,
        "intros": intros,
        "speedup": speedup,
        "wall_seconds": round(wall, 1),
        "slack_time_minutes": round(wall * speedup / 60, 1),
        "limit_seconds": round(bound, 1),
        "share_of_limit": round(bound / wall, 3),
        "rate_limited_total": report["rate_limited_total"],
        "delivered": report["posted_work_ids"],
        "missing": intros - report["posted_work_ids"],
        "duplicates": report["duplicates"],
        "sent_per_replica": split,
        "workers_that_claimed": workers,
        "calls": report["calls"],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", required=True, help="scratch PostgreSQL (emptied!)")
    parser.add_argument("--intros", type=int, default=5_000)
    parser.add_argument("--speedup", type=float, default=60.0, help="the limits' factor K")
    parser.add_argument("--replicas", type=int, nargs="+", default=[2])
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    runs = []
    for count in args.replicas:
        print(f"{count} replica(s): {args.intros:,} intros, K = {args.speedup:g}", file=sys.stderr)
        runs.append(measure(args.database_url, args.intros, args.speedup, count))
    report = {
        "machine": machine(),
        "slack_limits_per_minute": SLACK_PER_MINUTE,
        "runs": runs,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    for run in runs:
        print(
            f"{run['replicas']} replica(s): {run['intros']:,} intros in {run['wall_seconds']} s "
            f"({run['slack_time_minutes']} min at Slack's limits), bound {run['limit_seconds']} s, "
            f"{run['share_of_limit']:.0%} of the limit, 429s {run['rate_limited_total']}, "
            f"duplicates {run['duplicates']}, missing {run['missing']}, "
            f"split {run['sent_per_replica']}"
        )
    return 0 if all(r["duplicates"] == 0 and r["missing"] == 0 for r in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
