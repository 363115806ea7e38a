"""Real `rex` processes for tests: started with an environment of their own (nothing from the
developer's SLACK_/REX_ variables), stopped with SIGTERM, killed with SIGKILL."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from bot.offline.fakeslack import FakeSlack
from storage.models import DueWork, Exchange, Lesson, Member, WorkKind, utcnow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def clean_env(**extra: str) -> dict[str, str]:
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


def seed_due_work(engine: Engine, fake: FakeSlack, count: int, kind: WorkKind) -> list[str]:
    """`count` pair exchanges with an intro (or each participant's follow-up) due now."""
    now = utcnow()
    people: list[str] = []
    with Session(engine) as session:
        for i in range(count):
            a, b = f"UT{i:05d}", f"UL{i:05d}"
            for user in (a, b):
                fake.add_user(user, user.lower())
            teacher, learner = Member(slack_id=a), Member(slack_id=b)
            exchange = Exchange(created_at=now)
            session.add_all([teacher, learner, exchange])
            session.flush()
            assert teacher.id and learner.id and exchange.id
            session.add(
                Lesson(
                    exchange_id=exchange.id,
                    teacher_id=teacher.id,
                    learner_id=learner.id,
                    teach_label="Go",
                    learn_label="go",
                )
            )
            if kind == WorkKind.INTRO:
                session.add(DueWork(kind=kind, exchange_id=exchange.id, due_at=now))
            else:
                session.add(
                    DueWork(kind=kind, exchange_id=exchange.id, member_id=teacher.id, due_at=now)
                )
            people += [a, b]
        session.commit()
    return people
