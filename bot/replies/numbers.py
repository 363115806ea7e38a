"""Ratings and hours in a reply: "4/5", "⭐⭐⭐⭐", "1h30", "an hour and a half", "1 heure".

A bare number counts only when that very figure was asked (and bare hours at most 12: a
bare "90" is more likely minutes). Ranges, bounds, clock times and a second number are
not a figure (None); hours are rounded to the quarter hour.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Final

from bot.replies.folding import fold
from bot.replies.intents import MAX_HOURS, Hours, Rating

_COUNTS: Final = {
    word: count
    for count, words in enumerate(
        (
            "one un une",
            "two deux",
            "three trois",
            "four quatre",
            "five cinq",
            "six",
            "seven sept",
            "eight huit",
            "nine neuf",
            "ten dix",
        ),
        start=1,
    )
    for word in words.split()
}
_NUMBER_WORDS: Final = {**_COUNTS, "a": 1, "an": 1}  # "an hour", "a half hour"
# A number of at most three digits, not part of a longer number, a decimal or a fraction.
_NUM: Final = r"(?<![0-9/])(?<![0-9][.,])[0-9]{1,3}(?:[.,][0-9]{1,2})?(?![0-9]|[.,][0-9])"
_COUNT_WORD: Final = rf"\b(?:{'|'.join(sorted(_COUNTS, key=len, reverse=True))})\b"
_NUM_WORD: Final = rf"\b(?:{'|'.join(sorted(_NUMBER_WORDS, key=len, reverse=True))})\b"
_H: Final = r"(?:hours?|hrs?|heures?|h)"
_HW: Final = r"(?:hours?|heures?)"
_MIN: Final = r"(?:minutes?|mins?|mn)"
# A number then an hour unit: digits take "h", words need the word ("an hour").
_NUM_UNIT: Final = rf"(?:(?P<d>{_NUM})\s*{_H}|(?P<w>{_NUM_WORD})\s+{_HW})"
_NUM_H: Final = rf"{_NUM_UNIT}\b"
_STAR_GLYPHS: Final = "★⭐🌟"


def _number(text: str) -> float:
    return float(_NUMBER_WORDS[text]) if text in _NUMBER_WORDS else float(text.replace(",", "."))


def _hours_of(match: re.Match[str]) -> float:
    return _number(match.group("d") or match.group("w"))


def _hours_minutes(match: re.Match[str]) -> float | None:
    minutes = int(match.group("m"))
    if minutes >= 60 or (match.group("d") and not match.group("d").isdigit()):
        return None
    return _hours_of(match) + minutes / 60


_HOUR_FORMS: Final[tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], float | None]], ...]] = (
    (  # one and a half hours
        re.compile(rf"(?P<w>{_NUM_WORD}|{_NUM})\s+and\s+a\s+half\s+{_HW}\b"),
        lambda m: _number(m.group("w")) + 0.5,
    ),
    (  # une heure et demie, 2h et quart, an hour and a half
        re.compile(
            rf"{_NUM_H}\s*(?:(?P<half>and\s+a\s+half|and\s+half|et\s+demie?)"
            rf"|and\s+a\s+quarter|et\s+quart)\b"
        ),
        lambda m: _hours_of(m) + (0.5 if m.group("half") else 0.25),
    ),
    (  # 1h30, 1 h 30, 2 hours 15 minutes, 1 heure et 30 minutes
        re.compile(
            rf"{_NUM_UNIT}\s*(?:and\s+|et\s+)?(?P<m>[0-9]{{1,2}})(?![0-9])"
            rf"(?!\s*(?:/|{_H}\b|x\b|fois\b|times\b|sessions?\b|seances?\b))\s*(?:{_MIN}\b)?"
        ),
        _hours_minutes,
    ),
    (  # trois quarts d'heure, three quarters of an hour, 3/4 h
        re.compile(
            rf"\b(?:trois|three|3)\s*quarts?\s+(?:d\s+|of\s+an\s+)?{_HW}\b"
            rf"|\bthree\s+quarters\s+of\s+an\s+{_HW}\b|(?<![0-9])3/4\s*(?:d\s+)?{_H}\b"
        ),
        lambda _: 0.75,
    ),
    (  # un quart d'heure, a quarter of an hour
        re.compile(
            rf"\b(?:(?:un|a|one)\s+)?quart(?:er)?\s+(?:d\s+|of\s+an\s+)?{_HW}\b"
            rf"|(?<![0-9])1/4\s*(?:d\s+)?{_H}\b"
        ),
        lambda _: 0.25,
    ),
    (  # half an hour, une demi-heure
        re.compile(
            rf"\b(?:(?:a|an|one)\s+)?half\s+(?:an\s+)?{_HW}\b"
            rf"|\b(?:une\s+)?demi\s*{_HW}\b|(?<![0-9])1/2\s*{_H}\b"
        ),
        lambda _: 0.5,
    ),
    (re.compile(_NUM_H), _hours_of),  # 2h, 1,5 h, deux heures, an hour
    (  # 90 min
        re.compile(rf"(?P<n>{_NUM}|{_NUM_WORD})\s*{_MIN}\b"),
        lambda m: _number(m.group("n")) / 60,
    ),
    (  # 1:30
        re.compile(r"(?<![0-9:])(?P<h>[0-9]{1,2}):(?P<m>[0-5][0-9])(?![0-9:])"),
        lambda m: int(m.group("h")) + int(m.group("m")) / 60,
    ),
)
_RATING_FORMS: Final[tuple[re.Pattern[str], ...]] = (
    # 3 stars out of 5, 3 étoiles sur 5
    re.compile(
        rf"(?P<n>{_NUM}|{_COUNT_WORD})\s*(?:stars?|etoiles?)\s*(?:/|\bsur\b|\bout\s+of\b|\bof\b)"
        r"\s*(?:5|five|cinq)(?![0-9]|[.,][0-9]|/)"
    ),
    # 4/5, 4 sur 5, four out of five
    re.compile(
        rf"(?P<n>{_NUM}|{_COUNT_WORD})\s*"
        r"(?:/|\bsur\b|\bout\s+of\b|\bof\b)\s*(?:5|five|cinq)(?![0-9]|[.,][0-9]|/)"
    ),
    # 4 stars, quatre étoiles, 4*
    re.compile(
        rf"(?P<n>{_NUM}|{_COUNT_WORD})\s*(?:(?:stars?|etoiles?)\b|[*{_STAR_GLYPHS}](?![*{_STAR_GLYPHS}☆]))"
    ),
)
_STAR_RUN: Final = re.compile(rf"[{_STAR_GLYPHS}☆](?:\s*[{_STAR_GLYPHS}☆])*")
# After the rating or hours are taken out, any of these left means another number.
_OTHER_NUMBER: Final = re.compile(
    r"[0-9½¼¾]|\b(?:two|three|four|five|six|seven|eight|nine|ten|deux|trois|quatre|cinq|six|"
    r"sept|huit|neuf|dix|half|demie?|quarts?|quarters?)\b|\b(?:one|un|une)\s*(?:-|\bto\b|\ba\b|\bor\b|\bou\b)"
    rf"|[{_STAR_GLYPHS}☆]"
)
# Bounds, ranges and clock times: a number is there, but not the duration.
_NOT_A_DURATION: Final = re.compile(
    r"\b(?:more|less|fewer)\s+than\b|\b(?:plus|moins)\s+(?:de|d|que)\b|\bat\s+(?:least|most)\b"
    r"|\bau\s+(?:moins|plus)\b|\b(?:over|under|or|ou|between|entre|jusqu)\b"
    r"|\b(?:at|vers|from|until|till|des|depuis|since)\s+[0-9]|[<>+]"
)
_CLOCK_TIME: Final = re.compile(r"(?<!\w)à\s*[0-9]")  # "à 14h": a time, checked before folding
_IN_PASSING: Final = re.compile(
    r"\b(?:pas mal|not bad|no problem|no worries|pas de soucis?|pas de probleme)\b"
)
_NEGATED: Final = re.compile(r"\b(?:not|no|never|pas|jamais|aucun|aucune)\b")
_BARE_NUMBER: Final = re.compile(rf"\s*(?P<n>{_NUM}|{_COUNT_WORD})\s*")
_BARE_HOURS_MAX: Final = 12.0


def _numeric_text(text: str) -> str | None:
    """Folded text for numbers, or None when it is a question or a negation."""
    folded = re.sub(r"['\-‐‑]", " ", fold(text))
    if "?" in folded:
        return None
    folded = _IN_PASSING.sub(" ", folded)
    # Keep letters, digits, what numbers are written with, and stars; drop other emoji.
    folded = "".join(
        ch if ch.isalnum() or ch.isspace() or ch in f"/.,:*+<>~≈☆{_STAR_GLYPHS}" else " "
        for ch in folded
    )
    return None if _NEGATED.search(folded) else folded


def _blank(text: str, match: re.Match[str]) -> str:
    return text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]


def read_rating(text: str, bare: bool) -> Rating | None:
    folded = _numeric_text(text)
    if folded is None:
        return None
    if bare and (number := _BARE_NUMBER.fullmatch(folded.strip(" .!"))):
        value = _number(number.group("n"))
        return Rating(int(value)) if value in (1, 2, 3, 4, 5) else None
    if bare and re.fullmatch(r"\s*\*{1,5}\s*", folded):
        return Rating(folded.count("*"))
    values: set[float] = set()
    for pattern in _RATING_FORMS:
        while match := pattern.search(folded):
            values.add(_number(match.group("n")))
            folded = _blank(folded, match)
    for run in list(_STAR_RUN.finditer(folded)):
        filled = sum(run.group().count(glyph) for glyph in _STAR_GLYPHS)
        empty = run.group().count("☆")
        values.add(float(filled) if empty == 0 or filled + empty == 5 else 0.0)
        folded = _blank(folded, run)
    if len(values) != 1 or _OTHER_NUMBER.search(folded):
        return None
    value = values.pop()
    return Rating(int(value)) if value in (1, 2, 3, 4, 5) else None


def _quarter_hours(value: float | None) -> Hours | None:
    if value is None:
        return None
    rounded = math.floor(value * 4 + 0.5) / 4
    return Hours(rounded) if 0 < rounded <= MAX_HOURS else None


def read_hours(text: str, bare: bool) -> Hours | None:
    folded = _numeric_text(text)
    if folded is None or _NOT_A_DURATION.search(folded) or _CLOCK_TIME.search(text.casefold()):
        return None
    if bare and (number := _BARE_NUMBER.fullmatch(folded.strip(" .!"))):
        value = _number(number.group("n"))
        return _quarter_hours(value) if value <= _BARE_HOURS_MAX else None
    values: list[float | None] = []
    for pattern, value_of in _HOUR_FORMS:
        while match := pattern.search(folded):
            values.append(value_of(match))
            folded = _blank(folded, match)
    if len(values) != 1 or _OTHER_NUMBER.search(folded):
        return None
    return _quarter_hours(values[0])
