"""`run_demo`: start the sandbox, play every scene, print the transcript and a summary line.

Every run plays the same story (one seeded `random.Random`); only the dates follow the
calendar, and the story starts on this week's Monday morning.
"""

from __future__ import annotations

import logging
import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from bot.cli.demo.scenes import Demo, monday_morning
from bot.cli.demo.script import DIGEST_CHANNEL, MANAGER, MANAGER_ID, community
from bot.cli.demo.transcript import counted
from bot.offline.sandbox import ManualClock, Sandbox

SEED = 7
MIN_PEOPLE = 4
MAX_PEOPLE = 200


@contextmanager
def quiet_logs() -> Iterator[None]:
    """Rex logs each delivery at INFO; during the demo stderr is for its progress lines."""
    logger = logging.getLogger("rex")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def run_demo(people: int = 20, keep: Path | None = None) -> int:
    """Play the loop with `people` simulated members and print the transcript on stdout;
    `keep` names a SQLite file to leave behind (with a `rex match` input beside it)."""
    if not MIN_PEOPLE <= people <= MAX_PEOPLE:
        print(f"rex demo: --people must be between {MIN_PEOPLE} and {MAX_PEOPLE}", file=sys.stderr)
        return 2
    if keep is not None and keep.exists():
        print(f"rex demo: {keep} already exists: remove it or --keep another file", file=sys.stderr)
        return 2
    database_url = f"sqlite:///{keep.resolve()}" if keep is not None else None
    started = time.perf_counter()
    rng = random.Random(SEED)
    clock = ManualClock(monday_morning(datetime.now(UTC)))
    print("starting the fake Slack and Rex in HTTP mode…", file=sys.stderr)
    with (
        quiet_logs(),
        Sandbox(
            clock=clock,
            admins=(MANAGER_ID,),
            digest_channel=DIGEST_CHANNEL,
            database_url=database_url,
        ) as sandbox,
    ):
        demo = Demo(sandbox, community(people, rng), rng)
        demo.setup()
        demo.out.say("Rex demo: an offline sandbox")
        demo.out.say(
            "A fake Slack workspace, the real Rex bot answering signed requests over HTTP, and a "
            "throwaway SQLite database. Nothing leaves this machine; the clock is simulated. "
            f"{MANAGER.name} is the community manager, a Rex admin."
        )
        demo.joining()
        demo.matching_round()
        demo.the_week()
        demo.digest()
        demo.what_each_saw()
        if keep is not None:
            demo.keep(keep)
        print(demo.out.text(), end="")  # before shutdown, so a failing teardown hides nothing
        stats = demo.stats
    elapsed = time.perf_counter() - started
    print(
        f"\nDemo finished in {elapsed:.1f} s: {stats.joined} people joined, "
        f"{counted(stats.intros, 'introduction')}, {counted(stats.evaluations, 'evaluation')}, "
        f"{'digest posted' if stats.digest_posted else 'no digest'}."
    )
    return 0
