"""Pure tests: the `.ics` invitations Rex uploads, read back with icalendar, and the checks on
the place, date and time typed in "Schedule a session"."""

import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Component, Event, vCalAddress

from bot.calendar import (
    DESCRIPTION_MAX,
    PLACE_MAX,
    SUMMARY_MAX,
    SessionPlan,
    build_ics,
    cancel_ics,
    local_start,
    night_for,
    parse_place,
)

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")


def plan(**changes: Any) -> SessionPlan:
    base = SessionPlan(
        exchange_id=42,
        start=datetime(2026, 12, 3, 15, 30, tzinfo=PARIS),
        duration=timedelta(hours=1),
        tz="Europe/Paris",
        title="Rex session: Python ↔ Spanish",
        description="Alice teaches Python, Bob teaches Spanish.",
        place=None,
        url="https://meet.google.com/abc-defg-hij",
        attendees=(("Alice Martin", "alice@example.com"), ("Bob", "")),
        sequence=0,
    )
    return dataclasses.replace(base, **changes)


def parse(ics: bytes) -> tuple[Calendar, Event]:
    calendar = Calendar.from_ical(ics)
    assert len(calendar.events) == 1
    return calendar, calendar.events[0]


def moment(value: date) -> datetime:
    assert isinstance(value, datetime)
    return value


def utc(value: date) -> datetime:
    return moment(value).astimezone(UTC)


def text(component: Component, name: str) -> str:
    """A property's value as text: icalendar types `component[name]` as a wide union."""
    return str(component[name])


def test_invitation_is_at_the_right_instant_for_everyone() -> None:
    _, event = parse(build_ics(plan(), now=NOW))
    assert utc(event.start) == datetime(2026, 12, 3, 14, 30, tzinfo=UTC)
    assert utc(event.end) == datetime(2026, 12, 3, 15, 30, tzinfo=UTC)
    # The learner in New York sees 09:30 in their calendar.
    assert moment(event.start).astimezone(NEW_YORK).strftime("%H:%M") == "09:30"
    assert event.DTSTAMP == NOW


def test_invitation_names_its_timezone_and_carries_the_vtimezone() -> None:
    ics = build_ics(plan(), now=NOW)
    assert b"DTSTART;TZID=Europe/Paris:20261203T153000\r\n" in ics
    assert b"DTEND;TZID=Europe/Paris:20261203T163000\r\n" in ics
    assert ics.index(b"BEGIN:VTIMEZONE") < ics.index(b"BEGIN:VEVENT")
    calendar, event = parse(ics)
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Paris"]
    assert calendar.get_missing_tzids() == set()
    # The VTIMEZONE alone, without the tz database, puts the session at the same instant.
    own_rules = calendar.timezones[0].to_tz(lookup_tzid=False)
    wall_time = moment(event.start).replace(tzinfo=None)
    assert wall_time.replace(tzinfo=own_rules).astimezone(UTC) == utc(event.start)


def test_invitation_header_and_fields() -> None:
    calendar, event = parse(build_ics(plan(place="Room 4.12", url=None), now=NOW))
    assert text(calendar, "VERSION") == "2.0"
    assert text(calendar, "PRODID").startswith("-//Rex//")
    assert "METHOD" not in calendar  # a plain event: an iTIP PUBLISH needs an organizer
    assert text(event, "UID") == "rex-exchange-42@rex.local"
    assert text(event, "STATUS") == "CONFIRMED"
    assert text(event, "SEQUENCE") == "0"
    assert text(event, "SUMMARY") == "Rex session: Python ↔ Spanish"
    assert text(event, "DESCRIPTION") == "Alice teaches Python, Bob teaches Spanish."
    assert text(event, "LOCATION") == "Room 4.12"
    assert "URL" not in event
    assert "ORGANIZER" not in event  # nobody's e-mail is known: none is invented
    assert "ATTENDEE" not in event
    assert b"COMMENT" not in build_ics(plan(), now=NOW)  # no note meant for developers


def test_video_link_is_the_url() -> None:
    _, event = parse(build_ics(plan(), now=NOW))
    assert text(event, "URL") == "https://meet.google.com/abc-defg-hij"
    assert "LOCATION" not in event


def test_rescheduling_keeps_the_uid_and_raises_the_sequence() -> None:
    first = plan()
    moved = dataclasses.replace(
        first, start=datetime(2026, 12, 10, 18, 0, tzinfo=PARIS), sequence=first.sequence + 1
    )
    _, before = parse(build_ics(first, domain="rex.example.org", now=NOW))
    _, after = parse(build_ics(moved, domain="rex.example.org", now=NOW + timedelta(days=1)))
    assert text(before, "UID") == text(after, "UID") == "rex-exchange-42@rex.example.org"
    assert int(text(after, "SEQUENCE")) > int(text(before, "SEQUENCE"))
    assert utc(after.start) == datetime(2026, 12, 10, 17, 0, tzinfo=UTC)
    _, other = parse(build_ics(plan(exchange_id=43), domain="rex.example.org", now=NOW))
    assert text(other, "UID") != text(before, "UID")


def test_cancellation() -> None:
    sent = plan(sequence=2)
    calendar, event = parse(cancel_ics(sent, now=NOW))
    assert text(calendar, "METHOD") == "CANCEL"
    assert text(event, "STATUS") == "CANCELLED"
    assert text(event, "UID") == "rex-exchange-42@rex.local"
    assert text(event, "SEQUENCE") == "3"
    assert utc(event.start) == datetime(2026, 12, 3, 14, 30, tzinfo=UTC)
    # Everyone who can be named: Bob has no e-mail address, so no CAL-ADDRESS either.
    attendee = event["ATTENDEE"]
    assert isinstance(attendee, vCalAddress)
    assert attendee == "mailto:alice@example.com"
    assert attendee.params["CN"] == "Alice Martin"


def test_lines_end_with_crlf_and_fold_at_75_octets() -> None:
    long_text = "Café ☕ naïve 日本語 " * 40
    ics = build_ics(plan(title=long_text, description=long_text), now=NOW)
    assert ics.endswith(b"\r\n")
    assert b"\n" not in ics.replace(b"\r\n", b"")
    assert b"\r" not in ics.replace(b"\r\n", b"")
    lines = ics.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # something was folded
    for line in lines:
        line.decode("utf-8")  # never folded inside a multi-byte character
    _, event = parse(ics)
    assert text(event, "SUMMARY") == long_text.strip()[: SUMMARY_MAX - 1].rstrip() + "…"


def test_hostile_text_stays_text() -> None:
    title = "Hi <!channel>\r\nEND:VEVENT\r\nBEGIN:VEVENT\nUID:evil\x00\x1b[31m\u202egnp.exe"
    description = "Line one;\r\nline two, with \\ and <@U123>\x07\n\n\nEND:VCALENDAR"
    place = "Salle B\tpar la \u2028porte\x0b"
    ics = build_ics(plan(title=title, description=description, place=place), now=NOW)
    assert b"\r\nUID:evil" not in ics and b"\r\nEND:VEVENT\r\nBEGIN:VEVENT" not in ics
    _, event = parse(ics)
    assert text(event, "UID") == "rex-exchange-42@rex.local"
    assert text(event, "SUMMARY") == "Hi <!channel> END:VEVENT BEGIN:VEVENT UID:evil[31mgnp.exe"
    assert text(event, "DESCRIPTION") == (
        "Line one;\nline two, with \\ and <@U123>\n\n\nEND:VCALENDAR"
    )
    assert text(event, "LOCATION") == "Salle B par la porte"


def test_long_text_is_bounded() -> None:
    _, event = parse(build_ics(plan(title="t" * 5000, description="d" * 50_000), now=NOW))
    assert len(text(event, "SUMMARY")) == SUMMARY_MAX
    assert len(text(event, "DESCRIPTION")) == DESCRIPTION_MAX
    assert text(event, "DESCRIPTION").endswith("…")


@settings(max_examples=60, deadline=None)
@given(title=st.text(max_size=300), description=st.text(max_size=300), place=st.text(max_size=50))
def test_any_text_yields_one_well_formed_event(title: str, description: str, place: str) -> None:
    ics = build_ics(plan(title=title, description=description, place=place or None), now=NOW)
    assert b"\n" not in ics.replace(b"\r\n", b"")
    calendar, event = parse(ics)
    assert text(event, "UID") == "rex-exchange-42@rex.local"
    assert len(calendar.walk("VEVENT")) == 1
    assert "\n" not in text(event, "SUMMARY") and len(text(event, "SUMMARY")) <= SUMMARY_MAX
    assert not any(ord(ch) < 32 for ch in text(event, "SUMMARY"))


def test_session_crossing_a_dst_change_lasts_what_was_chosen() -> None:
    # Paris springs forward at 02:00 on 2026-03-29: 01:30 + 2 h is 04:30 on the wall clock.
    crossing = plan(start=datetime(2026, 3, 29, 1, 30, tzinfo=PARIS), duration=timedelta(hours=2))
    calendar, event = parse(build_ics(crossing, now=NOW))
    assert utc(event.end) - utc(event.start) == timedelta(hours=2)
    assert moment(event.end).replace(tzinfo=None) == datetime(2026, 3, 29, 4, 30)
    vtimezone = calendar.timezones[0]
    assert {sub.name for sub in vtimezone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    own_rules = vtimezone.to_tz(lookup_tzid=False)
    for value in (event.start, event.end):
        wall_time = moment(value).replace(tzinfo=None)
        assert wall_time.replace(tzinfo=own_rules).astimezone(UTC) == utc(value)


def test_a_repeated_wall_time_is_written_so_it_means_the_same_instant() -> None:
    # New York falls back at 02:00 on 2026-11-01: 01:30 happens at 05:30 and at 06:30 UTC.
    first = local_start("2026-11-01", "01:30", "America/New_York")
    second = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    new_york = plan(tz="America/New_York", duration=timedelta(minutes=30))
    first_ics = build_ics(dataclasses.replace(new_york, start=first), now=NOW)
    second_ics = build_ics(dataclasses.replace(new_york, start=second), now=NOW)
    assert b"DTSTART;TZID=America/New_York:20261101T013000\r\n" in first_ics
    # RFC 5545 reads a repeated wall time as the first one, so the second is written in UTC.
    assert b"DTSTART:20261101T063000Z\r\n" in second_ics
    assert utc(parse(first_ics)[1].start) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    assert utc(parse(second_ics)[1].start) == second


def test_start_given_in_another_timezone_is_written_in_the_plan_timezone() -> None:
    from_new_york = plan(start=datetime(2026, 12, 3, 9, 30, tzinfo=NEW_YORK))
    ics = build_ics(from_new_york, now=NOW)
    assert b"DTSTART;TZID=Europe/Paris:20261203T153000\r\n" in ics


def test_utc_sessions_are_written_in_utc() -> None:
    ics = build_ics(plan(tz="UTC"), now=NOW)
    assert b"DTSTART:20261203T143000Z\r\n" in ics
    assert b"VTIMEZONE" not in ics


@pytest.mark.parametrize(
    "changes",
    [
        {"start": datetime(2026, 12, 3, 15, 30)},
        {"duration": timedelta(0)},
        {"duration": timedelta(hours=25)},
        {"sequence": -1},
        {"tz": "Mars/Olympus_Mons"},
        {"tz": "../../etc/passwd"},
    ],
)
def test_session_plan_refuses(changes: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        plan(**changes)


def test_build_refuses_a_naive_now_a_bad_url_or_domain() -> None:
    with pytest.raises(ValueError):
        build_ics(plan(), now=datetime(2026, 1, 1))
    with pytest.raises(ValueError):
        build_ics(plan(url="javascript:alert(1)"), now=NOW)
    with pytest.raises(ValueError):
        build_ics(plan(), domain="rex local", now=NOW)


def test_local_start_reads_the_wall_time_in_the_clickers_timezone() -> None:
    start = local_start("2026-12-03", "15:30", "Europe/Paris")
    assert start == datetime(2026, 12, 3, 14, 30, tzinfo=UTC)
    assert start.tzinfo == PARIS
    assert local_start("2026-12-03", "09:30", "America/New_York") == start


def test_local_start_refuses_a_time_skipped_by_dst() -> None:
    with pytest.raises(ValueError, match="does not exist"):
        local_start("2026-03-29", "02:30", "Europe/Paris")
    with pytest.raises(ValueError, match="does not exist"):
        local_start("2026-03-08", "02:00", "America/New_York")


def test_local_start_takes_the_first_of_two_ambiguous_times() -> None:
    # New York falls back at 02:00 on 2026-11-01: 01:30 happens in EDT, then in EST.
    start = local_start("2026-11-01", "01:30", "America/New_York")
    assert start.fold == 0
    assert start.astimezone(UTC) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("date_str", "time_str", "tz"),
    [
        ("2026-1-3", "09:30", "Europe/Paris"),
        ("20261203", "09:30", "Europe/Paris"),
        ("2026-12-03", "9:30", "Europe/Paris"),
        ("2026-12-03", "09:30:00", "Europe/Paris"),
        ("2026-02-30", "09:30", "Europe/Paris"),
        ("2026-12-03", "24:00", "Europe/Paris"),
        ("2026-12-03", "09:30", "Not/AZone"),
        ("2026-12-03", "09:30", ""),
    ],
)
def test_local_start_refuses(date_str: str, time_str: str, tz: str) -> None:
    with pytest.raises(ValueError):
        local_start(date_str, time_str, tz)


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("https://meet.google.com/abc-defg-hij", "https://meet.google.com/abc-defg-hij"),
        ("  HTTPS://Meet.Google.com/ABC?pwd=x#y  ", "https://meet.google.com/ABC?pwd=x#y"),
        ("http://zoom.us/j/123", "https://zoom.us/j/123"),
        ("www.example.org", "https://www.example.org"),
        ("meet.google.com/abc-defg-hij", "https://meet.google.com/abc-defg-hij"),
        ("zoom.us/j/123?pwd=abc", "https://zoom.us/j/123?pwd=abc"),
        ("meet.jit.si", "https://meet.jit.si"),
        ("https://meet.example.com:8443/room", "https://meet.example.com:8443/room"),
        ("https://bücher.example/straße", "https://xn--bcher-kva.example/stra%C3%9Fe"),
        ("https://x.example/<b>|x", "https://x.example/%3Cb%3E%7Cx"),
    ],
)
def test_parse_place_recognises_links(text: str, url: str) -> None:
    assert parse_place(text) == (None, url)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("javascript:alert(1)", "only http and https"),
        ("data:text/html,<script>", "only http and https"),
        ("ftp://files.example.org/x", "only http and https"),
        ("http://", "no host"),
        ("https:///path", "no host"),
        ("http:example.com", "no host"),
        ("https://meet.example.com/a room", "spaces"),
        ("www.example .org", "spaces"),
        ("https://user:secret@example.org", "user name or password"),
        ("https://evil.example\\@good.example", "user name or password"),
        ("https://localhost/room", "domain name"),
        ("https://exa_mple.org", "domain name"),
        ("https://example.org:99999", "port"),
        ("https://example.org/" + "a" * 500, "at most 500"),
    ],
)
def test_parse_place_refuses_bad_links(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_place(text)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Room 4.12", "Room 4.12"),
        ("  Café   de Flore,\t2e étage ", "Café de Flore, 2e étage"),
        ("会議室 3", "会議室 3"),
        ("Salle:B12", "Salle:B12"),
        ("St.Pierre", "St.Pierre"),
        ("zoom.us", "zoom.us"),
        ("JavaScript: the good parts", "JavaScript: the good parts"),
        ("Cafe\u0301", "Café"),
        ("<!channel> lobby", "<!channel> lobby"),
        ("line\nbreak", "line break"),
        ("p" * PLACE_MAX, "p" * PLACE_MAX),
    ],
)
def test_parse_place_keeps_places(text: str, place: str) -> None:
    assert parse_place(text) == (place, None)


@pytest.mark.parametrize("text", ["", "   ", "\t"])
def test_parse_place_blank_is_neither(text: str) -> None:
    assert parse_place(text) == (None, None)


@pytest.mark.parametrize("text", ["a\x00b", "bell\x07", "ab\u202edc", "p" * (PLACE_MAX + 1)])
def test_parse_place_refuses_bad_places(text: str) -> None:
    with pytest.raises(ValueError):
        parse_place(text)


def test_whose_night_a_session_falls_in() -> None:
    start = datetime(2026, 12, 3, 21, 30, tzinfo=UTC)  # 22:30 Paris, 16:30 New York
    people = [("Ada", "Europe/Paris"), ("Nina", "America/New_York"), ("Kenji", "Asia/Tokyo")]
    assert night_for(start, people) == [("Ada", "22:30"), ("Kenji", "06:30")]
    assert night_for(datetime(2026, 12, 3, 20, 0, tzinfo=UTC), people[:1]) == []  # 21:00
