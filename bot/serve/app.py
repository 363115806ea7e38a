"""The Bolt app factory: middleware hands each listener a database session and the runtime."""

import logging
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.listener.listener_completion_handler import ListenerCompletionHandler
from slack_sdk import WebClient

import handlers
from bot.runtime.rex import Rex, build_runtime
from bot.settings import Settings
from handlers.workspace import WORKSPACE_EVENTS
from storage import repo

log = logging.getLogger("rex.app")
LISTENER_THREADS = 32


class CloseSession(ListenerCompletionHandler):
    """Bolt middleware cannot wrap a listener that runs after ack(), so the session it
    opened is rolled back (if left uncommitted) and closed when the listener completes."""

    def handle(self, request: BoltRequest, response: BoltResponse | None) -> None:
        session = request.context.get("session")
        if session is not None:
            session.rollback()
            session.close()


def create_app(
    settings: Settings,
    client: WebClient | None = None,
    *,
    rex: Rex | None = None,
    listener_executor: Executor | None = None,
) -> App:
    """Build Rex's Bolt app; pass `rex` to share a runtime with the server and scheduler,
    and `listener_executor` to observe listeners that run after ack() (the sandbox does)."""
    rex = rex or build_runtime(settings, client)
    app = App(
        client=rex.client,
        # a listener acks as its first move, but only once it has a thread: Bolt's default
        # five are all taken by listeners waiting on Slack when a few dozen people act at once
        listener_executor=listener_executor
        or ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="rex-listener"),
        signing_secret=settings.signing_secret() if not settings.socket_mode else None,
        token_verification_enabled=False,
        raise_error_for_unhandled_request=False,
    )
    app.listener_runner.listener_completion_handler = CloseSession()

    @app.middleware
    def open_session(context: BoltContext, body: dict[str, Any], next: Callable[[], None]) -> Any:
        context["rex"] = rex
        session = rex.sessions()
        context["session"] = session
        user = _user_of(body)
        # worked out when a listener first needs it: after its ack, not before
        context["lang"] = lambda: rex.language_for(session, user)
        event_id = body.get("event_id")
        if isinstance(event_id, str):
            first = repo.first_sighting(session, event_id=event_id, now=rex.clock())
            # the connection goes back to the pool while the listener waits for a thread
            session.commit()
            if not first:
                log.info("event.duplicate event_id=%s", event_id)
                session.close()
                return BoltResponse(status=200, body="")
        return next()

    @app.error
    def on_error(error: Exception, body: dict[str, Any]) -> None:
        log.exception(
            "listener.error type=%s user=%s", body.get("type"), _user_of(body), exc_info=error
        )

    handlers.register(app)
    return app


def _user_of(body: dict[str, Any]) -> str | None:
    """Who is talking to Rex (whose language to answer in): nobody, for an event about
    the workspace (an account changed, the app uninstalled)."""
    event = body.get("event")
    if isinstance(event, dict) and event.get("type") in WORKSPACE_EVENTS:
        return None
    user = (
        body.get("user_id")
        or body.get("user")
        or (event.get("user") if isinstance(event, dict) else None)
    )
    if isinstance(user, dict):
        user = user.get("id")
    return user if isinstance(user, str) else None
