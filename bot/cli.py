"""The `rex` command: run, demo, migrate, match."""

import argparse
import logging
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from bot.settings import Settings, SettingsError, load_settings


def configure_logging(level: int = logging.INFO) -> None:
    """One line per event; Slack libraries only speak up on warnings."""
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    for noisy in ("slack_bolt", "slack_sdk", "apscheduler", "waitress", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _has_any_token(settings: Settings) -> bool:
    return any((settings.slack_bot_token, settings.slack_app_token, settings.slack_signing_secret))


def run(settings: Settings) -> int:
    """Start Rex for real: Socket Mode with an app token, otherwise HTTP on PORT."""
    from bot.app import create_app
    from bot.jobs import build_scheduler
    from bot.runtime import build_runtime
    from bot.server import HttpServer
    from storage.db import migrate

    settings.check()
    rex = build_runtime(settings)
    migrate(rex.engine)
    app = create_app(settings, rex=rex)
    # the type-ahead index takes a second or two on a large network: build it before anyone types
    threading.Thread(target=rex.suggester, name="rex-suggest-index", daemon=True).start()
    scheduler = build_scheduler(rex)
    scheduler.start()
    log = logging.getLogger("rex")
    try:
        if settings.socket_mode:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            log.info("rex.start mode=socket")
            SocketModeHandler(app, settings.app_token()).start()  # type: ignore[no-untyped-call]
        else:
            server = HttpServer(app, rex, port=settings.port)
            log.info("rex.start mode=http url=%s", server.url)
            server.serve_forever()
    finally:
        scheduler.shutdown(wait=False)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="rex", description="Rex, the knowledge exchange bot")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="start the bot (the offline sandbox when no Slack tokens)")
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
        from bot.match_cli import run_match

        return run_match(rest)
    if args.command == "export":
        from bot.export_cli import run_export

        return run_export(rest)
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    configure_logging()
    try:
        settings = load_settings()
        if args.command == "migrate":
            from storage.db import make_engine, migrate

            migrate(make_engine(settings.database_url))
            print("database is up to date", file=sys.stderr)
            return 0
        if args.command == "demo" or (
            args.command in (None, "run") and not _has_any_token(settings)
        ):
            if args.command != "demo":
                print(
                    "no Slack tokens set: starting the offline sandbox (rex demo)", file=sys.stderr
                )
            from bot.demo import run_demo

            return run_demo(people=getattr(args, "people", 20), keep=getattr(args, "keep", None))
        return run(settings)
    except SettingsError as exc:
        print(f"rex: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
