"""Benchmark of the managers' digest over a long history: 1,000,000 evaluations.

    python -m benchmarks.digest_bench [--evaluations 1000000] [--weeks 104 12]
                                      [--members 20000] [--postgres auto|none|URL]
                                      [--runs 5] [--seed 0] [--keep-sqlite PATH]

A seeded history (members and their skills, exchanges with their lessons, every state move
as an `ExchangeEvent`, the evaluations of every session) is bulk-loaded into a migrated
SQLite file (executemany) and into a scratch PostgreSQL database (COPY), created on the
server given by URL, or on a throwaway server (`tests.support.pgserver`) with `auto`, and dropped
after. Ids follow time, as they do in production.

One run per `--weeks`: the history spans that many weeks up to the digest's end (its period
is the last week). 104 weeks is a large, busy network (about 10,000 evaluations a week);
12 weeks is a stress case that puts every evaluation inside the weekly chart's window, the
most the digest ever reads. PostgreSQL is analysed after loading, as autovacuum would;
SQLite is not, since Rex never runs ANALYZE.

Timed: `compute_digest` in a fresh session, `--runs` times after one untimed warm-up; the
matcher's vocabulary is loaded beforehand (a running bot loads it once). Reported per run
and backend: the digest's wall time (min / median / max), each statement's time with its
fetch, and the load time. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import heapq
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from benchmarks.synthetic import spell, vocabulary
from bot.digest.compute import compute_digest
from bot.digest.model import Digest
from bot.matching import key_of
from bot.periods import Period
from storage.db import make_engine, migrate
from storage.models import ExchangeKind, ExchangeState, GoalMet, MemberStatus, SkillKind
from tests.support.database import scratch_postgres
from tests.support.machine import machine
from tests.support.pgserver import find_pg_bin, postgres_server

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "digest_bench.json"
UNTIL = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # a Monday morning, when the digest posts
PERIOD = Period.weeks_to(UNTIL.date(), weeks=1, tz=ZoneInfo("UTC"))  # the week that ended
BUDGET_SECONDS = 2.0
CHUNK = 100_000  # evaluations per bulk write
SKILL_POOL = 600  # distinct skills people pick from (Zipf-weighted), before spellings
PILOT = 20_000  # exchanges simulated to learn how many evaluations one brings
MARGIN = 1.02  # aim above the target: the pilot's estimate is within about 1%
S = ExchangeState
TERMINAL = (S.EVALUATED, S.CLOSED, S.DECLINED, S.EXPIRED)
HISTORY_TABLES = ("exchange", "lesson", "exchange_event", "evaluation")

Row = tuple[Any, ...]
COLUMNS: dict[str, tuple[str, ...]] = {
    "member": (
        "id",
        "slack_id",
        "display_name",
        "status",
        "joined_at",
        "charter_agreed_at",
        "left_at",
        "languages",
        "preference",
        "leaderboard",
    ),
    "skill": ("id", "member_id", "kind", "label", "normalized", "created_at"),
    "exchange": (
        "id",
        "kind",
        "state",
        "created_at",
        "held_at",
        "closed_at",
        "invitation_sequence",
        "session_number",
        "participants",
    ),
    "lesson": (
        "id",
        "exchange_id",
        "teacher_id",
        "learner_id",
        "teach_label",
        "learn_label",
        "teach_key",
        "score",
    ),
    "exchange_event": ("id", "exchange_id", "from_state", "to_state", "at"),
    "evaluation": (
        "id",
        "exchange_id",
        "member_id",
        "session_number",
        "satisfaction",
        "goal_met",
        "useful",
        "as_learner",
        "as_teacher",
        "another_session",
        "hours",
        "created_at",
    ),
}
TIMES = {"joined_at", "charter_agreed_at", "left_at", "created_at", "held_at", "closed_at", "at"}


class Sink:
    """Bulk writes into one backend, in dependency order."""

    def write(self, table: str, rows: Sequence[Row]) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        raise NotImplementedError


class SqliteSink(Sink):
    """executemany on the raw sqlite3 connection, datetimes in SQLAlchemy's stored format."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path)
        self.connection.execute("PRAGMA synchronous=OFF")

    def write(self, table: str, rows: Sequence[Row]) -> None:
        columns = COLUMNS[table]
        times = [i for i, name in enumerate(columns) if name in TIMES]
        converted = [
            tuple(_sqlite_time(v) if i in times else v for i, v in enumerate(row)) for row in rows
        ]
        marks = ", ".join("?" for _ in columns)
        self.connection.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", converted
        )

    def finish(self) -> None:
        self.connection.commit()
        self.connection.close()


def _sqlite_time(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


class PostgresSink(Sink):
    """COPY ... FROM STDIN through psycopg, in one transaction."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.connection = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))

    def write(self, table: str, rows: Sequence[Row]) -> None:
        with (
            self.connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)

    def finish(self) -> None:
        self.connection.commit()
        self.connection.autocommit = True
        self.connection.execute("VACUUM ANALYZE")
        self.connection.close()


@dataclass(frozen=True)
class Person:
    id: int
    teach: tuple[str, ...]
    learn: tuple[str, ...]


def seed_members(
    rng: random.Random, n: int, start: datetime, sinks: Sequence[Sink]
) -> list[Person]:
    """Members (85% active, 10% paused, 5% left; a quarter on the leaderboard) and their
    skills, spelled as people type them; 3% have nothing to learn yet."""
    pool = vocabulary()[:SKILL_POOL]
    weights = [1.0 / (rank + 3) for rank in range(len(pool))]
    members: list[Row] = []
    skills: list[Row] = []
    people: list[Person] = []
    span = UNTIL - start
    for member_id in range(1, n + 1):
        if rng.random() < 0.8:
            joined = start - timedelta(days=rng.uniform(0, 365))
        else:
            joined = start + span * rng.random()
        roll = rng.random()
        status = MemberStatus.ACTIVE if roll < 0.85 else MemberStatus.PAUSED
        left_at = None
        if roll >= 0.95:
            status, left_at = MemberStatus.LEFT, joined + (UNTIL - joined) * rng.random()
        members.append(
            (
                member_id,
                f"U{member_id:08d}",
                f"Member {member_id}",
                status.value,
                joined,
                joined,
                left_at,
                "",
                "either",
                rng.random() < 0.25,
            )
        )
        labels: dict[SkillKind, dict[str, str]] = {SkillKind.TEACH: {}, SkillKind.LEARN: {}}
        learns = 0 if rng.random() < 0.03 else 3
        for kind, count in ((SkillKind.TEACH, 3), (SkillKind.LEARN, learns)):
            for skill in rng.choices(pool, weights, k=rng.randint(1, count) if count else 0):
                label = spell(skill, rng).strip()[:80] or skill
                labels[kind].setdefault(key_of(label), label)
        for kind, chosen in labels.items():
            for normalized, label in chosen.items():
                skills.append((len(skills) + 1, member_id, kind.value, label, normalized, joined))
        people.append(
            Person(
                member_id,
                tuple(labels[SkillKind.TEACH].values()),
                tuple(labels[SkillKind.LEARN].values()) or ("anything",),
            )
        )
    for sink in sinks:
        sink.write("member", members)
        sink.write("skill", skills)
    return people


@dataclass
class Story:
    """One exchange's life: its rows without ids (but the exchange's), times first."""

    exchange: Row
    lessons: list[Row]
    events: list[Row]  # (at, from_state, to_state)
    evaluations: list[Row]  # (created_at, member_id, session, satisfaction, ...)


@cache
def _key(label: str) -> str:
    """A lesson's `teach_key`, as Rex files it (a few hundred wordings, cached)."""
    return key_of(label)


def live_exchange(rng: random.Random, people: Sequence[Person], created: datetime) -> Story:
    """70% pairs, 20% swaps, 10% groups of one teacher and three learners; 12% declined, 8%
    expired, the others held for one session (85%) or two, each evaluated by 90% of its
    participants. A step that would come after UNTIL is not taken: still under way."""
    roll = rng.random()
    cast = rng.sample(people, 4)
    if roll < 0.7:
        kind, pairs = ExchangeKind.PAIR, [(cast[0], cast[1])]
    elif roll < 0.9:
        kind, pairs = ExchangeKind.SWAP, [(cast[0], cast[1]), (cast[1], cast[0])]
    else:
        kind, pairs = ExchangeKind.GROUP, [(cast[0], learner) for learner in cast[1:]]
    lessons = []
    for t, learner in pairs:
        taught = rng.choice(t.teach)
        lessons.append((t.id, learner.id, taught, rng.choice(learner.learn), _key(taught), 90.0))
    teachers = {t.id for t, _ in pairs}
    learners = {learner.id for _, learner in pairs}
    story = Story((), lessons, [(created, None, S.PROPOSED)], [])
    fate = rng.random()
    if fate < 0.12:
        _move(story, S.DECLINED, created + timedelta(days=rng.uniform(0.1, 3)))
    elif fate < 0.2:
        _move(story, S.EXPIRED, created + timedelta(days=14))
    else:
        _sessions(rng, story, teachers, learners, created + timedelta(days=rng.uniform(1, 5)))
    held = [at for at, _, to in story.events if to == S.HELD]
    state = story.events[-1][2]
    closed = story.events[-1][0] if state in TERMINAL else None
    story.exchange = (kind, state, created, held[0] if held else None, closed, max(len(held), 1))
    return story


def _move(story: Story, to: ExchangeState, at: datetime) -> bool:
    if at >= UNTIL:
        return False
    story.events.append((at, story.events[-1][2], to))
    return True


def _sessions(
    rng: random.Random, story: Story, teachers: set[int], learners: set[int], when: datetime
) -> None:
    total = 1 if rng.random() < 0.85 else 2
    everyone = sorted(teachers | learners)
    for number in range(1, total + 1):
        held = when + timedelta(days=2)
        if not (_move(story, S.SCHEDULED, when) and _move(story, S.HELD, held)):
            return
        given = [
            (held + timedelta(hours=rng.uniform(1, 72)), member_id)
            for member_id in everyone
            if rng.random() < 0.9
        ]
        given = [(at, member_id) for at, member_id in given if at < UNTIL]
        story.evaluations += [
            (
                at,
                member_id,
                number,
                rng.choices((1, 2, 3, 4, 5), (3, 5, 12, 40, 40))[0],
                _answer(rng) if member_id in learners else None,
                _answer(rng) if member_id in teachers else None,
                member_id in learners,
                member_id in teachers,
                number < total,
                rng.choice((0.5, 1.0, 1.0, 1.5, 2.0)),
            )
            for at, member_id in given
        ]
        when = held + timedelta(days=7)
        if number == total:
            if len(given) == len(everyone):
                _move(story, S.EVALUATED, max(at for at, _ in given))
            else:
                _move(story, S.CLOSED, held + timedelta(days=8))


def seed_history(
    rng: random.Random,
    people: Sequence[Person],
    start: datetime,
    n_evaluations: int,
    sinks: Sequence[Sink],
) -> dict[str, int]:
    """Exchanges arriving as a Poisson process over [start, UNTIL), at the rate a pilot run
    says gives `n_evaluations` evaluations (a little more, never fewer). Ids follow time, as
    in production: events and evaluations wait in heaps until no later exchange can come
    before them."""
    span = (UNTIL - start).total_seconds()
    pilot = random.Random(rng.random())
    trials = [
        live_exchange(pilot, people, start + timedelta(seconds=span * pilot.random()))
        for _ in range(PILOT)
    ]
    per_exchange = sum(len(t.evaluations) for t in trials) / PILOT
    rate = n_evaluations * MARGIN / per_exchange / span
    writer = Writer(sinks)
    created = start
    while True:
        created += timedelta(seconds=rng.expovariate(rate))
        if created >= UNTIL:
            break
        writer.add(live_exchange(rng, people, created))
    writer.release(UNTIL)
    writer.flush()
    if writer.totals["evaluation"] < n_evaluations:
        raise RuntimeError(f"only {writer.totals['evaluation']:,} evaluations generated")
    return writer.totals


class Writer:
    """Gives ids in time order and writes rows in chunks, parents before children."""

    def __init__(self, sinks: Sequence[Sink]) -> None:
        self.sinks = sinks
        self.rows: dict[str, list[Row]] = {table: [] for table in HISTORY_TABLES}
        self.totals = dict.fromkeys(HISTORY_TABLES, 0)
        self.waiting: list[tuple[datetime, int, str, Row]] = []
        self.sequence = 0

    def add(self, story: Story) -> None:
        kind, state, created, held_at, closed_at, sessions = story.exchange
        self.release(created)
        exchange_id = self._next("exchange")
        self.rows["exchange"].append(
            (
                exchange_id,
                kind.value,
                state.value,
                created,
                held_at,
                closed_at,
                0,
                sessions,
                len({person for lesson in story.lessons for person in lesson[:2]}),
            )
        )
        for lesson in story.lessons:
            self.rows["lesson"].append((self._next("lesson"), exchange_id, *lesson))
        for at, from_state, to_state in story.events:
            was = from_state and from_state.value
            self._wait(at, "exchange_event", (exchange_id, was, to_state.value, at))
        for at, member_id, *answers in story.evaluations:
            self._wait(at, "evaluation", (exchange_id, member_id, *answers, at))

    def release(self, until: datetime) -> None:
        """Write out what happened before `until`: nothing generated later can precede it."""
        while self.waiting and self.waiting[0][0] < until:
            _, _, table, row = heapq.heappop(self.waiting)
            self.rows[table].append((self._next(table), *row))
        if len(self.rows["evaluation"]) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        for table in HISTORY_TABLES:
            for sink in self.sinks:
                sink.write(table, self.rows[table])
            self.rows[table].clear()

    def _wait(self, at: datetime, table: str, row: Row) -> None:
        self.sequence += 1
        heapq.heappush(self.waiting, (at, self.sequence, table, row))

    def _next(self, table: str) -> int:
        self.totals[table] += 1
        return self.totals[table]


def _answer(rng: random.Random) -> str:
    return rng.choices((GoalMet.YES, GoalMet.PARTLY, GoalMet.NO), (55, 35, 10))[0].value


class TimedSession(Session):
    """A session that fetches every result before handing it back, and times each
    statement with its fetch (SQLite computes much of an aggregate while rows are read)."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self.timings: list[tuple[float, str]] = []

    def exec(self, statement: Any, **options: Any) -> Any:
        started = time.perf_counter()
        frozen = super().exec(statement, **options).freeze()
        summary = " ".join(str(statement).split())[:100]
        self.timings.append((time.perf_counter() - started, summary))
        return frozen()


def time_digest(engine: Engine, runs: int) -> tuple[list[float], list[tuple[float, str]], Digest]:
    """`runs` timed digests after an untimed one (connections, caches)."""
    walls: list[float] = []
    for run in range(runs + 1):
        with TimedSession(engine) as session:
            started = time.perf_counter()
            digest = compute_digest(session, period=PERIOD)
            wall = time.perf_counter() - started
        if run:
            walls.append(wall)
    return walls, session.timings, digest


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--evaluations", type=int, default=1_000_000)
    parser.add_argument(
        "--weeks", type=int, nargs="+", default=[104, 12], help="history spans, one run each"
    )
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument(
        "--postgres", default="auto", help="auto (throwaway server), none, or a server URL"
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument(
        "--keep-sqlite",
        type=Path,
        help="keep each SQLite history as PATH.<weeks>w.db, to study query plans",
    )
    args = parser.parse_args(argv)
    key_of("warm up")  # the matcher's vocabulary: loaded once by a running bot

    with ExitStack() as stack:
        server = args.postgres
        if server == "auto":
            server = stack.enter_context(postgres_server()) if find_pg_bin() else "none"
        scenarios = [
            run_scenario(args, weeks, None if server == "none" else server) for weeks in args.weeks
        ]
    report = {
        "machine": {**machine(), "sqlite": sqlite3.sqlite_version},
        "seed": args.seed,
        "members": args.members,
        "budget_seconds": BUDGET_SECONDS,
        "scenarios": scenarios,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(_table(report))
    print(f"\nwritten to {args.output}")
    return 0


def run_scenario(args: argparse.Namespace, weeks: int, server: str | None) -> dict[str, Any]:
    """Load one history into each backend and time the digest on it."""
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        kept = args.keep_sqlite and args.keep_sqlite.with_suffix(f".{weeks}w.db")
        database = kept or tmp / "digest.db"
        database.unlink(missing_ok=True)
        urls = {"sqlite": f"sqlite:///{database}"}
        if server is not None:
            urls["postgresql"] = stack.enter_context(scratch_postgres(server, "rex_digest_bench"))
        engines = {name: make_engine(url) for name, url in urls.items()}
        for engine in engines.values():
            migrate(engine)
        sinks: list[Sink] = [SqliteSink(database)]
        if server is not None:
            sinks.append(PostgresSink(urls["postgresql"]))
        started = time.perf_counter()
        rng = random.Random(args.seed)
        start = UNTIL - timedelta(weeks=weeks)
        people = seed_members(rng, args.members, start, sinks)
        totals = seed_history(rng, people, start, args.evaluations, sinks)
        for sink in sinks:
            sink.finish()
        load = time.perf_counter() - started
        print(f"{weeks} weeks: loaded {totals} in {load:.0f} s", file=sys.stderr)
        backends = {}
        for name, engine in engines.items():
            walls, statements, digest = time_digest(engine, args.runs)
            engine.dispose()
            backends[name] = _backend_report(walls, statements, digest)
            print(f"  {name}: median {backends[name]['median_seconds']} s", file=sys.stderr)
    return {
        "history_weeks": weeks,
        "rows": totals,
        "load_seconds_all_backends": round(load, 1),
        "backends": backends,
    }


def _backend_report(
    walls: list[float], statements: list[tuple[float, str]], digest: Digest
) -> dict[str, Any]:
    current = digest.current
    return {
        "runs": len(walls),
        "min_seconds": round(min(walls), 3),
        "median_seconds": round(statistics.median(walls), 3),
        "max_seconds": round(max(walls), 3),
        "statements_last_run": [
            {"seconds": round(seconds, 3), "sql": sql} for seconds, sql in statements
        ],
        "figures": {
            "evaluations_in_weekly_window": sum(w.evaluations for w in digest.weekly),
            "evaluations_in_period": current.evaluations,
            "sessions_in_period": current.sessions,
            "proposed_in_period": current.proposed,
            "learning_hours_in_period": round(current.hours, 1),
            "satisfaction_rate": current.satisfaction_rate,
            "response_rate": current.response_rate,
            "skills_with_quality": len(digest.skill_quality),
            "orphan_requests": digest.market.orphan_total,
            "idle_offers": digest.market.idle_total,
        },
    }


def _table(report: dict[str, Any]) -> str:
    lines = [
        "| history | backend | evaluations (all) | in the 12-week window | in the period "
        "| min s | median s | max s | under 2 s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for scenario in report["scenarios"]:
        for name, b in scenario["backends"].items():
            figures = b["figures"]
            lines.append(
                f"| {scenario['history_weeks']} weeks | {name} "
                f"| {scenario['rows']['evaluation']:,} "
                f"| {figures['evaluations_in_weekly_window']:,} "
                f"| {figures['evaluations_in_period']:,} "
                f"| {b['min_seconds']:.3f} | {b['median_seconds']:.3f} | {b['max_seconds']:.3f} "
                f"| {'yes' if b['max_seconds'] < report['budget_seconds'] else 'no'} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
