"""The offline sandbox: the real Rex app over HTTP against the local fake Slack.

Used by `rex demo` and by the end-to-end tests, so both exercise exactly the same wiring.
"""

import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Engine

from bot.offline.fakeslack import FakeSlack, Response, SlackDriver
from bot.offline.fakeslack.blocks import message_paragraphs
from bot.runtime.rex import Rex, build_runtime
from bot.serve.app import LISTENER_THREADS, create_app
from bot.serve.server import HttpServer
from bot.settings import load_settings
from handlers.ids import ActionId, BlockId
from storage.db import migrate
from storage.models import utcnow

SIGNING_SECRET = "sandbox-signing-secret"
SANDBOX_PACING = 10_000.0


class ManualClock:
    """A clock the sandbox moves by hand, so follow-ups due in a week come in a second."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or utcnow()
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, **delta: float) -> datetime:
        with self._lock:
            self._now += timedelta(**delta)
            return self._now


class TrackingExecutor(ThreadPoolExecutor):
    """Bolt's listener executor, counting what runs after ack() so callers can wait for it."""

    def __init__(self) -> None:
        super().__init__(max_workers=LISTENER_THREADS, thread_name_prefix="rex-listener")
        self._pending = 0
        self._idle = threading.Condition()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._idle:
            self._pending += 1
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._done)
        return future

    def _done(self, _: Future[Any]) -> None:
        with self._idle:
            self._pending -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout: float = 15.0) -> None:
        with self._idle:
            if not self._idle.wait_for(lambda: self._pending == 0, timeout=timeout):
                raise TimeoutError("Rex's listeners did not finish in time")


class Sandbox:
    """Fake Slack + real Rex (HTTP mode, own database) + a driver that signs requests."""

    def __init__(
        self,
        *,
        database_url: str | None = None,
        engine: Engine | None = None,
        clock: ManualClock | None = None,
        admins: tuple[str, ...] = ("UADMIN",),
        digest_channel: str = "CDIGEST",
        **settings: Any,
    ) -> None:
        self.fake = FakeSlack()
        self.clock = clock or ManualClock()
        self.executor = TrackingExecutor()
        self._tmp = tempfile.TemporaryDirectory(prefix="rex-sandbox-")
        self._database_url = database_url or f"sqlite:///{self._tmp.name}/rex.db"
        self._engine = engine
        self._admins = admins
        self._digest_channel = digest_channel
        self._settings = settings
        self.rex: Rex
        self.driver: SlackDriver
        self._server: HttpServer | None = None

    def __enter__(self) -> Self:
        self.fake.start()
        # the managers invited Rex to their channel (/invite @Rex), as the README asks
        self.fake.add_channel(self._digest_channel, "rex-digest", members=[self.fake.bot_user_id])
        settings = load_settings(
            _env_file=None,
            slack_bot_token=self.fake.bot_token,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=self.fake.api_url,
            database_url=self._database_url,
            rex_admins=",".join(self._admins),
            rex_digest_channel=self._digest_channel,
            # the fake answers in microseconds: no need to pace at Slack's speed
            rex_pacing_factor=SANDBOX_PACING,
            **self._settings,
        )
        self.rex = build_runtime(settings, engine=self._engine, clock=self.clock)
        migrate(self.rex.engine)
        app = create_app(settings, rex=self.rex, listener_executor=self.executor)
        self._server = HttpServer(app, self.rex, host="127.0.0.1", port=0).start()
        self.driver = SlackDriver(f"{self._server.url}/slack/events", SIGNING_SECRET, self.fake)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._server is not None:
            self._server.stop()
        self.executor.shutdown(wait=True)
        self.fake.stop()
        if self._engine is None:
            self.rex.engine.dispose()
        self._tmp.cleanup()

    @property
    def url(self) -> str:
        assert self._server is not None
        return self._server.url

    def settle(self) -> None:
        """Wait until every listener started by the requests so far has finished."""
        self.executor.wait_idle()

    # --- what a person does, as Slack would send it --------------------------------------

    def add_person(
        self, user_id: str, name: str, *, tz: str = "Europe/Paris", locale: str = "en-US"
    ) -> None:
        self.fake.add_user(user_id, name.split()[0].lower(), real_name=name, tz=tz, locale=locale)

    def command(self, user_id: str, text: str) -> list[str]:
        """Type `/rex <text>`; returns the texts Rex answered through the response_url."""
        response = self.driver.command(user_id, text)
        self.settle()
        return [
            "\n".join(message_paragraphs(post.body, buttons=False))
            for post in self.fake.hook_posts(response.response_url)
        ]

    def join(
        self, user_id: str, teach: list[str], learn: list[str], *, agree: bool = True
    ) -> Response:
        """Open the join modal and submit it; returns Rex's answer to the submission."""
        self.driver.command(user_id, "join")
        self.settle()
        response = self.driver.submit_view(
            user_id,
            {
                BlockId.TEACH_SKILLS: {ActionId.SKILL_SEARCH: list(teach)},
                BlockId.LEARN_SKILLS: {ActionId.SKILL_SEARCH: list(learn)},
                BlockId.JOIN_AGREE: {ActionId.INPUT: ["agree"] if agree else []},
            },
        )
        self.settle()
        return response

    def click(self, user_id: str, action_id: str, channel_id: str, message_ts: str) -> Response:
        response = self.driver.click(
            user_id, action_id, channel_id=channel_id, message_ts=message_ts
        )
        self.settle()
        return response

    def submit(self, user_id: str, values: dict[str, Any]) -> Response:
        """Submit the person's open modal with `{block_id: value}`."""
        view = self.fake.last_view(user_id) or {}
        action_of = {
            b.get("block_id"): b["element"].get("action_id", ActionId.INPUT)
            for b in view.get("blocks", [])
            if b.get("type") == "input"
        }
        response = self.driver.submit_view(
            user_id,
            {block: {action_of.get(block, ActionId.INPUT): v} for block, v in values.items()},
        )
        self.settle()
        return response
