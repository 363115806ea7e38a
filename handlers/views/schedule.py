"""Scheduling a session: the modal, the invitation and reminder texts, the .ics plan."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.calendar import SessionPlan
from bot.exchanges import ExchangeView
from bot.i18n.messages import t
from handlers.ids import BlockId, CallbackId
from handlers.views.kit import (
    View,
    escape,
    for_everyone,
    input_block,
    mention,
    modal,
    options,
    section,
    text_object,
)
from storage.models import (
    Member,
)

DURATIONS = (30, 45, 60, 90, 120)


@dataclass(frozen=True)
class ScheduleForm:
    """What the schedule form held when submitted, to show it again unchanged."""

    day: str
    clock: str
    duration: str
    place: str


def schedule_modal(
    exchange_id: int,
    lang: str,
    *,
    today: str,
    picked: ScheduleForm | None = None,
    night: Sequence[tuple[str, str]] = (),
) -> View:
    """Date, time in the clicker's own timezone, duration, and a place or a video link.
    Shown again with what was `picked` when the time falls in someone's `night` ((name,
    local time) pairs): it names them and asks to tick a box to keep that time."""
    durations = options([(str(m), t("schedule.minutes", lang, minutes=m)) for m in DURATIONS])
    chosen = picked or ScheduleForm(today, "12:00", str(DURATIONS[2]), "")
    duration = next((o for o in durations if o["value"] == chosen.duration), durations[2])
    place: dict[str, Any] = {
        "type": "plain_text_input",
        "max_length": 500,
        "placeholder": text_object(t("schedule.place_hint", lang)),
    }
    if chosen.place:
        place["initial_value"] = chosen.place
    blocks = [
        input_block(
            BlockId.SCHEDULE_DATE,
            t("schedule.date", lang),
            {"type": "datepicker", "initial_date": chosen.day},
        ),
        input_block(
            BlockId.SCHEDULE_TIME,
            t("schedule.time", lang),
            {"type": "timepicker", "initial_time": chosen.clock},
        ),
        input_block(
            BlockId.SCHEDULE_DURATION,
            t("schedule.duration", lang),
            {"type": "static_select", "options": durations, "initial_option": duration},
        ),
        input_block(BlockId.SCHEDULE_PLACE, t("schedule.place", lang), place, optional=True),
    ]
    if night:
        people = ", ".join(
            t("schedule.night_person", lang, name=escape(name), time=at) for name, at in night
        )
        blocks.append(section(t("schedule.night", lang, people=people)))
        keep = options([("yes", t("schedule.night_keep", lang))])
        blocks.append(
            input_block(
                BlockId.SCHEDULE_NIGHT,
                t("schedule.night_label", lang),
                {"type": "checkboxes", "options": keep},
                optional=True,
            )
        )
    return modal(
        CallbackId.SCHEDULE,
        t("schedule.title", lang),
        t("schedule.submit", lang),
        blocks,
        private_metadata=str(exchange_id),
        lang=lang,
    )


def slack_date(when: datetime, lang: str = "en") -> str:
    """A date Slack shows in each reader's own timezone."""
    stamp = int(when.timestamp())
    fallback = when.strftime("%Y-%m-%d %H:%M UTC")
    tokens = t("date.slack", lang)
    return f"<!date^{stamp}^{tokens}|{fallback}>"


def _place_suffix(view: ExchangeView, lang: str) -> str:
    where = view.exchange.url or view.exchange.place
    return t("schedule.place_suffix", lang, place=escape(where)) if where else ""


def reminder_text(view: ExchangeView, langs: Sequence[str]) -> str:
    when = view.exchange.scheduled_at
    assert when is not None
    return for_everyone(
        langs,
        lambda lang: t(
            "reminder.text",
            lang,
            when=slack_date(when, lang),
            place=_place_suffix(view, lang),
        ),
    )


def invitation_text(view: ExchangeView, organiser: Member | None, langs: Sequence[str]) -> str:
    when = view.exchange.scheduled_at
    assert when is not None
    who = mention(organiser.slack_id) if organiser else "Rex"
    return for_everyone(
        langs,
        lambda lang: t(
            "schedule.done_full",
            lang,
            who=who,
            when=slack_date(when, lang),
            minutes=view.exchange.duration_minutes or 60,
            place=_place_suffix(view, lang),
        ),
    )


def _skills(view: ExchangeView) -> str:
    return " / ".join(dict.fromkeys(lesson.teach_label for lesson in view.lessons))


def session_plan(view: ExchangeView, tz: str | None, lang: str) -> SessionPlan:
    """What the .ics says: the skills, the people, where, in the organiser's timezone."""
    exchange = view.exchange
    assert exchange.scheduled_at is not None
    names = ", ".join(m.display_name or m.slack_id for m in view.members.values())
    return SessionPlan(
        exchange_id=view.id,
        start=exchange.scheduled_at,
        duration=timedelta(minutes=exchange.duration_minutes or 60),
        tz=tz or "UTC",
        title=t("schedule.ics_title", lang, skills=_skills(view)),
        description=t("schedule.ics_description", lang, people=names),
        place=exchange.place,
        url=exchange.url,
        attendees=tuple((m.display_name or m.slack_id, "") for m in view.members.values()),
        sequence=max(exchange.invitation_sequence - 1, 0),
    )
