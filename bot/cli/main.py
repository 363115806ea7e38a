"""The `rex` command: run, demo, migrate, match, export."""

import argparse
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.settings import Settings, SettingsError, load_settings
from storage.db import SecondProcess


def configure_logging(level: int = logging.INFO, *, json: bool = False) -> None:
    """One line per event (one JSON object with `json`, REX_LOG_FORMAT=json); Slack
    libraries only speak up on warnings."""
    handler = logging.StreamHandler(sys.stderr)
    if json:
        from pythonjsonlogger.json import JsonFormatter

        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            )
        )
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])
    for noisy in ("slack_bolt", "slack_sdk", "waitress", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # "skipped: maximum number of running instances reached" is a busy sweep, not news
    logging.getLogger("apscheduler").setLevel(logging.ERROR)


GIL_SWITCH_SECONDS = 0.001
SHUTDOWN_SECONDS = 8.0  # of the 10 s a container platform gives between SIGTERM and SIGKILL


def run(settings: Settings) -> int:
    """Start Rex for real: Socket Mode with an app token, otherwise HTTP on PORT. SIGTERM
    (or Ctrl-C) stops taking work, finishes or hands back what it holds, and exits."""
    from bot.runtime.rex import build_runtime
    from bot.serve.app import create_app
    from bot.serve.jobs import build_scheduler
    from bot.serve.server import HttpServer
    from bot.serve.startup import check_app_token, check_channels, check_slack, open_database
    from storage.db import hold_single_process

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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="rex", description="Rex, the knowledge exchange bot")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="start the bot (needs Slack tokens; `rex demo` needs none)")
    demo = commands.add_parser("demo", help="play a simulated community against a fake Slack")
    demo.add_argument(
        "--people", type=int, default=20, help="community size, 4 to 200 (default 20)"
    )
    demo.add_argument(
        "--keep",
        type=Path,
        metavar="FILE",
        help="keep the SQLite database in FILE (new), to try rex export and rex match on it",
    )
    commands.add_parser("migrate", help="apply database migrations")
    commands.add_parser("match", help="run the matching engine on a JSON file", add_help=False)
    commands.add_parser("export", help="export learning records (CSV or xAPI)", add_help=False)
    args, rest = parser.parse_known_args(argv)
    if args.command == "match":
        from bot.cli.match import run_match

        return run_match(rest)
    if args.command == "export":
        from bot.cli.export import run_export

        return run_export(rest)
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    try:
        settings = load_settings()
        configure_logging(json=settings.rex_log_format == "json")
        if args.command == "migrate":
            from bot.serve.startup import open_database

            open_database(settings.database_url).dispose()
            print("database is up to date", file=sys.stderr)
            return 0
        if args.command == "demo":
            from bot.cli.demo.run import run_demo

            return run_demo(people=args.people, keep=args.keep)
        if args.command is None:
            parser.print_help(sys.stderr)
            return 2
        return run(settings)
    except (SettingsError, SecondProcess) as exc:
        print(f"rex: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
