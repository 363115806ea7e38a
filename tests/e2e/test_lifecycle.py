"""End to end: the exchange lifecycle (issue 7): scheduling with invitations, reminders,
not a fit, nudges, expiry and auto-pause, problem reports, and the stored transitions."""

import json
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlmodel import Session, select

from bot import exchanges, rounds
from bot.offline.sandbox import ManualClock, Sandbox
from handlers.ids import ActionId, BlockId, CallbackId
from handlers.outbox import delivery
from storage.models import Evaluation, Exchange, ExchangeEvent, ExchangeState, Member, MemberStatus
from tests.conftest import PEOPLE
from tests.support.slack import exchange, introduce_pair

# A Monday morning in Paris (UTC+1 in winter).
START = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


@pytest.fixture
def lifecycle_sandbox(engine: Any) -> Any:
    with Sandbox(
        engine=engine, clock=ManualClock(START), rex_managers_channel="CMANAGERS"
    ) as running:
        running.fake.add_channel("CMANAGERS", "rex-managers", members=[running.fake.bot_user_id])
        for user_id, name in PEOPLE.items():
            running.add_person(user_id, name)
        running.fake.add_user(
            "UNYC", "nina", real_name="Nina York", tz="America/New_York", locale="en-US"
        )
        yield running


def _events(sandbox: Sandbox) -> list[tuple[str | None, str]]:
    with Session(sandbox.rex.engine) as session:
        rows = session.exec(select(ExchangeEvent).order_by(ExchangeEvent.id)).all()  # type: ignore[arg-type]
        return [(e.from_state, e.to_state) for e in rows]


def _schedule(
    sandbox: Sandbox,
    user: str,
    channel: str,
    intro: dict[str, Any],
    day: str,
    time: str,
    place: str = "",
    minutes: str = "60",
) -> Any:
    sandbox.click(user, ActionId.SCHEDULE, channel, intro["ts"])
    return sandbox.submit(
        user,
        {
            BlockId.SCHEDULE_DATE: day,
            BlockId.SCHEDULE_TIME: time,
            BlockId.SCHEDULE_DURATION: minutes,
            BlockId.SCHEDULE_PLACE: place,
        },
    )


def test_schedule_sends_an_invitation_in_the_schedulers_timezone_and_a_reminder(
    lifecycle_sandbox: Sandbox,
) -> None:
    sandbox = lifecycle_sandbox
    channel, intro = introduce_pair(sandbox, learner="UNYC")
    refused = _schedule(sandbox, "UADA", channel, intro, "2026-11-29", "10:00")
    assert refused.json is not None and BlockId.SCHEDULE_DATE in refused.json["errors"]
    bad_link = _schedule(
        sandbox, "UADA", channel, intro, "2026-12-03", "15:30", place="javascript:alert(1)"
    )
    assert bad_link.json is not None
    assert bad_link.json["errors"][BlockId.SCHEDULE_PLACE].startswith("That link doesn't")
    ok = _schedule(
        sandbox,
        "UADA",
        channel,
        intro,
        "2026-12-03",
        "15:30",
        place="meet.example.com/rex-42",
        minutes="90",
    )
    assert ok.status == 200 and not ok.body
    start = datetime(2026, 12, 3, 14, 30, tzinfo=UTC)  # 15:30 in Paris
    message = sandbox.fake.messages(channel)[-1]
    text = json.dumps(message, ensure_ascii=False)
    assert f"<!date^{int(start.timestamp())}^" in text and "for 90 min" in text
    [(first_id, stored)] = sandbox.fake.files.items()
    assert stored.channel == channel and stored.data is not None
    event = next(c for c in Calendar.from_ical(stored.data).walk("VEVENT"))
    assert event.decoded("DTSTART").astimezone(UTC) == start
    assert (
        event.decoded("DTSTART").astimezone(ZoneInfo("America/New_York")).strftime("%H:%M")
        == "09:30"
    )
    assert str(event["URL"]) == "https://meet.example.com/rex-42"
    uid, sequence = str(event["UID"]), int(str(event["SEQUENCE"]))
    # reschedule: the same invitation, a higher sequence
    _schedule(sandbox, "UNYC", channel, intro, "2026-12-04", "09:00")
    [moved] = [f for key, f in sandbox.fake.files.items() if key != first_id]
    assert moved.data is not None
    event2 = next(c for c in Calendar.from_ical(moved.data).walk("VEVENT"))
    assert str(event2["UID"]) == uid and int(str(event2["SEQUENCE"])) > sequence
    assert event2.decoded("DTSTART").astimezone(UTC) == datetime(2026, 12, 4, 14, 0, tzinfo=UTC)
    # the reminder comes 24 h before the (new) time, once
    sandbox.clock.advance(days=3, hours=5)  # Thursday 13:00 UTC, more than 24 h before
    assert delivery.sweep(sandbox.rex).sent == 0
    sandbox.clock.advance(hours=2)
    assert delivery.sweep(sandbox.rex).sent == 1
    assert sandbox.fake.messages(channel)[-1]["text"].startswith("Reminder: your session is")
    assert exchange(sandbox).state == ExchangeState.SCHEDULED
    assert _events(sandbox) == [
        (None, "proposed"),
        ("proposed", "scheduled"),
        ("scheduled", "scheduled"),
    ]


def test_not_a_fit_keeps_the_reason_private_and_frees_both(lifecycle_sandbox: Sandbox) -> None:
    sandbox = lifecycle_sandbox
    channel, intro = introduce_pair(sandbox)
    sandbox.click("UBOB", ActionId.NOT_FIT, channel, intro["ts"])
    view = sandbox.fake.last_view("UBOB")
    assert view is not None and view["callback_id"] == CallbackId.NOT_FIT
    sandbox.submit("UBOB", {BlockId.NOT_FIT_REASON: "She was rude in a meeting once"})
    said = sandbox.fake.messages(channel)[-1]["text"]
    assert said.startswith("<@UBOB> can't take this one on. No problem at all")
    assert "rude" not in json.dumps([c.body for c in sandbox.fake.calls])
    assert exchange(sandbox).state == ExchangeState.DECLINED
    with Session(sandbox.rex.engine) as session:
        [declined] = session.exec(
            select(ExchangeEvent).where(ExchangeEvent.to_state == "declined")
        ).all()
        assert declined.reason == "She was rude in a meeting once"
    sandbox.click("UADA", ActionId.MET, channel, intro["ts"])
    assert sandbox.fake.hook_posts()[-1].body["text"] == "This exchange is closed."
    sandbox.clock.advance(days=20)
    assert delivery.sweep(sandbox.rex).sent == 0  # no follow-up, nudge or expiry after it
    sandbox.command("UADMIN", "admin round")  # it never happened: they may meet again
    assert len([c for c in sandbox.fake.calls_to("conversations.open") if not c.faulted]) == 2


def test_a_silent_intro_is_nudged_once_then_expires(lifecycle_sandbox: Sandbox) -> None:
    sandbox = lifecycle_sandbox
    channel, _ = introduce_pair(sandbox)
    sandbox.clock.advance(days=3, minutes=1)
    delivery.sweep(sandbox.rex)
    texts = [m["text"] for m in sandbox.fake.messages(channel)]
    assert texts[-1].startswith("A gentle nudge, <@")
    assert "<@UADA>" in texts[-1] and "<@UBOB>" in texts[-1]
    sandbox.clock.advance(days=11)
    delivery.sweep(sandbox.rex)
    texts = [m["text"] for m in sandbox.fake.messages(channel)]
    assert sum(t.startswith("A gentle nudge") for t in texts) == 1
    assert texts[-1].startswith("This introduction has expired after 14 days")
    assert exchange(sandbox).state == ExchangeState.EXPIRED


def test_an_intro_someone_acted_on_is_neither_nudged_nor_expired(
    lifecycle_sandbox: Sandbox,
) -> None:
    sandbox = lifecycle_sandbox
    channel, intro = introduce_pair(sandbox)
    sandbox.click("UADA", ActionId.MET, channel, intro["ts"])
    sandbox.clock.advance(days=15)
    delivery.sweep(sandbox.rex)
    texts = [m["text"] for m in sandbox.fake.messages(channel)]
    assert not any(t.startswith(("A gentle nudge", "This introduction has expired")) for t in texts)
    # but its follow-ups went unanswered, even after a reminder: it closed as not evaluated
    assert texts[-1] == "Without news, I've closed this exchange. Thank you all!"
    assert exchange(sandbox).state == ExchangeState.CLOSED


def test_three_expired_intros_in_a_row_pause_a_member_who_chooses_what_next(
    lifecycle_sandbox: Sandbox,
) -> None:
    sandbox = lifecycle_sandbox
    sandbox.join("UADA", ["Python"], ["Public speaking"])
    partners = ["UBOB", "UCLE", "UDAN"]
    for partner in partners:
        sandbox.join(partner, ["public speaking"], ["python"])
    for _ in partners:
        sandbox.command("UADMIN", "admin round")
        sandbox.clock.advance(days=14, minutes=1)
        delivery.sweep(sandbox.rex)
    with Session(sandbox.rex.engine) as session:
        ada = session.exec(select(Member).where(Member.slack_id == "UADA")).one()
        assert ada.status == MemberStatus.PAUSED
        expired = session.exec(select(Exchange)).all()
        assert len(expired) >= 3
        assert {e.state for e in expired} == {ExchangeState.EXPIRED}
    dm = sandbox.fake.dm_channel("UADA")
    notice = next(
        m
        for m in sandbox.fake.messages(dm)
        if m.get("text", "").startswith("Your last 3 introductions expired")
    )
    actions = [e["action_id"] for e in notice["blocks"][-1]["elements"]]
    assert actions == [ActionId.RESUME, ActionId.PAUSE, ActionId.LEAVE]
    sandbox.click("UADA", ActionId.RESUME, dm, notice["ts"])
    with Session(sandbox.rex.engine) as session:
        ada = session.exec(select(Member).where(Member.slack_id == "UADA")).one()
        assert ada.status == MemberStatus.ACTIVE
    sandbox.click("UADA", ActionId.LEAVE, dm, notice["ts"])
    with Session(sandbox.rex.engine) as session:
        ada = session.exec(select(Member).where(Member.slack_id == "UADA")).one()
        assert ada.status == MemberStatus.LEFT


def test_a_problem_report_reaches_the_managers_only(lifecycle_sandbox: Sandbox) -> None:
    sandbox = lifecycle_sandbox
    channel, intro = introduce_pair(sandbox)
    sandbox.click("UBOB", ActionId.REPORT, channel, intro["ts"])
    empty = sandbox.submit("UBOB", {BlockId.REPORT_TEXT: "   "})
    assert empty.json is not None and BlockId.REPORT_TEXT in empty.json["errors"]
    sandbox.submit("UBOB", {BlockId.REPORT_TEXT: "Asked me to do his slides <!channel>"})
    [report] = sandbox.fake.messages("CMANAGERS")
    assert report["text"].startswith(":warning: *Problem reported* by <@UBOB>")
    assert "&lt;!channel&gt;" in report["text"] and "<!channel>" not in report["text"]
    assert not any("slides" in m.get("text", "") for m in sandbox.fake.messages(channel))
    assert any(
        m.get("text", "").startswith("Thank you. Your report went to the community")
        for m in sandbox.fake.messages(sandbox.fake.dm_channel("UBOB"))
    )


def _answer_followup(sandbox: Sandbox, user: str, action: str) -> None:
    dm = sandbox.fake.dm_channel(user)
    message = [
        m for m in sandbox.fake.messages(dm) if m.get("blocks") and "happen?" in m.get("text", "")
    ][-1]
    sandbox.click(user, action, dm, message["ts"])


def _evaluate_session(
    sandbox: Sandbox, user: str, hours: str, *, another: bool = False, teacher: bool = True
) -> None:
    _answer_followup(sandbox, user, ActionId.EVALUATE)
    view = sandbox.fake.last_view(user)
    assert view is not None and view["callback_id"] == CallbackId.EVALUATION
    values: dict[str, Any] = {
        BlockId.EVAL_SATISFACTION: "5",
        BlockId.EVAL_HOURS: hours,
        BlockId.EVAL_GOAL: "yes",
        BlockId.EVAL_ANOTHER: ["yes"] if another else [],
    }
    if teacher:
        values[BlockId.EVAL_USEFUL] = "partly"
    assert sandbox.submit(user, values).status == 200


def test_another_session_keeps_the_exchange_open_and_hours_add_up(
    lifecycle_sandbox: Sandbox,
) -> None:
    sandbox = lifecycle_sandbox
    channel, intro = introduce_pair(sandbox)  # a swap: each teaches and learns
    sandbox.click("UADA", ActionId.MET, channel, intro["ts"])
    _evaluate_session(sandbox, "UADA", "1", another=True)
    _evaluate_session(sandbox, "UBOB", "1.5")
    assert sandbox.fake.messages(channel)[-1]["text"] == (
        "<@UADA> would like another session: pick a time with *Schedule*."
    )
    assert exchange(sandbox).state == ExchangeState.HELD  # not evaluated: more to come
    _schedule(sandbox, "UBOB", channel, intro, "2026-12-08", "10:00")
    again = exchange(sandbox)
    assert (again.state, again.session_number) == (ExchangeState.SCHEDULED, 2)
    sandbox.clock.advance(days=8, hours=3)  # the second session is over
    delivery.sweep(sandbox.rex)
    _evaluate_session(sandbox, "UADA", "2")
    _evaluate_session(sandbox, "UBOB", "2")
    assert exchange(sandbox).state == ExchangeState.EVALUATED
    with Session(sandbox.rex.engine) as session:
        rows = session.exec(select(Evaluation)).all()
        assert sorted((e.session_number, e.hours) for e in rows) == [
            (1, 1.0),
            (1, 1.5),
            (2, 2.0),
            (2, 2.0),
        ]
        assert {e.useful for e in rows} == {"partly"} and {e.goal_met for e in rows} == {"yes"}


def test_did_it_happen_not_yet_reschedules_and_wont_happen_cancels(
    lifecycle_sandbox: Sandbox,
) -> None:
    sandbox = lifecycle_sandbox
    channel, _ = introduce_pair(sandbox)
    sandbox.clock.advance(days=7, minutes=1)
    delivery.sweep(sandbox.rex)
    _answer_followup(sandbox, "UBOB", ActionId.NOT_YET)
    view = sandbox.fake.last_view("UBOB")
    assert view is not None and view["callback_id"] == CallbackId.SCHEDULE
    _answer_followup(sandbox, "UADA", ActionId.WONT_HAPPEN)
    assert exchange(sandbox).state == ExchangeState.CANCELLED
    assert sandbox.fake.messages(channel)[-1]["text"].startswith(
        "<@UADA> says it won't happen this time."
    )
    sandbox.clock.advance(days=10)
    assert delivery.sweep(sandbox.rex).sent == 0  # no reminder, no closing note


def test_wont_happen_is_told_to_the_group_in_each_of_its_languages(
    lifecycle_sandbox: Sandbox,
) -> None:
    sandbox = lifecycle_sandbox
    channel, _ = introduce_pair(sandbox)
    sandbox.command("UBOB", "language fr")
    sandbox.clock.advance(days=7, minutes=1)
    delivery.sweep(sandbox.rex)
    _answer_followup(sandbox, "UADA", ActionId.WONT_HAPPEN)
    told = sandbox.fake.messages(channel)[-1]["text"]
    assert "<@UADA> says it won't happen this time." in told
    assert "<@UADA> indique que ça ne se fera pas cette fois." in told


def test_with_approval_on_intros_wait_for_the_managers(lifecycle_sandbox: Sandbox) -> None:
    sandbox = lifecycle_sandbox
    assert sandbox.command("UADA", "admin approval on") == ["Only Rex admins can do that."]
    [on] = sandbox.command("UADMIN", "admin approval on")
    assert on.startswith("Approval is on")
    sandbox.join("UADA", ["Python"], ["Public speaking"])
    sandbox.join("UBOB", ["public speaking"], ["python"])
    sandbox.join("UCLE", ["Public speaking"], ["Python"])
    sandbox.command("UADMIN", "admin round")
    assert sandbox.fake.calls_to("conversations.open") == []  # nothing sent yet
    proposals = sandbox.fake.messages("CMANAGERS")
    assert proposals and all(m["text"].startswith("*Proposal") for m in proposals)
    first = proposals[0]
    actions = [e["action_id"] for e in first["blocks"][-1]["elements"]]
    assert actions == [ActionId.APPROVE, ActionId.SWAP_OUT, ActionId.REJECT]
    sandbox.click("UADA", ActionId.APPROVE, "CMANAGERS", first["ts"])  # not an admin
    assert sandbox.fake.calls_to("conversations.open") == []
    sandbox.click("UADMIN", ActionId.APPROVE, "CMANAGERS", first["ts"])
    assert len(sandbox.fake.calls_to("conversations.open")) == 1
    assert sandbox.fake.messages("CMANAGERS")[0]["text"].startswith("Approved by <@UADMIN>")
    with Session(sandbox.rex.engine) as session, pytest.raises(exchanges.ExchangeGone):
        rounds.approve(
            session, exchange_id=_exchange_ids(sandbox)[0], manager_id="UADMIN", now=sandbox.clock()
        )  # a second approval changes nothing


def _exchange_ids(sandbox: Sandbox) -> list[int]:
    with Session(sandbox.rex.engine) as session:
        return sorted(e.id for e in session.exec(select(Exchange)).all() if e.id is not None)


def test_swap_out_proposes_someone_else_and_reject_tells_nobody(
    lifecycle_sandbox: Sandbox,
) -> None:
    sandbox = lifecycle_sandbox
    sandbox.command("UADMIN", "admin approval on")
    sandbox.join("UADA", ["Python"], ["Cooking"])
    sandbox.join("UBOB", ["Cooking"], ["python"])
    sandbox.join("UCLE", ["python"], ["Gardening"])
    sandbox.command("UADMIN", "admin round")
    [proposal] = sandbox.fake.messages("CMANAGERS")
    sandbox.click("UADMIN", ActionId.SWAP_OUT, "CMANAGERS", proposal["ts"])
    texts = [m["text"] for m in sandbox.fake.messages("CMANAGERS")]
    assert texts[0].startswith("Swapped out by <@UADMIN>: 1 new proposal(s) follow.")
    [again] = sandbox.fake.messages("CMANAGERS")[1:]
    assert "<@UCLE>" in json.dumps(again["blocks"])  # the other Python teacher
    sandbox.click("UADMIN", ActionId.REJECT, "CMANAGERS", again["ts"])
    assert sandbox.fake.messages("CMANAGERS")[1]["text"].startswith("Rejected by <@UADMIN>")
    assert sandbox.fake.calls_to("conversations.open") == []
    with Session(sandbox.rex.engine) as session:
        states = sorted(e.state for e in session.exec(select(Exchange)).all())
    assert states == ["cancelled", "cancelled"]


def test_a_time_in_someones_night_is_confirmed_first(lifecycle_sandbox: Sandbox) -> None:
    """07:30 in Paris is 01:30 for Nina in New York: the form comes back naming her and her
    time, with what was picked; ticking the box keeps it."""
    sandbox = lifecycle_sandbox
    channel, intro = introduce_pair(sandbox, learner="UNYC")
    asked = _schedule(sandbox, "UADA", channel, intro, "2026-12-03", "07:30", place="Room 4")
    assert asked.json is not None and asked.json["response_action"] == "update"
    assert exchange(sandbox).scheduled_at is None and not sandbox.fake.files
    form = sandbox.fake.last_view("UADA")
    assert form is not None
    shown = json.dumps(form["blocks"], ensure_ascii=False)
    assert "for Nina York (01:30 for them)." in shown  # Ada's 07:30 is daytime
    assert '"initial_time": "07:30"' in shown and '"initial_value": "Room 4"' in shown
    kept = sandbox.submit("UADA", {BlockId.SCHEDULE_NIGHT: ["yes"]})
    assert kept.status == 200 and not kept.body
    assert exchange(sandbox).scheduled_at == datetime(2026, 12, 3, 6, 30, tzinfo=UTC)
