"""Calendar invitations for a scheduled session: the `.ics` file Rex uploads, and the checks on
what the scheduler typed (place or link, local date and time).

Rex hands the file to people in Slack rather than e-mailing it from an organiser who can take
replies, so an invitation is METHOD:PUBLISH (RFC 5546): calendar apps add it as an event,
with no accept/decline buttons that would e-mail a mailbox nobody reads. PUBLISH forbids
ATTENDEE, so who takes part belongs in the description the caller writes. A rescheduled
session keeps its UID with a higher SEQUENCE, which calendar apps treat as a replacement; a
cancellation is METHOD:CANCEL with STATUS:CANCELLED, naming every attendee who has an e-mail,
as RFC 5546 asks when a whole event is cancelled.

Times are written in the scheduler's timezone (DTSTART;TZID=...) with its VTIMEZONE, so each
calendar app shows the session in its owner's own timezone.
"""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final
from urllib.parse import quote, urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event, vCalAddress

PRODID: Final = "-//Rex//Knowledge exchange//EN"
SUMMARY_MAX: Final = 200
DESCRIPTION_MAX: Final = 4000
PLACE_MAX: Final = 200
URL_MAX: Final = 500
NAME_MAX: Final = 100
DURATION_MAX: Final = timedelta(hours=24)

# Unicode bidirectional embedding, override and isolate controls: invisible, and able to make
# text display as something else, so they go with the other control characters.
_BIDI_CONTROLS: Final = frozenset({"LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI"})
_SPACE = re.compile(r"\s+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{2}:\d{2}")
_EMAIL = re.compile(r"[^@\s\"<>()\[\],;:\\]+@[^@\s\"<>()\[\],;:\\]+\.[^@\s\"<>()\[\],;:\\]+")
# Labels of letters, digits and inner hyphens; a top-level domain of letters, or IDNA-encoded.
_DOMAIN = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})",
    re.IGNORECASE,
)
# A link needs no scheme to be one: `meet.google.com/abc`, `zoom.us/j/123`, `www.example.org`.
# A dotted word alone (`St.Pierre`) stays a place unless it has 3+ labels or a path.
_BARE_LINK = re.compile(
    r"(?P<host>(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63})(?P<rest>(?::\d+)?(?:[/?#]\S*)?)",
    re.IGNORECASE,
)
_ANY_SCHEME = re.compile(r"[a-z][a-z0-9+.\-]*://", re.IGNORECASE)
# Schemes that are links without `//`: refused as links rather than kept as a place.
_BARE_SCHEMES: Final = ("http:", "https:", "javascript:", "data:", "vbscript:", "file:", "blob:")
# RFC 3986 reserved and unreserved characters, plus `%` so existing escapes stay as they are.
_URL_SAFE: Final = "/?#[]@!$&'()*+,;=:-._~%"


@dataclass(frozen=True)
class SessionPlan:
    """One scheduled session as the invitation states it; `sequence` is the revision number
    of the invitation (0 first, +1 on each reschedule) that calendar apps compare."""

    exchange_id: int
    start: datetime
    duration: timedelta
    tz: str
    title: str
    description: str
    place: str | None
    url: str | None
    attendees: tuple[tuple[str, str], ...]
    sequence: int

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.start.utcoffset() is None:
            raise ValueError("the session start must be timezone-aware")
        if not timedelta(0) < self.duration <= DURATION_MAX:
            raise ValueError("a session lasts more than 0 and at most 24 hours")
        if self.sequence < 0:
            raise ValueError("the sequence can't be negative")
        _zone(self.tz)


def _zone(tz: str) -> ZoneInfo:
    """The IANA timezone `tz`; an unknown or malformed name is a ValueError like other bad
    input (zoneinfo raises a KeyError subclass for unknown names)."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as unknown:
        raise ValueError(f"unknown timezone {tz!r}") from unknown


def _has_controls(text: str) -> bool:
    """Control characters other than tab and line breaks, which are folded into spaces."""
    return any(
        (unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\t\n\r")
        or unicodedata.bidirectional(ch) in _BIDI_CONTROLS
        for ch in text
    )


def _strip_controls(text: str, *, keep_newlines: bool) -> str:
    """Text people typed, safe for a calendar: NFC, no control characters (newlines kept in
    descriptions, other whitespace controls become spaces), trimmed."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    out: list[str] = []
    for ch in text:
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif ch.isspace():
            out.append(" ")
        elif not _has_controls(ch):
            out.append(ch)
    cleaned = "".join(out)
    if keep_newlines:
        return "\n".join(line.rstrip() for line in cleaned.split("\n")).strip()
    return _SPACE.sub(" ", cleaned).strip()


def _bound(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _single_line(text: str, limit: int) -> str:
    return _bound(_strip_controls(text, keep_newlines=False), limit)


def _looks_like_link(text: str) -> bool:
    lowered = text.lower()
    if _ANY_SCHEME.match(lowered) or lowered.startswith("www."):
        return True
    if lowered.startswith(_BARE_SCHEMES):
        # `javascript:alert(1)` is a link to refuse; `JavaScript: the good parts` is text.
        return not any(ch.isspace() for ch in text)
    bare = _BARE_LINK.fullmatch(text)
    return bare is not None and (bool(bare["rest"]) or bare["host"].count(".") >= 2)


def _normalise_url(text: str) -> str:
    """An https URL Rex will put in a calendar and a Slack message, or a ValueError saying
    briefly what is wrong with it."""
    if not _ANY_SCHEME.match(text) and not text.lower().startswith(_BARE_SCHEMES):
        text = f"https://{text}"
    if any(ch.isspace() for ch in text):
        raise ValueError("a link can't contain spaces")
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError("only http and https links are accepted")
    if parts.username is not None or parts.password is not None:
        raise ValueError("a link can't contain a user name or password")
    if not parts.hostname:
        raise ValueError("the link has no host")
    try:
        port = parts.port
        host = parts.hostname.encode("idna").decode("ascii")
    except (ValueError, UnicodeError) as bad:
        raise ValueError("the link's host or port is invalid") from bad
    if not _DOMAIN.fullmatch(host):
        raise ValueError("the link's host must be a domain name like meet.example.com")
    netloc = host if port is None else f"{host}:{port}"
    url = urlunsplit(
        (
            "https",
            netloc,
            quote(parts.path, safe=_URL_SAFE),
            quote(parts.query, safe=_URL_SAFE),
            quote(parts.fragment, safe=_URL_SAFE),
        )
    )
    if len(url) > URL_MAX:
        raise ValueError(f"a link is at most {URL_MAX} characters")
    return url


def parse_place(text: str) -> tuple[str | None, str | None]:
    """Split what was typed in "Place or video link" into (place, url), one of them set, or
    neither for blank input.

    Link-looking text (a scheme, `www.`, or a bare domain with a path or 3+ labels such as
    `meet.google.com/abc`) must be a valid web link: it comes back as an https URL with its
    host in lowercase ASCII (IDNA), so a look-alike host shows as what it is. Plain
    http:// is upgraded to https:// since video services all serve https. Anything else is a
    place, whitespace folded, at most PLACE_MAX characters. Other control characters are
    refused in both.
    """
    text = unicodedata.normalize("NFC", text).strip()
    if not text:
        return None, None
    if _has_controls(text):
        raise ValueError("a place or link can't contain control characters")
    if _looks_like_link(text):
        return None, _normalise_url(text)
    place = _SPACE.sub(" ", text)
    if len(place) > PLACE_MAX:
        raise ValueError(f"a place is at most {PLACE_MAX} characters")
    return place, None


# A session starting outside these hours of someone's local day is confirmed first.
DAY_STARTS, DAY_ENDS = time(7, 0), time(21, 0)


def night_for(start: datetime, people: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(name, local "HH:MM") of each of `people` ((name, tz) pairs) for whom `start` falls
    outside 07:00-21:00: whose night it is, to name before they are invited at 00:30."""
    found = []
    for name, tz in people:
        local = start.astimezone(_zone(tz))
        if not DAY_STARTS <= local.time() <= DAY_ENDS:
            found.append((name, local.strftime("%H:%M")))
    return found


def local_start(date_str: str, time_str: str, tz: str) -> datetime:
    """The instant meant by a Slack datepicker (YYYY-MM-DD) and timepicker (HH:MM) value read
    in the clicker's timezone `tz`.

    A wall time skipped by a DST change (02:30 on a spring-forward night in Paris) does not
    exist, so it is refused rather than silently moved. A wall time that happens twice (01:30
    on a fall-back night in New York) is taken as its first occurrence (fold=0), as RFC 5545
    reads such a time in an invitation too.
    """
    if not _DATE.fullmatch(date_str) or not _TIME.fullmatch(time_str):
        raise ValueError("expected a date as YYYY-MM-DD and a time as HH:MM")
    try:
        naive = datetime.combine(date.fromisoformat(date_str), time.fromisoformat(time_str))
    except ValueError as bad:
        raise ValueError("that date or time does not exist") from bad
    tzinfo = _zone(tz)
    first = naive.replace(tzinfo=tzinfo, fold=0)
    if first.astimezone(UTC).astimezone(tzinfo).replace(tzinfo=None) != naive:
        raise ValueError(
            f"{date_str} {time_str} does not exist in {tz}: the clocks change that night"
        )
    return first


def _uid(exchange_id: int, domain: str) -> str:
    return f"rex-exchange-{exchange_id}@{domain}"


def _attendees(plan: SessionPlan) -> list[vCalAddress]:
    """Attendees who can be named in iCalendar: a CAL-ADDRESS is a URI, so an attendee
    without a plausible e-mail address is left out."""
    named: list[vCalAddress] = []
    for name, email in plan.attendees:
        email = email.strip()
        if len(email) > 254 or not _EMAIL.fullmatch(email):
            continue
        attendee = vCalAddress(f"mailto:{email}")
        cn = _single_line(name, NAME_MAX)
        if cn:
            attendee.params["cn"] = cn
        attendee.params["role"] = "REQ-PARTICIPANT"
        named.append(attendee)
    return named


def _wall_time(moment: datetime, tzinfo: ZoneInfo) -> datetime:
    """`moment` on the wall clock of `tzinfo`, or in UTC when that wall time happens twice and
    `moment` is the second: RFC 5545 reads a repeated wall time as its first occurrence."""
    local = moment.astimezone(tzinfo)
    if local.replace(fold=0).astimezone(UTC) != moment.astimezone(UTC):
        return moment.astimezone(UTC)
    return local


def _calendar(
    plan: SessionPlan, *, method: str, status: str, sequence: int, domain: str, now: datetime
) -> bytes:
    if now.utcoffset() is None:
        raise ValueError("`now` must be timezone-aware")
    if not _DOMAIN.fullmatch(domain):
        raise ValueError(f"invalid domain {domain!r}")
    tzinfo = _zone(plan.tz)
    start = _wall_time(plan.start, tzinfo)
    # An absolute duration: a session crossing a DST change still lasts what was chosen.
    end = _wall_time(plan.start.astimezone(UTC) + plan.duration, tzinfo)

    event = Event()
    event.add("uid", _uid(plan.exchange_id, domain))
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("sequence", sequence)
    event.add("status", status)
    event.add("summary", _single_line(plan.title, SUMMARY_MAX))
    description = _bound(_strip_controls(plan.description, keep_newlines=True), DESCRIPTION_MAX)
    if description:
        event.add("description", description)
    if plan.place:
        event.add("location", _single_line(plan.place, PLACE_MAX))
    if plan.url:
        event.add("url", _normalise_url(plan.url))
    if method == "CANCEL":
        for attendee in _attendees(plan):
            event.add("attendee", attendee)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    calendar.add_component(event)
    # The smallest VTIMEZONE that covers the session: one observance, plus the DST change if
    # the session crosses one. Calendar apps that know the TZID use their own rules anyway.
    calendar.add_missing_timezones(
        first_date=start.date() - timedelta(days=1), last_date=end.date() + timedelta(days=1)
    )
    for timezone in calendar.walk("VTIMEZONE"):  # icalendar's notes are for developers
        for part in (timezone, *timezone.subcomponents):
            part.pop("COMMENT", None)
    ics: bytes = calendar.to_ical()  # typed Any in icalendar 7
    return ics


def build_ics(plan: SessionPlan, *, domain: str = "rex.local", now: datetime) -> bytes:
    """The invitation for `plan` (STATUS:CONFIRMED, SEQUENCE plan.sequence). The UID
    depends only on the exchange and `domain`, so a rescheduled invitation with a higher
    sequence replaces the earlier one in people's calendars.

    No ORGANIZER: Rex knows nobody's e-mail address (it has no `users:read.email` scope)
    and will not invent one; so no METHOD either, since an iTIP PUBLISH needs an
    organizer: a plain RFC 5545 event, which every calendar app imports."""
    return _calendar(
        plan, method="", status="CONFIRMED", sequence=plan.sequence, domain=domain, now=now
    )


def cancel_ics(plan: SessionPlan, *, domain: str = "rex.local", now: datetime) -> bytes:
    """The cancellation of the invitation last sent for `plan` (METHOD:CANCEL,
    STATUS:CANCELLED, SEQUENCE plan.sequence + 1): pass the plan as last sent, and give any
    later invitation for the same exchange a sequence of at least plan.sequence + 2."""
    return _calendar(
        plan,
        method="CANCEL",
        status="CANCELLED",
        sequence=plan.sequence + 1,
        domain=domain,
        now=now,
    )
