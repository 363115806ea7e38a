"""What a running Rex holds: settings, database, Slack client, clock. Built once."""

import logging
import os
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from bot.rounds import RoundConfig
from bot.settings import Settings
from bot.suggest import SkillSuggester
from storage import repo
from storage.db import make_engine, session_factory
from storage.models import utcnow

log = logging.getLogger("rex")


def slack_client(settings: Settings) -> WebClient:
    """A Web API client that honours 429 Retry-After and retries 5xx and network errors."""
    return WebClient(
        token=settings.bot_token(),
        base_url=settings.slack_api_url,
        timeout=15,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=5),
            ServerErrorRetryHandler(max_retry_count=2),
            ConnectionErrorRetryHandler(max_retry_count=2),
        ],
    )


@dataclass
class Rex:
    settings: Settings
    engine: Engine
    client: WebClient
    clock: Callable[[], datetime] = utcnow
    worker_id: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    wake_sweeper: Callable[[], None] | None = None

    def __post_init__(self) -> None:
        self.sessions: sessionmaker[Session] = session_factory(self.engine)
        self._suggester: SkillSuggester | None = None
        self._suggester_lock = threading.Lock()

    def suggester(self) -> SkillSuggester:
        """The type-ahead index of the network's skill labels, built on first use; new labels
        are added as people type them (`remember_labels`)."""
        with self._suggester_lock:
            if self._suggester is None:
                with self.sessions() as session:
                    self._suggester = SkillSuggester.from_labels(repo.all_skill_labels(session))
            return self._suggester

    def remember_labels(self, labels: Iterable[str]) -> None:
        if self._suggester is not None:
            self._suggester.extend(labels)

    @property
    def round_config(self) -> RoundConfig:
        return RoundConfig(
            teacher_capacity=self.settings.rex_teacher_capacity,
            learner_capacity=self.settings.rex_learner_capacity,
            cooldown_days=self.settings.rex_cooldown_days,
        )

    def is_admin(self, slack_id: str) -> bool:
        return slack_id in self.settings.rex_admins


def build_runtime(
    settings: Settings,
    client: WebClient | None = None,
    *,
    engine: Engine | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> Rex:
    return Rex(
        settings=settings,
        engine=engine or make_engine(settings.database_url),
        client=client or slack_client(settings),
        clock=clock,
    )
