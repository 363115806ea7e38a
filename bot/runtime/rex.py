"""What a running Rex holds: settings, database, Slack client, clock. Built once."""

import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import HttpRequest, HttpResponse, RetryState
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from bot.i18n.l10n import from_locale, language_of_member
from bot.matching import use_extra_vocabulary, warm_up
from bot.matching.rounds.model import RoundConfig
from bot.matching.suggest import SkillSuggester
from bot.runtime import metrics
from bot.runtime.pacing import Pacer, interruptible_sleep, scaled_pacer
from bot.settings import Settings, SettingsError
from storage import repo
from storage.db import make_engine, ping, session_factory
from storage.models import utcnow

log = logging.getLogger("rex")


class PacedRateLimitHandler(RateLimitErrorRetryHandler):
    """Honours a 429's Retry-After for this call, and tells the pacer, so every other
    thread holds off that method for as long too."""

    def __init__(self, pacer: Pacer, max_retry_count: int = 5) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self._pacer = pacer

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if response is not None:
            headers = {k.lower(): v for k, v in response.headers.items()}
            retry_after = float((headers.get("retry-after") or ["1"])[0])
            method = request.url.rstrip("/").rsplit("/", 1)[-1]
            self._pacer.penalise(method, retry_after)
            metrics.RATE_LIMITED.labels(method=method).inc()
            log.warning("slack.rate_limited method=%s retry_after=%s", method, retry_after)
        super().prepare_for_next_attempt(
            state=state, request=request, response=response, error=error
        )


def slack_client(settings: Settings, pacer: Pacer | None = None) -> WebClient:
    """A Web API client that honours 429 Retry-After and retries 5xx and network errors."""
    return WebClient(
        token=settings.bot_token(),
        base_url=settings.slack_api_url,
        timeout=15,
        retry_handlers=[
            PacedRateLimitHandler(pacer or Pacer()),
            ServerErrorRetryHandler(max_retry_count=2),
            ConnectionErrorRetryHandler(max_retry_count=2),
        ],
    )


# Errors that say the bot token itself no longer works (revoked, app uninstalled, a wrong
# token): nothing can be sent until it works again. `account_inactive` is ambiguous (a
# deactivated member, or the bot's own account): auth.test tells which.
TOKEN_ERRORS = frozenset(
    {"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"}
)
TOKEN_PROBE_SECONDS = 10.0


def new_worker_id() -> str:
    """This process's name in claims: host and pid, plus a random part, because a restarted
    container has the same host name and pid (1) as the one that died."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


class SlackHealth:
    """Whether Slack takes the bot token. While it does not (revoked, app uninstalled),
    nothing is sent and no scheduled job runs; `usable` asks auth.test again now and then,
    so sending resumes by itself when the token works again."""

    def __init__(self, probe: Callable[[], str | None]) -> None:
        self._probe = probe
        self._lock = threading.Lock()
        self.reason: str | None = None
        self.probe_seconds = TOKEN_PROBE_SECONDS
        self._probed_at = -float("inf")

    @property
    def ok(self) -> bool:
        return self.reason is None

    def broken(self, reason: str) -> None:
        with self._lock:
            first, self.reason = self.reason is None, reason
            self._probed_at = time.monotonic()
        if first:
            log.error(
                "slack.token_unusable reason=%s: sending stops until Slack takes the token again",
                reason,
            )

    def restored(self) -> None:
        with self._lock:
            was, self.reason = self.reason, None
        if was is not None:
            log.warning("slack.token_works_again after=%s: sending resumes", was)

    def verify(self) -> bool:
        """Ask Slack now whether the token works (after a token error, say)."""
        error = self._probe()
        if error is None:
            self.restored()
        elif error in TOKEN_ERRORS:
            self.broken(error)
        return self.ok

    def usable(self) -> bool:
        """True when the token works; while it does not, auth.test is asked again at most
        every `probe_seconds`."""
        if self.ok:
            return True
        with self._lock:
            due = time.monotonic() - self._probed_at >= self.probe_seconds
            if due:
                self._probed_at = time.monotonic()
        return self.verify() if due else False


@dataclass
class Rex:
    settings: Settings
    engine: Engine
    client: WebClient
    clock: Callable[[], datetime] = utcnow
    worker_id: str = field(default_factory=new_worker_id)
    wake_sweeper: Callable[[], None] | None = None
    pacer: Pacer = field(default_factory=Pacer)
    # set on SIGTERM: no new work is taken, what is held is finished or handed back
    stopping: threading.Event = field(default_factory=threading.Event)
    scheduler_alive: Callable[[], bool] | None = None

    def __post_init__(self) -> None:
        self.slack = SlackHealth(self._auth_error)
        self.sessions: sessionmaker[Session] = session_factory(self.engine)
        self._suggester: SkillSuggester | None = None
        self._suggester_lock = threading.Lock()
        self._locales: dict[str, str] = {}
        self._workspace_admins: dict[str, bool] = {}

    def suggester(self) -> SkillSuggester:
        """The type-ahead index of the network's skill labels, built on first use; new labels
        are added as people type them (`remember_labels`)."""
        with self._suggester_lock:
            if self._suggester is None:
                with self.sessions() as session:
                    self._suggester = SkillSuggester.from_labels(repo.all_skill_labels(session))
            return self._suggester

    def language_for(self, session: Session, slack_id: str | None) -> str:
        """The language to answer someone in: their member record's, else their Slack
        locale's (asked once per person and remembered), else the network's."""
        if slack_id is None:
            return self.settings.rex_language
        member = repo.get_member(session, slack_id=slack_id)
        if member is not None:
            return language_of_member(member)
        if slack_id not in self._locales:
            try:
                user = self.client.users_info(user=slack_id, include_locale=True)["user"]
                self._locales[slack_id] = str(user.get("locale") or "")
            except SlackApiError:
                self._locales[slack_id] = ""
        return (
            from_locale(self._locales[slack_id])
            if self._locales[slack_id]
            else (self.settings.rex_language)
        )

    def health(self) -> list[str]:
        """What is wrong right now, for /healthz: nothing when all is well."""
        problems = []
        if not ping(self.engine):
            problems.append("database unavailable")
        if self.scheduler_alive is not None and not self.scheduler_alive():
            problems.append("scheduler stopped")
        if not self.slack.ok:
            problems.append(f"slack token refused ({self.slack.reason})")
        return problems

    def _auth_error(self) -> str | None:
        """auth.test's error for the bot token, None when it works (or Slack is unreachable:
        that says nothing about the token)."""
        try:
            self.client.auth_test()
        except SlackApiError as exc:
            return str(exc.response.get("error", "unknown"))
        except OSError as exc:
            log.warning("slack.unreachable error=%s", type(exc).__name__)
        return None

    def remember_locale(self, slack_id: str, locale: object) -> None:
        """A locale Slack told (a new account): no users.info call for it later."""
        if isinstance(locale, str) and locale:
            self._locales[slack_id] = locale

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

    @property
    def delivery_lease(self) -> timedelta:
        """How long a claimed row may stay unfinished before another sweep presumes its
        process dead and takes it over."""
        return timedelta(seconds=self.settings.rex_delivery_lease_seconds)

    def is_admin(self, slack_id: str) -> bool:
        """Rex admins: REX_ADMINS, plus the workspace's admins and owners when
        REX_WORKSPACE_ADMINS_ARE_ADMINS is on (asked of Slack once per person)."""
        if slack_id in self.settings.rex_admins:
            return True
        if not self.settings.rex_workspace_admins_are_admins:
            return False
        if slack_id not in self._workspace_admins:
            try:
                user = self.client.users_info(user=slack_id)["user"]
                self._workspace_admins[slack_id] = bool(
                    user.get("is_admin") or user.get("is_owner")
                )
            except SlackApiError:
                return False
        return self._workspace_admins[slack_id]


def build_runtime(
    settings: Settings,
    client: WebClient | None = None,
    *,
    engine: Engine | None = None,
    clock: Callable[[], datetime] = utcnow,
    pacer: Pacer | None = None,
) -> Rex:
    """Rex's runtime. On PostgreSQL (replicas) the pacing is shared through the database;
    on SQLite (one process) it stays in memory."""
    engine = engine or make_engine(settings.database_url)
    stopping = threading.Event()
    if pacer is None:
        shared = session_factory(engine) if engine.dialect.name == "postgresql" else None
        pacer = scaled_pacer(
            settings.rex_pacing_factor, shared, sleep=interruptible_sleep(stopping)
        )
    if settings.rex_vocabulary_dir is not None:
        try:
            use_extra_vocabulary(settings.rex_vocabulary_dir)
        except (OSError, ValueError) as exc:
            raise SettingsError(f"REX_VOCABULARY_DIR: {exc}") from exc
    warm_up()
    return Rex(
        settings=settings,
        engine=engine,
        client=client or slack_client(settings, pacer),
        clock=clock,
        pacer=pacer,
        stopping=stopping,
    )
