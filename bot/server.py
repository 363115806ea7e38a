"""HTTP mode: Bolt's endpoint and a health check behind waitress, a production WSGI server."""

import contextlib
import threading
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress import wasyncore
from waitress.server import BaseWSGIServer, create_server

from bot.runtime import Rex
from storage.db import ping

EVENTS_PATH = "/slack/events"
StartResponse = Callable[..., Any]
Wsgi = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def wsgi_app(app: App, rex: Rex) -> Wsgi:
    """`POST /slack/events` for Slack, `GET /healthz` (200 only when the database answers)."""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == EVENTS_PATH:
            return slack(environ, start_response)
        if path == "/healthz":
            healthy = ping(rex.engine)
            status = "200 OK" if healthy else "503 Service Unavailable"
            start_response(status, [("Content-Type", "text/plain")])
            return [b"ok" if healthy else b"database unavailable"]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    return application


class HttpServer:
    """Waitress on a port (0 picks a free one), in the foreground or a background thread."""

    def __init__(self, app: App, rex: Rex, *, host: str = "0.0.0.0", port: int = 3000) -> None:
        self._map: dict[int, Any] = {}
        server = create_server(
            wsgi_app(app, rex), map=self._map, host=host, port=port, threads=8, ident="rex"
        )
        assert isinstance(server, BaseWSGIServer)
        self._server = server
        host, port = server.effective_host, server.effective_port  # type: ignore[attr-defined]
        self.url = f"http://{host}:{port}"
        self._thread: threading.Thread | None = None

    def serve_forever(self) -> None:
        self._server.run()

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
