"""`rex export`: the learning records of a period, as CSV or xAPI, for HR and an LRS.

`--since` and `--until` are days in the network's timezone (REX_TIMEZONE), both included:
`--until 2026-12-31` takes every session held on the 31st. The file goes to stdout unless
`--output` names one (a CSV file starts with a UTF-8 byte order mark, so Excel reads
accented names right). Bad arguments, and a database file that does not exist, fail with
exit code 2 and one line on stderr, creating nothing.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from bot.cli.tool import EXIT_BAD_INPUT, EXIT_FAILED, OneLineParser, Progress, say
from bot.records import EXCEL_BOM, learning_records, public_base, to_csv, xapi_json
from bot.settings import Settings, SettingsError, load_settings
from storage.db import is_current, make_engine

PROG = "rex export"
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


def run_export(argv: Sequence[str] | None = None) -> int:
    """Entry point of `rex export`; returns the process exit code."""
    parser = OneLineParser(prog=PROG, description="Export held sessions as training records.")
    parser.add_argument("--format", required=True, choices=("csv", "xapi"))
    parser.add_argument("--since", required=True, type=_day, help="first day, YYYY-MM-DD")
    parser.add_argument("--until", required=True, type=_day, help="last day (included)")
    parser.add_argument("--output", default="-", help="file to write (default: stdout)")
    parser.add_argument(
        "--workspace-url",
        help="the Slack workspace's URL, for xAPI accounts (default: asked of Slack with "
        "SLACK_BOT_TOKEN)",
    )
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, or a usage error already reported in one line
        return stop.code if isinstance(stop.code, int) else EXIT_BAD_INPUT
    if args.since > args.until:
        return _say(f"--since {args.since} is after --until {args.until}", EXIT_BAD_INPUT)
    try:
        settings = load_settings()
    except SettingsError as error:
        return _say(str(error), EXIT_BAD_INPUT)
    missing = _missing_database(settings.database_url)
    if missing is not None:
        return _say(f"no database at {missing}: nothing to export", EXIT_BAD_INPUT)
    workspace = args.workspace_url
    if args.format == "xapi" and workspace is None:
        try:
            workspace = _workspace_url(settings)
        except (SettingsError, SlackApiError, OSError) as error:
            reason = error.response["error"] if isinstance(error, SlackApiError) else error
            return _say(
                f"xAPI needs the workspace's URL: pass --workspace-url ({reason})", EXIT_BAD_INPUT
            )
    tz = settings.timezone
    since = datetime.combine(args.since, datetime.min.time(), tz)
    until = datetime.combine(args.until + timedelta(days=1), datetime.min.time(), tz)
    progress = Progress(PROG)
    engine = make_engine(settings.database_url)
    try:
        if not is_current(engine):
            return _say("the database is not up to date: run `rex migrate` first", EXIT_FAILED)
        with Session(engine) as session:
            records = learning_records(session, since=since, until=until)
    except SQLAlchemyError as error:
        return _say(f"cannot read the database: {str(error).splitlines()[0]}")
    finally:
        engine.dispose()
    progress(f"read {len(records):,} records")
    if args.format == "csv":
        text = to_csv(records, tz=tz, language=settings.rex_language)
    else:
        assert workspace is not None
        home = workspace.rstrip("/")
        text = xapi_json(records, homepage=home, base=public_base(settings.rex_public_url, home))
    if args.output == "-":
        sys.stdout.write(text)
    else:
        try:
            bom = EXCEL_BOM if args.format == "csv" else ""
            Path(args.output).write_text(bom + text, encoding="utf-8", newline="")
        except OSError as error:
            return _say(f"cannot write {args.output}: {error.strerror}")
    progress(f"wrote {len(records):,} records")
    return 0


def _workspace_url(settings: Settings) -> str:
    """The workspace's URL, as Slack's `auth.test` gives it for the bot token."""
    client = WebClient(token=settings.bot_token(), base_url=settings.slack_api_url)
    return str(client.auth_test()["url"])


def _missing_database(url: str) -> str | None:
    """The path of a SQLite file that does not exist (opening it would create it)."""
    parsed = make_url(url)
    path = parsed.database
    if parsed.get_backend_name() != "sqlite" or not path or path == ":memory:":
        return None
    return None if Path(path).exists() else path


def _day(text: str) -> date:
    """A YYYY-MM-DD day, within years that keep the window's arithmetic in range."""
    try:
        day = date.fromisoformat(text) if DAY.fullmatch(text) else None
    except ValueError:
        day = None
    if day is None or not FIRST_DAY <= day <= LAST_DAY:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}")
    return day


def _say(message: str, code: int = EXIT_FAILED) -> int:
    return say(PROG, message, code)
