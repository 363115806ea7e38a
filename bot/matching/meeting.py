"""Who can meet whom: a shared language, the same site for in-person meetings, and working
hours that overlap. Slack-free and database-free.

The rules, as `bot.matching.rounds` applies them to every exchange of a round:

- **language**: everyone in one exchange shares one language (a swap's two people, a
  cycle's three, a group's teacher and all its learners). A member with no language
  listed speaks anything; the database side fills in the language of their Slack locale
  (`bot.members.spoken_languages`), so only `rex match` files leave it open.
- **mode**: an `in_person` member meets only people on their own site (whatever those
  prefer); `remote` and `either` members meet anyone else, remotely. An `in_person`
  member with no site meets nobody (nobody is known to be near them): the profile and the
  "not matched" notice ask them to add one.
- **working hours**: for people who are not on one site, a partner less than
  `NEAR_HOURS` hours away is preferred when there is a choice; a pair is never refused
  only because of timezones.

Sites are free text compared as skills are (case, accents, punctuation, one slip of the
keyboard: "Toulouse" = "toulouse" = "Toulouze"), with the skill matcher's own folding
(`bot.matching.text`) and typo rule (`bot.matching.typos.words_close`).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.lists import format_list

from bot.matching.text import prepare, words
from bot.matching.typos import words_close

MeetingMode = Literal["in_person", "remote", "either"]
MODES: tuple[MeetingMode, ...] = ("in_person", "remote", "either")
NEAR_HOURS = 6
NO_SITE = -1

_LANGUAGE_TAG = re.compile(r"([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*")


def meeting_mode(value: str) -> MeetingMode:
    """`value` as a mode; ValueError when it is not one."""
    if value not in MODES:
        raise ValueError(f"unknown meeting mode {value!r}")
    return value


@functools.lru_cache(maxsize=4096)
def language_code(tag: str) -> str | None:
    """The ISO 639 code of a language tag ("fr", "FR", "fr-CA" → "fr"); None if it is not one."""
    found = _LANGUAGE_TAG.fullmatch(tag.strip().casefold())
    return found.group(1) if found else None


def language_names(codes: Iterable[str], lang: str) -> str:
    """Languages as `lang` names them, joined with "or": "French or English", "français ou
    anglais"; an unknown code is shown as written, in capitals."""
    try:
        locale = Locale.parse(lang)
    except (ValueError, UnknownLocaleError):
        locale = Locale.parse("en")
    names = [str(locale.languages.get(code) or code.upper()) for code in codes]
    return str(format_list(names, style="or", locale=locale)) if names else ""


def site_words(site: str | None) -> tuple[str, ...]:
    """A site as it is compared: folded like a skill label, in words ("Saint-Étienne" →
    ("saint", "etienne")); () when it names nothing."""
    if not site:
        return ()
    main, notes = prepare(site)
    return tuple(words(main)) or tuple(words(notes))


def same_site(a: str | None, b: str | None) -> bool:
    """Whether two wordings name one site: the same words, each equal or one slip apart
    ("Toulouze"), or the same letters once the spaces are gone, give or take a slip
    ("NewYork", "New Yrok")."""
    return _close(site_words(a), site_words(b))


def _close(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if not a or not b:
        return False
    if len(a) == len(b) and all(words_close(x, y) for x, y in zip(a, b, strict=True)):
        return True
    return len(a) + len(b) > 2 and words_close("".join(a), "".join(b))


class Sites:
    """Ids for the sites typed by the people of one round, so comparing two people's sites is
    comparing two integers.

    Wordings of one place share an id: the most common wording founds the site and the
    others join the first site they are `same_site` with (in order of frequency, then
    text), so the ids do not depend on the order people come in. Only wordings with the
    same initial are compared: a slip never changes a first letter. Wordings not given
    here have no id.
    """

    def __init__(self, raws: Iterable[str | None]) -> None:
        wordings: dict[tuple[str, ...], Counter[str]] = {}
        self._key_of: dict[str, tuple[str, ...]] = {}
        for raw, count in Counter(raw for raw in raws if raw).items():
            key = self._key_of[raw] = site_words(raw)
            if key:
                wordings.setdefault(key, Counter())[" ".join(raw.split())] += count
        order = sorted(wordings, key=lambda k: (-wordings[k].total(), k))
        founders: dict[str, list[int]] = {}
        self._founders: list[tuple[str, ...]] = []
        self._id_of_key: dict[tuple[str, ...], int] = {}
        merged: list[Counter[str]] = []
        for key in order:
            bucket = founders.setdefault(key[0][0], [])
            site = next((s for s in bucket if _close(key, self._founders[s])), None)
            if site is None:
                site = len(self._founders)
                self._founders.append(key)
                bucket.append(site)
                merged.append(Counter())
            self._id_of_key[key] = site
            merged[site].update(wordings[key])
        self._names = [min(c, key=lambda w: (-c[w], w)) for c in merged]

    def __len__(self) -> int:
        return len(self._names)

    def id_of(self, raw: str | None) -> int:
        """The site's id, or NO_SITE for no site (or one that names nothing)."""
        key = self._key_of.get(raw) if raw else None
        return NO_SITE if key is None else self._id_of_key.get(key, NO_SITE)

    def name(self, site: int) -> str:
        """How most people write the site."""
        return self._names[site]


def utc_offset_minutes(tz: str | None, at: datetime) -> int | None:
    """Minutes east of UTC of an IANA timezone at an instant; None when it is unknown."""
    zone = timezone(tz)
    if zone is None:
        return None
    offset = at.astimezone(zone).utcoffset()
    return None if offset is None else int(offset.total_seconds() // 60)


@functools.lru_cache(maxsize=1024)
def timezone(name: str | None) -> ZoneInfo | None:
    """The IANA timezone called `name`, or None (kept: zoneinfo's own cache holds only a
    few, and a round reads each member's)."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def hours_apart(a: int, b: int) -> float:
    """Hours between two UTC offsets (in minutes) around the clock: +14 and -10 are 0 apart."""
    gap = abs(a - b) % 1440
    return min(gap, 1440 - gap) / 60


def place_names(sites: Sequence[str], lang: str) -> str:
    """ "Toulouse", "Toulouse and Lyon", "Toulouse et Lyon"."""
    try:
        locale = Locale.parse(lang)
    except (ValueError, UnknownLocaleError):
        locale = Locale.parse("en")
    return str(format_list(list(sites), locale=locale)) if sites else ""
