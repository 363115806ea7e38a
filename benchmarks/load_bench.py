"""Monday-morning load: 50 members at once send slash commands, open their App Home and
reply in Rex's DM (200 requests of each kind), against the real app over HTTP.

    python -m benchmarks.load_bench [--members 50] [--requests 200] [--database-url URL]

Rex runs as in production: `rex run` in a process of its own (HTTP mode, waitress, Bolt, its
middleware and listeners), against the fake Slack in the benchmark's process; the members
(already joined) act at once from 50 threads, each request a signed POST timed from send to
Rex's answer (the ack: Slack gives up after 3 s); between two actions a member takes 0.5 to
2 s to read Rex's answer (with no pause at all, 50 threads firing back to back measure the
machine's throughput instead: latency = 50 / requests per second). Reported per kind and
overall: p50, p95, p99 and max of the ack time, errors (any non-200 answer, and any ERROR Rex
logged, such as a listener that failed after its ack), and requests per second. SQLite (a new
file) by default, or a scratch PostgreSQL database (emptied!) with --database-url. The target: p95
≤ 300 ms with no error on both. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sqlmodel import Session

from bot.matching import key_of
from bot.offline.fakeslack import FakeSlack, Response, SlackDriver
from storage.db import make_engine, migrate
from storage.models import Member, Skill, SkillKind
from tests.support.database import scratch_database
from tests.support.http import free_port
from tests.support.machine import machine

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "load_bench.json"
SECRET = "load-bench-secret"
SKILLS = ("Python", "Excel", "SQL", "Figma", "Git", "Spanish", "Kubernetes", "Negotiation")
COMMANDS = ("me", "help", "me hours", "language en", "leaderboard on")
REPLIES = ("help", "yes we met", "4/5", "1h30", "me", "aide")
# A person reads Rex's answer before the next thing they do: 0.5 to 2 s.
THINK_SECONDS = (0.5, 2.0)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _summary(latencies: list[float], errors: int, seconds: float) -> dict[str, Any]:
    ms = [v * 1000 for v in latencies]
    return {
        "requests": len(ms),
        "errors": errors,
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(_percentile(ms, 0.95), 1),
        "p99_ms": round(_percentile(ms, 0.99), 1),
        "max_ms": round(max(ms), 1),
        "per_second": round(len(ms) / seconds, 1),
    }


def _seed(url: str, people: list[str], rng: random.Random) -> None:
    """Members who joined already, each teaching one skill and learning another."""
    engine = make_engine(url)
    migrate(engine)
    with Session(engine) as session:
        for user in people:
            member = Member(slack_id=user, display_name=user)
            session.add(member)
            session.flush()
            assert member.id is not None
            for kind, label in zip(
                (SkillKind.TEACH, SkillKind.LEARN), rng.sample(SKILLS, 2), strict=True
            ):
                skill = Skill(member_id=member.id, kind=kind, label=label, normalized=key_of(label))
                session.add(skill)
        session.commit()
    engine.dispose()


def measure(members: int, requests: int, database_url: str | None) -> dict[str, Any]:
    rng = random.Random(5)
    people = [f"ULOAD{i:03d}" for i in range(members)]
    with (
        scratch_database(database_url) as url,
        FakeSlack() as fake,
        tempfile.TemporaryDirectory() as cwd,
    ):
        for i, user in enumerate(people):
            fake.add_user(user, f"member{i}", locale="en-US")
        _seed(url, people, rng)
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "REX_"))}
        env.update(
            SLACK_BOT_TOKEN=fake.bot_token,
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=fake.api_url,
            DATABASE_URL=url,
            PORT=str(port),
            REX_PACING_FACTOR="1000",
        )
        log = Path(os.environ.get("REX_LOAD_BENCH_LOG") or Path(cwd) / "rex.log")
        with log.open("w") as err:
            rex = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"], cwd=cwd, env=env, stderr=err
            )
        try:
            _wait_healthy(port, rex)
            results, seconds = _load(fake, port, people, requests, rng)
        finally:
            rex.send_signal(signal.SIGTERM)
            rex.wait(30)
        errors = [line for line in log.read_text().splitlines() if " ERROR " in line]
        failed = len(errors)
    statuses = Counter(status for _, _, status in results)
    report: dict[str, Any] = {
        "database": "postgresql" if database_url else "sqlite",
        "members": members,
        "statuses": dict(statuses),
        "listener_errors": failed,
        "error_lines": errors[:5],
        "overall": _summary(
            [latency for _, latency, _ in results],
            sum(1 for _, _, status in results if status != 200) + failed,
            seconds,
        ),
    }
    for kind in KINDS:
        mine = [(latency, status) for k, latency, status in results if k == kind]
        report[kind] = _summary(
            [latency for latency, _ in mine], sum(1 for _, s in mine if s != 200), seconds
        )
    return report


KINDS = ("slash command", "home opened", "dm reply")


def _wait_healthy(port: int, rex: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and rex.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as ok:
                if ok.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("rex run did not become healthy")


def _load(
    fake: FakeSlack, port: int, people: list[str], requests: int, rng: random.Random
) -> tuple[list[tuple[str, float, int]], float]:
    """Every member's requests, from one thread per member at once: (kind, seconds, status)."""
    driver = SlackDriver(f"http://127.0.0.1:{port}/slack/events", SECRET, fake)
    dms = {user: fake.dm_channel(user) for user in people}

    def command(user: str) -> Response:
        return driver.command(user, rng.choice(COMMANDS))

    def home(user: str) -> Response:
        return driver.event({"type": "app_home_opened", "user": user, "tab": "home"})

    def reply(user: str) -> Response:
        event = {
            "type": "message",
            "channel_type": "im",
            "channel": dms[user],
            "user": user,
            "text": rng.choice(REPLIES),
            "ts": f"{time.time():.6f}",
        }
        return driver.event(event)

    kinds: dict[str, Callable[[str], Response]] = dict(
        zip(KINDS, (command, home, reply), strict=True)
    )
    work = [(kind, people[i % len(people)]) for kind in KINDS for i in range(requests)]
    rng.shuffle(work)
    plans = {user: [kind for kind, who in work if who == user] for user in people}
    pauses = {user: [rng.uniform(*THINK_SECONDS) for _ in plans[user]] for user in people}

    def member(user: str) -> list[tuple[str, float, int]]:
        """One person's morning: each action, then a moment to read the answer."""
        done = []
        for kind, pause in zip(plans[user], pauses[user], strict=True):
            started = time.perf_counter()
            answer = kinds[kind](user)
            done.append((kind, time.perf_counter() - started, answer.status))
            time.sleep(pause)
        return done

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        results = [item for done in pool.map(member, people) for item in done]
    return results, time.perf_counter() - started


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--requests", type=int, default=200, help="of each kind")
    parser.add_argument("--database-url", help="a scratch PostgreSQL database (emptied!)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    runs = [measure(args.members, args.requests, None)]
    if args.database_url:
        runs.append(measure(args.members, args.requests, args.database_url))
    report = {
        "machine": machine(),
        "runs": runs,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    for run in runs:
        overall = run["overall"]
        print(
            f"{run['database']}: p50 {overall['p50_ms']} ms, p95 {overall['p95_ms']} ms, "
            f"p99 {overall['p99_ms']} ms, max {overall['max_ms']} ms, errors {overall['errors']}, "
            f"{overall['per_second']} requests/s"
        )
        for kind in ("slash command", "home opened", "dm reply"):
            print(f"  {kind}: p95 {run[kind]['p95_ms']} ms, errors {run[kind]['errors']}")
    print(f"written to {args.output}", file=sys.stderr)
    ok = all(r["overall"]["p95_ms"] <= 300 and r["overall"]["errors"] == 0 for r in runs)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
