"""`rex match`: run a round on a JSON file, for managers' previews and for benchmarks.

The same engine as the scheduled round (`bot.rounds.plan_round`), without Slack or a
database. Bad input fails with exit code 2 and one line on stderr that names the field.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from bot.rounds import (
    Candidate,
    PastExchange,
    RoundConfig,
    RoundResult,
    gc_paused,
    plan_round,
)

EXIT_BAD_INPUT = 2
EXIT_WRITE_FAILED = 1
QUIET_SECONDS = 1.0


class InputError(ValueError):
    """The input document is not what `rex match` reads; the message says where."""


def load_network(document: object) -> tuple[list[Candidate], list[PastExchange]]:
    """Members and history from a parsed `rex match` document, checked field by field.

    Optional member fields: `avoid`, `capacity` (as a teacher; else the round's default),
    `learner_capacity`, `open_as_teacher`, `open_as_learner`, `waited_days`,
    `hours_taught`, `hours_learned`. Unknown fields are ignored.
    """
    root = _object(document, "input")
    members = [_member(item, f"members[{k}]") for k, item in enumerate(_list(root, "members"))]
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
            }
            for item in result.unmatched
        ],
        "stats": result.stats,
    }


def run_match(argv: Sequence[str] | None = None) -> int:
    """Entry point of `rex match`; returns the process exit code."""
    defaults = RoundConfig()
    parser = _Parser(
        prog="rex match", description="Preview a matching round on a JSON file of members."
    )
    parser.add_argument("--input", required=True, type=Path, help="members.json")
    parser.add_argument("--output", default="-", help="result file (default: stdout)")
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--teacher-capacity", type=int, default=defaults.teacher_capacity)
    parser.add_argument("--learner-capacity", type=int, default=defaults.learner_capacity)
    parser.add_argument("--cooldown-days", type=float, default=defaults.cooldown_days)
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, or a usage error already reported in one line
        return stop.code if isinstance(stop.code, int) else EXIT_BAD_INPUT
    progress = _Progress()
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
            print(f"rex match: cannot write {args.output}: {error.strerror}", file=sys.stderr)
            return EXIT_WRITE_FAILED
    progress(f"wrote {len(result.exchanges):,} exchanges")
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line like every other `rex match` error."""

    def error(self, message: str) -> NoReturn:
        print(f"rex match: {message}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


class _Progress:
    """Progress lines on stderr, only once a run has taken more than a second."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.held: list[str] = []

    def __call__(self, line: str) -> None:
        self.held.append(line)
        if time.perf_counter() - self.started > QUIET_SECONDS:
            for held in self.held:
                print(f"rex match: {held}", file=sys.stderr)
            self.held.clear()


def _fail(message: str) -> int:
    print(f"rex match: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


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


def _member(value: object, where: str) -> Candidate:
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
