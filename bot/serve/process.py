"""The running process of `rex run`: checks first, then the app, the scheduler and the HTTP
server (or Socket Mode), until SIGTERM drains it."""

import logging
import os
import signal
import sys
import threading
from typing import Any

from bot.runtime.rex import build_runtime
from bot.serve.app import create_app
from bot.serve.jobs import build_scheduler
from bot.serve.server import HttpServer
from bot.serve.startup import check_app_token, check_channels, check_slack, open_database
from bot.settings import Settings, SettingsError
from storage.db import hold_single_process

GIL_SWITCH_SECONDS = 0.001
SHUTDOWN_SECONDS = 8.0  # of the 10 s a container platform gives between SIGTERM and SIGKILL


def serve(settings: Settings) -> int:
    """Start Rex for real: Socket Mode with an app token, otherwise HTTP on PORT. SIGTERM
    (or Ctrl-C) stops taking work, finishes or hands back what it holds, and exits."""
    settings.check()
    single = hold_single_process(settings.database_url)
    rex = build_runtime(settings, engine=open_database(settings.database_url))
    check_slack(rex)
    if settings.socket_mode:
        check_app_token(rex)
    check_channels(rex)
    app = create_app(settings, rex=rex)
    # the type-ahead index takes a second or two on a large network: build it before anyone types
    threading.Thread(target=rex.suggester, name="rex-suggest-index", daemon=True).start()
    try:
        server = HttpServer(app, rex, port=settings.port, slack=not settings.socket_mode)
    except OSError as exc:
        raise SettingsError(f"PORT: cannot listen on {settings.port} ({exc.strerror})") from exc
    # Acks are a few milliseconds of Python among dozens of threads building views and
    # calling Slack: with the GIL handed on every 1 ms instead of 5, they wait their turn far
    # less (benchmarks/load_bench.py: ack p95 under load about 5 times lower)
    sys.setswitchinterval(GIL_SWITCH_SECONDS)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    log = logging.getLogger("rex")
    socket_mode: Any = None
    if settings.socket_mode:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        socket_mode = SocketModeHandler(app, settings.app_token())
        socket_mode.connect()
        log.info("rex.start mode=socket worker=%s", rex.worker_id)
    scheduler = build_scheduler(rex)
    scheduler.start()
    server.start()
    if not settings.socket_mode:
        log.info("rex.start mode=http url=%s worker=%s", server.url, rex.worker_id)
    stop.wait()
    log.info("rex.stopping worker=%s", rex.worker_id)
    rex.stopping.set()
    if socket_mode is not None:
        socket_mode.close()
    server.stop()
    drained = threading.Thread(target=scheduler.shutdown, name="rex-drain")  # waits for jobs
    drained.start()
    drained.join(SHUTDOWN_SECONDS)
    if drained.is_alive():
        log.warning(
            "rex.stopped_unclean worker=%s: what it held is taken over after its lease",
            rex.worker_id,
        )
        logging.shutdown()
        os._exit(0)
    rex.engine.dispose()
    if single is not None:
        single.close()
    log.info("rex.stopped worker=%s", rex.worker_id)
    return 0
