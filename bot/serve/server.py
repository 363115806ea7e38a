"""HTTP: Bolt's endpoint (HTTP mode) and the health check behind waitress, a production WSGI
server. In Socket Mode the same server answers the health check only."""

import contextlib
import threading
from collections.abc import Callable, Iterable
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress import wasyncore
from waitress.server import BaseWSGIServer, create_server

from bot.runtime import metrics
from bot.runtime.rex import Rex

EVENTS_PATH = "/slack/events"
StartResponse = Callable[..., Any]
Wsgi = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def wsgi_app(app: App, rex: Rex, *, slack: bool = True) -> Wsgi:
    """`POST /slack/events` for Slack (unless `slack` is off: Socket Mode), `GET /healthz`:
    200 "ok", or 503 and what is wrong (the database, the scheduler, the Slack token), and
    `GET /metrics` for Prometheus."""
    events = SlackRequestHandler(app, path=EVENTS_PATH) if slack else None

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == EVENTS_PATH and events is not None:
            return events(environ, start_response)
        if path == "/metrics":
            start_response("200 OK", [("Content-Type", CONTENT_TYPE_LATEST)])
            return [metrics.render(rex)]
        if path == "/healthz":
            problems = rex.health()
            status = "503 Service Unavailable" if problems else "200 OK"
            start_response(status, [("Content-Type", "text/plain")])
            return ["; ".join(problems).encode() if problems else b"ok"]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    return application


class HttpServer:
    """Waitress on a port (0 picks a free one), in a background thread."""

    def __init__(
        self, app: App, rex: Rex, *, host: str = "0.0.0.0", port: int = 3000, slack: bool = True
    ) -> None:
        self._map: dict[int, Any] = {}
        server = create_server(
            wsgi_app(app, rex, slack=slack),
            map=self._map,
            host=host,
            port=port,
            threads=16,  # each holds a request only until its listener acks
            ident="rex",
        )
        assert isinstance(server, BaseWSGIServer)
        self._server = server
        host, port = server.effective_host, server.effective_port  # type: ignore[attr-defined]
        self.url = f"http://{host}:{port}"
        self._thread: threading.Thread | None = None

    def start(self) -> "HttpServer":
        self._thread = threading.Thread(target=self._run, name="rex-http", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        self._server.run()

    def _close_all(self) -> None:
        self._server.task_dispatcher.shutdown()
        wasyncore.close_all(self._map)

    def stop(self) -> None:
        """Close from inside waitress's loop (woken by its trigger), so it ends at once."""
        if self._thread is None or not self._thread.is_alive():
            self._close_all()
            return
        # OSError: the loop woke on its own, ran the close and shut the trigger already
        with contextlib.suppress(OSError):
            self._server.trigger.pull_trigger(self._close_all)  # type: ignore[attr-defined]
        self._thread.join(timeout=5)
