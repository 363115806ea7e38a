"""Real `rex` processes for tests: started with an environment of their own (nothing from the
developer's SLACK_/REX_ variables), stopped with SIGTERM, killed with SIGKILL."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from bot.offline.fakeslack import FakeSlack
from storage.models import WorkKind
from tests.support.database import seed_due_work
from tests.support.http import free_port, get


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> None:
    """Poll until `condition` holds; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without the developer's SLACK_/REX_ settings, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "REX_"))}
    return {**env, **extra}


class RexProcess:
    """`rex run` (or another command) in its own process, against the fake Slack."""

    def __init__(
        self,
        fake: FakeSlack,
        database_url: str,
        cwd: Path,
        *,
        command: str = "run",
        log: Path | None = None,
        **settings: str,
    ) -> None:
        self.port = free_port()
        env = clean_env(
            SLACK_BOT_TOKEN=fake.bot_token,
            SLACK_SIGNING_SECRET="secret",
            SLACK_API_URL=fake.api_url,
            DATABASE_URL=database_url,
            PORT=str(self.port),
            REX_SWEEP_SECONDS="1",
            REX_PACING_FACTOR="1000",
            REX_ROUND_CRON="0 0 1 1 *",
            REX_DIGEST_CHANNEL="",
        )
        env.update(settings)
        self._log = log.open("w") if log is not None else None
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", command],
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self._log or subprocess.DEVNULL,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def healthy(self) -> bool:
        try:
            return get(f"{self.url}/healthz")[0] == 200
        except OSError:
            return False

    def wait_healthy(self, timeout: float = 30) -> "RexProcess":
        wait_for(lambda: self.healthy() or self.process.poll() is not None, timeout, "healthz")
        assert self.process.poll() is None, "rex exited instead of serving"
        return self

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def terminate(self, timeout: float = 10) -> float:
        """SIGTERM; returns how long the process took to exit."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=timeout)
        return time.monotonic() - started

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                self.terminate()
            except subprocess.TimeoutExpired:
                self.kill()
        if self._log is not None:
            self._log.close()


def seed_known_work(fake: FakeSlack, engine: Engine, count: int, kind: WorkKind) -> list[str]:
    """`seed_due_work`, each person it creates known to the fake Slack; their Slack ids."""
    people = seed_due_work(engine, count, kind)
    for user in people:
        fake.add_user(user, user.lower())
    return people
