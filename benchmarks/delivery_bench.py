"""Benchmark of how fast a round's intros drain under Slack's rate limits, and how close that
is to the limit.

    python -m benchmarks.delivery_bench [--intros 5000] [--speedup 120] [--storm-intros 1000]
                                        [--runs paced storm scaled] [--database-url URL]

Why compressed time: at Slack's real limits (conversations.open, 50 a minute) 5,000 intros
take about 100 minutes, so runs go `--speedup` (K) times faster than Slack. Each intro is one
conversations.open and one chat.postMessage, sent by the real `delivery.sweep` through the
real slack_sdk client to the fake Slack, which answers 429 (with Retry-After) past its
limits. Three runs:

- paced: Slack in fast motion. The fake allows Slack's 50 conversations.open and 300
  chat.postMessage per 60 s window, Rex's pacer has its production limits
  (`rex_pacing_factor` 1), and every clock and sleep that paces or waits runs K times fast:
  the fake's window and Retry-After, Rex's pacer, slack_sdk's Retry-After sleep, Rex's due
  dates. Only Rex's own work (database, HTTP, rendering) is not compressed, which makes the
  run a pessimistic replica of production: wall time × K is the drain time against Slack.
- storm: the same, with Rex's pacing off (`rex_pacing_factor` 100,000): what pacing saves.
  It runs fewer intros (`--storm-intros`) under a timeout.
- scaled: the set-up of the issue, for a faster Slack: the fake's limits at K × Slack's per
  real 60 s window and the pacer at `rex_pacing_factor` K. Scaling keeps the window at 60 s
  and multiplies the bursts by K, so it is not Slack in fast motion (while a run is shorter
  than a minute the fake cannot 429 at all); it measures how fast Rex's own loop can go.

Reported per run: wall time and its Slack-time equivalent (wall × K), the limit's bound
(N / 50 intros a minute), the pacer's own schedule (the same pacer on a virtual clock, with
no work between calls: Rex's best), the rate achieved as a share of the limit, the 429s the
fake answered, any intro posted twice or never, and peak RSS. The fake runs in a process of
its own, as Slack would, so its work does not share Rex's interpreter lock; each run's Rex is
a process of its own too, so its peak RSS is that run's. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import sys
import time
from collections import Counter
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Literal
from unittest.mock import patch

from slack_sdk.http_retry import builtin_handlers
from slack_sdk.http_retry import handler as retry_handler

from bot.offline.fakeslack import server as fake_server
from bot.offline.fakeslack.server import FakeSlack
from bot.runtime.pacing import Pacer, scaled_limits
from bot.runtime.rex import Rex, build_runtime
from bot.settings import Settings, load_settings
from handlers.outbox import delivery
from storage.db import migrate
from storage.models import WorkKind, utcnow
from tests.support.database import backlog, scratch_database, seed_due_work
from tests.support.machine import machine, peak_rss_mb

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "delivery_bench.json"
# Slack's floors (bot/runtime/pacing.py): what the fake enforces, per real minute.
SLACK_PER_MINUTE = {"conversations.open": 50, "chat.postMessage": 300, "conversations.history": 50}
OPEN_PER_MINUTE = SLACK_PER_MINUTE["conversations.open"]
NO_PACING = 100_000.0  # the largest rex_pacing_factor settings accept: pacing in name only
PROGRESS_EVERY = 500

Model = Literal["compressed", "scaled"]


@dataclass(frozen=True)
class RunSpec:
    """One drain to measure; plain data, so it can be handed to a run's own process."""

    name: str
    model: Model
    paced: bool
    intros: int
    speedup: float
    database_url: str | None
    timeout: float
    batch: int
    verbose: bool


# --- time ------------------------------------------------------------------------------------


class CompressedTime:
    """A clock running `speedup` times faster than the wall clock from its creation on, and
    sleeps as much shorter. It stands in for the `time` module where code paces or waits
    (the fake's rate-limit windows and Retry-After, slack_sdk's Retry-After sleep, Rex's
    pacer), so that a 429 costs what it would at Slack's speed; wall-clock time (`time`,
    `time_ns`: message timestamps) is left as it is."""

    def __init__(self, speedup: float) -> None:
        self.speedup = speedup
        self._origin = time.monotonic()
        self._start = utcnow()

    def monotonic(self) -> float:
        return (time.monotonic() - self._origin) * self.speedup

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds / self.speedup)

    def now(self) -> datetime:
        """Rex's clock: due dates, backoffs and leases run compressed too."""
        return self._start + timedelta(seconds=self.monotonic())

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


def pacer_schedule(intros: int, factor: float) -> float:
    """When the pacer (limits × `factor`) lets the last of `intros` intros go, in its own
    seconds, if nothing but pacing took time: the best a sweep can do."""
    now = [0.0]

    def advance(seconds: float) -> None:
        now[0] += seconds

    methods, default, per_channel = scaled_limits(factor)
    pacer = Pacer(
        methods, default=default, per_channel=per_channel, clock=lambda: now[0], sleep=advance
    )
    for i in range(intros):
        pacer.wait("conversations.open")
        pacer.wait("chat.postMessage", f"G{i}")
    return now[0]


# --- the fake Slack, in a process of its own ---------------------------------------------------


def _serve_fake(conn: Connection, speedup: float, limits: dict[str, int]) -> None:
    """The fake's process: serve on 127.0.0.1 and answer the benchmark's questions until
    told to stop (or until the benchmark's end of the pipe closes). Its limiter's clock runs
    `speedup` times fast (1: real time)."""
    with patch.object(fake_server, "time", CompressedTime(speedup)), FakeSlack() as fake:
        for method, per_minute in limits.items():
            fake.rate_limit(method, per_minute)
        conn.send((fake.api_url, fake.bot_token))
        while True:
            try:
                command, argument = conn.recv()
            except EOFError:
                return
            if command == "users":
                for user in argument:
                    fake.add_user(user, user.lower())
                conn.send(None)
            elif command == "rate_limited":
                conn.send(sum(1 for call in fake.calls if call.status == 429))
            elif command == "report":
                conn.send(_fake_report(fake))
            else:
                conn.send(None)
                return


def _fake_report(fake: FakeSlack) -> dict[str, Any]:
    """What the fake saw: calls and 429s per method, and how many messages carry each row id
    (every intro must be posted exactly once)."""
    calls = fake.calls
    accepted = Counter(c.method for c in calls if c.status == 200)
    limited = Counter(c.method for c in calls if c.status == 429)
    channels = {
        c.response["channel"]["id"]
        for c in calls
        if c.method == "conversations.open" and c.response.get("ok")
    }
    posted: Counter[int] = Counter()
    for channel in channels:
        for message in fake.messages(channel):
            payload = (message.get("metadata") or {}).get("event_payload") or {}
            if "work_id" in payload:
                posted[int(payload["work_id"])] += 1
    return {
        "calls": dict(sorted(accepted.items())),
        "rate_limited": dict(sorted(limited.items())),
        "rate_limited_total": sum(limited.values()),
        "posted_work_ids": len(posted),
        "duplicates": sum(n - 1 for n in posted.values() if n > 1),
    }


class FakeProcess:
    """Handle on the fake Slack's process."""

    def __init__(self, speedup: float, limits: dict[str, int]) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_serve_fake, args=(child, speedup, limits), name="fakeslack", daemon=True
        )
        self._process.start()
        child.close()
        self.api_url, self.bot_token = self._conn.recv()

    def ask(self, command: str, argument: Any = None) -> Any:
        self._conn.send((command, argument))
        return self._conn.recv()

    def stop(self) -> None:
        if self._process.is_alive():
            self.ask("stop")
        self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.terminate()


# --- one run, in a process of its own ---------------------------------------------------------


def _run_in_child(spec: RunSpec, conn: Connection) -> None:
    conn.send(measure(spec))
    conn.close()


def measure(spec: RunSpec) -> dict[str, Any]:
    """Seed `spec.intros` due intros, then sweep as the sweep job does until none is left."""
    logging.basicConfig(format="    %(name)s %(levelname)s %(message)s")
    logging.getLogger("rex").setLevel(logging.WARNING if spec.verbose else logging.ERROR)
    compressed = spec.model == "compressed"
    scale = 1.0 if compressed else spec.speedup
    limits = {m: round(n * scale) for m, n in SLACK_PER_MINUTE.items()}
    fake = FakeProcess(spec.speedup if compressed else 1.0, limits)
    clock = CompressedTime(spec.speedup)
    retry_sleeps = (
        [patch.object(module, "time", clock) for module in (retry_handler, builtin_handlers)]
        if compressed
        else []
    )
    try:
        with scratch_database(spec.database_url) as url, ExitStack() as stack:
            for patched in retry_sleeps:
                stack.enter_context(patched)
            settings = load_settings(
                _env_file=None,
                slack_bot_token=fake.bot_token,
                slack_signing_secret="delivery-bench",
                slack_api_url=fake.api_url,
                database_url=url,
                rex_pacing_factor=scale if spec.paced else NO_PACING,
            )
            rex = build_runtime(
                settings, clock=clock.now, pacer=_pacer(settings, clock if compressed else None)
            )
            migrate(rex.engine)
            started = time.perf_counter()
            users = seed_due_work(rex.engine, spec.intros, now=clock.now())
            fake.ask("users", users)
            seed_seconds = time.perf_counter() - started
            drained = _drain(rex, spec, fake)
            report = fake.ask("report")
            rex.engine.dispose()
    finally:
        fake.stop()
    return _summarise(spec, drained, report, seed_seconds)


def _pacer(settings: Settings, clock: CompressedTime | None) -> Pacer | None:
    """`scaled_pacer(settings.rex_pacing_factor)` on the compressed clock, if any (a 429's
    Retry-After is then in compressed seconds too); None: the one `build_runtime` makes."""
    if clock is None:
        return None
    methods, default, per_channel = scaled_limits(settings.rex_pacing_factor)
    return Pacer(
        methods, default=default, per_channel=per_channel, clock=clock.monotonic, sleep=clock.sleep
    )


@dataclass
class Drained:
    wall_seconds: float
    sweeps: int
    outcomes: Counter[str]
    pending: int
    timed_out: bool


def _drain(rex: Rex, spec: RunSpec, fake: FakeProcess) -> Drained:
    """Sweep back to back until no intro is pending (or the timeout), with progress."""
    outcomes: Counter[str] = Counter()
    started = time.perf_counter()
    deadline = started + spec.timeout
    mark, sweeps = PROGRESS_EVERY, 0
    while True:
        report = delivery.sweep(rex, limit=spec.batch)
        sweeps += 1
        outcomes.update(asdict(report))
        done = outcomes["sent"] + outcomes["skipped"] + outcomes["failed"]
        if done >= mark or done >= spec.intros:
            elapsed = time.perf_counter() - started
            print(
                f"  [{spec.name}] {done:,}/{spec.intros:,} intros in {elapsed:.1f} s "
                f"({done / elapsed * 60:,.0f}/min), 429s so far: {fake.ask('rate_limited')}",
                file=sys.stderr,
            )
            mark = (done // PROGRESS_EVERY + 1) * PROGRESS_EVERY
        pending = backlog(rex.engine, WorkKind.INTRO)
        if pending == 0 or time.perf_counter() > deadline:
            break
        if report == delivery.SweepReport():
            time.sleep(0.01)  # what is left waits for its retry's backoff
    wall = time.perf_counter() - started
    return Drained(wall, sweeps, outcomes, pending, pending > 0)


def _summarise(
    spec: RunSpec, drained: Drained, fake: dict[str, Any], seed_seconds: float
) -> dict[str, Any]:
    k = spec.speedup
    n = spec.intros
    wall = drained.wall_seconds
    limit_seconds = n / (OPEN_PER_MINUTE * k) * 60
    schedule: float | None = None
    if spec.paced:
        factor = 1.0 if spec.model == "compressed" else k
        schedule = pacer_schedule(n, factor) / (k if spec.model == "compressed" else 1.0)
    sent = drained.outcomes["sent"]
    per_real_minute = sent / (wall * k) * 60 if wall else 0.0
    return {
        "run": spec.name,
        "model": spec.model,
        "paced": spec.paced,
        "intros": n,
        "speedup": k,
        "database": "postgresql" if spec.database_url else "sqlite",
        "batch": spec.batch,
        "seed_seconds": round(seed_seconds, 2),
        "wall_seconds": round(wall, 2),
        "slack_time_minutes": round(wall * k / 60, 1),
        "limit_seconds": round(limit_seconds, 2),
        "pacer_schedule_seconds": None if schedule is None else round(schedule, 2),
        "intros_per_slack_minute": round(per_real_minute, 2),
        "limit_per_slack_minute": OPEN_PER_MINUTE,
        "share_of_limit": round(per_real_minute / OPEN_PER_MINUTE, 3),
        "share_of_pacer_schedule": None if schedule is None else round(schedule / wall, 3),
        "sweeps": drained.sweeps,
        "outcomes": dict(drained.outcomes),
        "pending": drained.pending,
        "timed_out": drained.timed_out,
        "delivered": fake["posted_work_ids"],
        "missing": n - fake["posted_work_ids"],
        **{key: fake[key] for key in ("duplicates", "rate_limited_total", "rate_limited")},
        "calls": fake["calls"],
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def run_isolated(spec: RunSpec) -> dict[str, Any]:
    """`measure(spec)` in a fresh process (its own peak RSS), killed past its timeout."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_run_in_child, args=(spec, send), name=spec.name)
    process.start()
    send.close()
    if not receive.poll(spec.timeout + 300):
        process.terminate()
        raise TimeoutError(f"run {spec.name} did not finish")
    result: dict[str, Any] = receive.recv()
    process.join()
    return result


# --- command line -----------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--intros", type=int, default=5_000, help="intros in the paced runs")
    parser.add_argument("--speedup", type=float, default=120.0, help="time compression K")
    parser.add_argument("--storm-intros", type=int, default=1_000)
    parser.add_argument("--storm-timeout", type=float, default=120.0, help="wall seconds")
    parser.add_argument("--timeout", type=float, default=600.0, help="wall seconds per run")
    parser.add_argument("--batch", type=int, default=delivery.BATCH, help="rows per sweep")
    parser.add_argument(
        "--runs",
        nargs="+",
        choices=("paced", "storm", "scaled"),
        default=["paced", "storm", "scaled"],
    )
    parser.add_argument(
        "--database-url", help="a scratch database (emptied!), e.g. PostgreSQL; default SQLite"
    )
    parser.add_argument("--verbose", action="store_true", help="show Rex's warnings")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    specs = {
        "paced": RunSpec(
            "paced", "compressed", True, args.intros, args.speedup, args.database_url,
            args.timeout, args.batch, args.verbose,
        ),
        "storm": RunSpec(
            "storm", "compressed", False, args.storm_intros, args.speedup, args.database_url,
            args.storm_timeout, args.batch, args.verbose,
        ),
        "scaled": RunSpec(
            "scaled", "scaled", True, args.intros, args.speedup, args.database_url,
            args.timeout, args.batch, args.verbose,
        ),
    }  # fmt: skip
    runs = []
    for name in args.runs:
        print(f"{name}: {specs[name].intros:,} intros, K = {args.speedup:g}", file=sys.stderr)
        runs.append(run_isolated(specs[name]))
    report = {
        "machine": machine(),
        "slack_limits_per_minute": SLACK_PER_MINUTE,
        "runs": runs,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(_table(runs))
    print(f"\nwritten to {args.output}")
    return 0 if all(r["duplicates"] == 0 and r["missing"] == 0 for r in runs) else 1


def _table(runs: list[dict[str, Any]]) -> str:
    header = (
        "| run | intros | wall s | at Slack's limits | limit bound s | pacer schedule s "
        "| intros / Slack min | of limit | 429s | duplicates / missing | peak RSS MB |"
    )
    lines = [header, "|" + "---|" * (header.count("|") - 1)]
    for r in runs:
        schedule = r["pacer_schedule_seconds"]
        cut = " (timed out)" if r["timed_out"] else ""
        lines.append(
            f"| {r['run']} ({r['model']}, K={r['speedup']:g}) | {r['intros']:,} "
            f"| {r['wall_seconds']:.1f}{cut} | {r['slack_time_minutes']:,.1f} min "
            f"| {r['limit_seconds']:.1f} | {'-' if schedule is None else f'{schedule:.1f}'} "
            f"| {r['intros_per_slack_minute']:.1f} / {r['limit_per_slack_minute']} "
            f"| {r['share_of_limit']:.0%} | {r['rate_limited_total']:,} "
            f"| {r['duplicates']} / {r['missing']} | {r['peak_rss_mb']:.0f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
