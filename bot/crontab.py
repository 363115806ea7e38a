"""Crontab lines as APScheduler triggers: the usual five fields, or six with seconds first
(`*/10 * * * * *`), which only tests and benchmarks need to make minutes pass quickly."""

from datetime import datetime, timedelta, tzinfo

from apscheduler.triggers.cron import CronTrigger

FIELDS = ("second", "minute", "hour", "day", "month", "day_of_week")


def cron_trigger(expression: str, tz: tzinfo) -> CronTrigger:
    """The trigger of a crontab line; ValueError (saying why) when it is not one."""
    fields = expression.split()
    if len(fields) == 5:
        fields = ["0", *fields]
    if len(fields) != 6:
        raise ValueError(
            f"{expression!r} is not a crontab line: 5 fields (minute hour day month weekday), "
            "e.g. '0 8 * * mon'"
        )
    try:
        return CronTrigger(**dict(zip(FIELDS, fields, strict=True)), timezone=tz)
    except ValueError as exc:
        raise ValueError(f"{expression!r} is not a crontab line: {exc}") from exc


def next_after(trigger: CronTrigger, moment: datetime) -> datetime:
    """The trigger's first time strictly after `moment`."""
    following: datetime | None = trigger.get_next_fire_time(
        None, moment + timedelta(microseconds=1)
    )
    if following is None:  # a crontab always has a next time; a trigger with an end may not
        raise ValueError("this schedule has no next time")
    return following
