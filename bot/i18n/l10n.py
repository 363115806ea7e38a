"""Which language someone reads, and numbers as that language writes them."""

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal, format_percent

from bot.i18n.messages import DEFAULT_LANGUAGE as DEFAULT
from bot.i18n.messages import LANGUAGES as LANGUAGES  # the languages Rex writes in


class Reader(Protocol):
    """Someone Rex writes to (a member): the language they chose and their Slack locale."""

    @property
    def language(self) -> str | None: ...

    @property
    def locale(self) -> str | None: ...


def from_locale(locale: str | None) -> str:
    """Slack's locale ("fr-FR", "es-ES", "en-US"): its language when Rex writes in it (a
    catalogue exists for it), else English."""
    language = (locale or "").lower()[:2]
    return language if language in LANGUAGES else DEFAULT


def language_of_member(member: Reader | None, locale: str | None = None) -> str:
    """The member's chosen language, else their Slack locale's, else English."""
    if member is not None and member.language in LANGUAGES:
        return str(member.language)
    return from_locale(member.locale if member is not None and member.locale else locale)


def group_languages(members: Iterable[Reader]) -> tuple[str, ...]:
    """The languages a shared conversation is written in: each of its people's, once,
    the most spoken first (then English, then by code): one when they all share it."""
    counts = Counter(language_of_member(m) for m in members)
    return tuple(sorted(counts, key=lambda lang: (-counts[lang], lang != DEFAULT, lang)))


def number(value: float, lang: str, pattern: str = "#,##0.##") -> str:
    """1.5 in English, 1,5 in French (`pattern` in CLDR form, e.g. "0.0" for one decimal)."""
    return str(format_decimal(value, format=pattern, locale=lang))


def percent(share: float | None, lang: str) -> str:
    """85% in English, 85 % in French; a dash when there is nothing to measure."""
    return "–" if share is None else str(format_percent(share, locale=lang))


def day(when: datetime, lang: str, tz: str | None = None) -> str:
    """The calendar day of an instant where the reader lives, as their language writes it
    ("Dec 3, 2026", "3 déc. 2026"); UTC when their timezone is unknown."""
    try:
        zone = ZoneInfo(tz or "UTC")
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return calendar_day(when.astimezone(zone).date(), lang)


def calendar_day(day: date, lang: str) -> str:
    """A date as the language writes it: "Dec 3, 2026", "3 déc. 2026"."""
    return str(format_date(day, format="medium", locale=lang))


def short_day(day: date, lang: str) -> str:
    """A day of the month: "Dec 3", "3 déc."."""
    return str(format_skeleton("MMMd", day, locale=lang))
