"""`rex match`: run a round on a JSON file, for managers' previews and for benchmarks.

The same engine as the scheduled round (`bot.matching.rounds.planner.plan_round`), without
Slack or a database. Bad input fails with exit code 2 and one line on stderr that names the
field.
The input format is `INPUT_FORMAT` (shown by `rex match --help`, and in the README).
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.cli.tool import EXIT_BAD_INPUT, EXIT_FAILED, OneLineParser, Progress, say
from bot.matching.meeting import MODES, language_code, meeting_mode, timezone, utc_offset_minutes
from bot.matching.rounds.model import Candidate, PastExchange, RoundConfig, RoundResult
from bot.matching.rounds.planner import gc_paused, plan_round

PROG = "rex match"

INPUT_FORMAT = """\
input format (JSON, UTF-8):
  {
    "members": [                       required; ids are unique
      {
        "id": "U1",                    required, a non-empty string
        "teach": ["Python", "Excel"],  required, skills as people type them (may be [])
        "learn": ["public speaking"],  required, likewise
        "avoid": ["U7"],               never matched with these ids
        "capacity": 2,                 exchanges as a teacher (default --teacher-capacity)
        "learner_capacity": 1,         exchanges as a learner (default --learner-capacity)
        "open_as_teacher": 0,          exchanges already open, which use up capacity
        "open_as_learner": 0,
        "waited_days": 12.5,           the longest wait is served first
        "hours_taught": 4, "hours_learned": 2,   then the most generous balance
        "languages": ["fr", "en"],     ISO 639 codes ("fr-CA" counts as "fr"); without
                                       it (or []), this member speaks any language
        "mode": "either",              "in_person", "remote" or "either" (the default)
        "site": "Toulouse",            where they work; compared like skills (case,
                                       accents, typos); in_person members meet only
                                       people on their site, and nobody without one
        "timezone": "Europe/Paris"     IANA name, read at today's date; partners less
                                       than 6 h apart are preferred when there is a
                                       choice, never required
      }
    ],
    "history": [                       optional: recent exchanges (cooldown)
      {"teacher": "U1", "learner": "U2", "days_ago": 30, "met": true}
    ]
  }
Every field but id, teach and learn is optional; unknown fields are ignored. Everyone in one
exchange shares a language. A bad value stops with one line on stderr and exit code 2.
"""


class InputError(ValueError):
    """The input document is not what `rex match` reads; the message says where."""


def load_network(
    document: object, at: datetime | None = None
) -> tuple[list[Candidate], list[PastExchange]]:
    """Members and history from a parsed `rex match` document, checked field by field.

    Optional member fields: `avoid`, `capacity` (as a teacher; else the round's default),
    `learner_capacity`, `open_as_teacher`, `open_as_learner`, `waited_days`,
    `hours_taught`, `hours_learned`, `languages`, `mode`, `site`, `timezone` (read at `at`,
    by default now). Unknown fields are ignored. See `INPUT_FORMAT`.
    """
    root = _object(document, "input")
    when = at or datetime.now(UTC)
    members = [
        _member(item, f"members[{k}]", when) for k, item in enumerate(_list(root, "members"))
    ]
    seen: set[str] = set()
    for k, member in enumerate(members):
        if member.id in seen:
            raise InputError(f"members[{k}].id: duplicate member id {member.id!r}")
        seen.add(member.id)
    raw_history = _list(root, "history") if "history" in root else []
    history = [_past(item, f"history[{k}]") for k, item in enumerate(raw_history)]
    return members, history


def result_json(result: RoundResult) -> dict[str, Any]:
    """The `rex match --output` document."""
    return {
        "exchanges": [
            {
                "kind": exchange.kind,
                "members": list(exchange.members),
                "lessons": [
                    {
                        "teacher": lesson.teacher,
                        "learner": lesson.learner,
                        "teach": lesson.teach,
                        "learn": lesson.learn,
                        "score": lesson.score,
                    }
                    for lesson in exchange.lessons
                ],
            }
            for exchange in result.exchanges
        ],
        "unmatched": [
            {
                "id": item.id,
                "reason": item.reason,
                "reason_code": item.reason_code,
                "skill": item.skill,
                "demand": item.demand,
                "languages": list(item.languages),
                "sites": list(item.sites),
                "teachers": item.teachers,
            }
            for item in result.unmatched
        ],
        "stats": result.stats,
    }


def network_json(
    members: Sequence[Candidate],
    history: Sequence[PastExchange],
    timezones: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The `rex match --input` document for a network (`timezones` by member id)."""
    zones = timezones or {}
    return {
        "members": [
            {
                "id": c.id,
                "teach": list(c.teach),
                "learn": list(c.learn),
                "avoid": sorted(c.avoid),
                "capacity": c.teacher_capacity,
                "open_as_teacher": c.open_as_teacher,
                "open_as_learner": c.open_as_learner,
                "waited_days": c.waited_days,
                "hours_taught": c.hours_taught,
                "hours_learned": c.hours_learned,
                **({"languages": sorted(c.languages)} if c.languages else {}),
                "mode": c.mode,
                **({"site": c.site} if c.site is not None else {}),
                **({"timezone": zones[c.id]} if c.id in zones else {}),
            }
            for c in members
        ],
        "history": [
            {"teacher": h.teacher, "learner": h.learner, "days_ago": h.days_ago, "met": h.met}
            for h in history
        ],
    }


def run_match(argv: Sequence[str] | None = None) -> int:
    """Entry point of `rex match`; returns the process exit code."""
    defaults = RoundConfig()
    parser = OneLineParser(
        prog=PROG,
        description="Preview a matching round on a JSON file of members.",
        epilog=INPUT_FORMAT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--input", required=True, type=Path, help="members file (JSON, format below)"
    )
    parser.add_argument("--output", default="-", help="result file (default: stdout)")
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--teacher-capacity", type=int, default=defaults.teacher_capacity)
    parser.add_argument("--learner-capacity", type=int, default=defaults.learner_capacity)
    parser.add_argument("--cooldown-days", type=float, default=defaults.cooldown_days)
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, or a usage error already reported in one line
        return stop.code if isinstance(stop.code, int) else EXIT_BAD_INPUT
    progress = Progress(PROG)
    try:
        config = RoundConfig(
            teacher_capacity=args.teacher_capacity,
            learner_capacity=args.learner_capacity,
            cooldown_days=args.cooldown_days,
            seed=args.seed,
        )
        document = _read_json(args.input)
        with gc_paused():
            members, history = load_network(document)
    except ValueError as error:  # InputError, or a RoundConfig out of range
        return _fail(str(error))
    progress(f"read {len(members):,} members and {len(history):,} past exchanges")
    result = plan_round(members, history, config, progress=progress)
    text = json.dumps(result_json(result), ensure_ascii=False, indent=2) + "\n"
    if args.output == "-":
        sys.stdout.write(text)
    else:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as error:
            return say(PROG, f"cannot write {args.output}: {error.strerror}", EXIT_FAILED)
    progress(f"wrote {len(result.exchanges):,} exchanges")
    return 0


def _fail(message: str) -> int:
    return say(PROG, message, EXIT_BAD_INPUT)


def _read_json(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise InputError(f"{path} is not UTF-8 text") from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{path} is not JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from error


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), "null" if value is None else "a number"
    )


def _object(value: object, where: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise InputError(f"{where}: expected an object, got {_kind(value)}")
    return value


def _field(item: dict[str, object], name: str, where: str) -> object:
    if name not in item:
        raise InputError(f"{where}: missing field {name!r}")
    return item[name]


def _list(item: dict[str, object], name: str, where: str = "input") -> list[object]:
    value = _field(item, name, where)
    if not isinstance(value, list):
        raise InputError(f"{where}.{name}: expected a list, got {_kind(value)}")
    return value


def _text(item: dict[str, object], name: str, where: str) -> str:
    value = _field(item, name, where)
    if not isinstance(value, str) or not value:
        raise InputError(f"{where}.{name}: expected a non-empty string, got {_kind(value)}")
    return value


def _texts(item: dict[str, object], name: str, where: str) -> tuple[str, ...]:
    values = _list(item, name, where)
    texts = tuple(value for value in values if isinstance(value, str))
    if len(texts) == len(values):
        return texts
    k, value = next((k, v) for k, v in enumerate(values) if not isinstance(v, str))
    raise InputError(f"{where}.{name}[{k}]: expected a string, got {_kind(value)}")


def _count(item: dict[str, object], name: str, where: str) -> int | None:
    value = item.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(f"{where}.{name}: expected a whole number ≥ 0, got {value!r}")
    return value


def _amount(item: dict[str, object], name: str, where: str, *, required: bool = False) -> float:
    value = _field(item, name, where) if required else item.get(name, 0.0)
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value < 0
    ):
        raise InputError(f"{where}.{name}: expected a number ≥ 0, got {value!r}")
    return float(value)


def _languages(item: dict[str, object], where: str) -> frozenset[str]:
    if item.get("languages") is None:
        return frozenset()
    tags = _texts(item, "languages", where)
    codes = _language_codes(tags)
    if isinstance(codes, int):
        raise InputError(
            f'{where}.languages[{codes}]: expected a language code such as "fr",'
            f" got {tags[codes]!r}"
        )
    return codes


@functools.lru_cache(maxsize=4096)
def _language_codes(tags: tuple[str, ...]) -> frozenset[str] | int:
    """The codes of a list of language tags (a network repeats a few lists), or the
    position of the first that is not a language."""
    codes = [language_code(tag) for tag in tags]
    bad = next((k for k, code in enumerate(codes) if code is None), None)
    return frozenset(code for code in codes if code is not None) if bad is None else bad


def _mode(item: dict[str, object], where: str) -> str:
    value = item.get("mode")
    if value is None:
        return "either"
    if not isinstance(value, str) or value not in MODES:
        expected = ", ".join(f'"{mode}"' for mode in MODES)
        raise InputError(f"{where}.mode: expected one of {expected}, got {value!r}")
    return value


def _site(item: dict[str, object], where: str) -> str | None:
    value = item.get("site")
    if value is not None and not isinstance(value, str):
        raise InputError(f"{where}.site: expected a string, got {_kind(value)}")
    return value or None


def _offset(item: dict[str, object], where: str, at: datetime) -> int | None:
    value = item.get("timezone")
    if value is None:
        return None
    if not isinstance(value, str) or timezone(value) is None:
        raise InputError(
            f'{where}.timezone: expected an IANA timezone such as "Europe/Paris", got {value!r}'
        )
    return _offset_at(value, at)


@functools.lru_cache(maxsize=1024)
def _offset_at(tz: str, at: datetime) -> int | None:
    return utc_offset_minutes(tz, at)


def _member(value: object, where: str, at: datetime) -> Candidate:
    item = _object(value, where)
    avoid = _texts(item, "avoid", where) if "avoid" in item else ()
    return Candidate(
        id=_text(item, "id", where),
        teach=_texts(item, "teach", where),
        learn=_texts(item, "learn", where),
        avoid=frozenset(avoid),
        teacher_capacity=_count(item, "capacity", where),
        learner_capacity=_count(item, "learner_capacity", where),
        open_as_teacher=_count(item, "open_as_teacher", where) or 0,
        open_as_learner=_count(item, "open_as_learner", where) or 0,
        waited_days=_amount(item, "waited_days", where),
        hours_taught=_amount(item, "hours_taught", where),
        hours_learned=_amount(item, "hours_learned", where),
        languages=_languages(item, where),
        mode=meeting_mode(_mode(item, where)),
        site=_site(item, where),
        utc_offset=_offset(item, where, at),
    )


def _past(value: object, where: str) -> PastExchange:
    item = _object(value, where)
    met = _field(item, "met", where)
    if not isinstance(met, bool):
        raise InputError(f"{where}.met: expected true or false, got {_kind(met)}")
    return PastExchange(
        teacher=_text(item, "teacher", where),
        learner=_text(item, "learner", where),
        days_ago=_amount(item, "days_ago", where, required=True),
        met=met,
    )
