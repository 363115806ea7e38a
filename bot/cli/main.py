"""The `rex` command: run, demo, migrate, match, export."""

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.settings import SettingsError, load_settings
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
        from bot.serve.process import serve

        return serve(settings)
    except (SettingsError, SecondProcess) as exc:
        print(f"rex: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
