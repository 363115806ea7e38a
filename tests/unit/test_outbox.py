"""The outbox's payloads: written by their type, read back strictly, and the JSON of rows
already queued in deployed databases still read."""

from datetime import UTC, date, datetime

import pytest

from bot import outbox
from storage.models import DueWork, WorkKind

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
MONDAY = date(2026, 11, 30)


def _row(kind: WorkKind, payload: str | None) -> DueWork:
    return DueWork(id=1, kind=kind, due_at=NOW, payload=payload)


NOTICE = outbox.UnmatchedNotice(
    reason="teachers_elsewhere",
    skill="Pottery",
    demand=2,
    languages=("fr", "en"),
    sites=("Lyon",),
    teachers=1,
)


@pytest.mark.parametrize(
    ("kind", "payload"),
    [
        (WorkKind.UNMATCHED, NOTICE),
        (WorkKind.REPORT, outbox.ProblemReport(text="They never came.\nTwice.")),
        (WorkKind.AUTO_PAUSED, outbox.AutoPaused(count=3)),
        (WorkKind.INVITATION, outbox.SessionVersion(sequence=2)),
        (WorkKind.REMINDER, outbox.SessionVersion(sequence=2)),
        (WorkKind.UNINVITE, outbox.SessionVersion(sequence=2)),
    ],
)
def test_a_payload_reads_back_as_written(kind: WorkKind, payload: outbox.Payload) -> None:
    assert type(payload).of(_row(kind, payload.to_json())) == payload


def test_a_digest_period_reads_back_as_written() -> None:
    period = outbox.DigestPeriod(until=MONDAY, weeks=4)
    read = outbox.DigestPeriod.queued(
        _row(WorkKind.DIGEST, period.to_json()), week_before_due=NOW.date()
    )
    assert read == period


# The JSON each writer put in rows before the outbox had types: literally, key for key.
def test_the_json_of_rows_already_queued_is_read() -> None:
    unmatched = (
        '{"reason": "teachers_elsewhere", "skill": "Pottery", "demand": 2, '
        '"languages": ["fr", "en"], "sites": ["Lyon"], "teachers": 1}'
    )
    assert outbox.UnmatchedNotice.of(_row(WorkKind.UNMATCHED, unmatched)) == NOTICE
    no_skill = (
        '{"reason": "nothing_to_teach", "skill": null, "demand": 0, '
        '"languages": [], "sites": [], "teachers": 0}'
    )
    assert outbox.UnmatchedNotice.of(_row(WorkKind.UNMATCHED, no_skill)).skill is None
    before_sites = '{"reason": "nobody_teaches", "skill": "Pottery", "demand": 3}'
    assert outbox.UnmatchedNotice.of(_row(WorkKind.UNMATCHED, before_sites)) == (
        outbox.UnmatchedNotice(reason="nobody_teaches", skill="Pottery", demand=3)
    )
    report = outbox.ProblemReport.of(_row(WorkKind.REPORT, '{"text": "Rude."}'))
    assert report.text == "Rude."
    assert outbox.AutoPaused.of(_row(WorkKind.AUTO_PAUSED, '{"count": 3}')).count == 3
    for kind in (WorkKind.INVITATION, WorkKind.REMINDER, WorkKind.UNINVITE):
        assert outbox.SessionVersion.of(_row(kind, '{"sequence": 4}')).sequence == 4
    digest = _row(WorkKind.DIGEST, '{"until": "2026-11-30", "weeks": 13}')
    assert outbox.DigestPeriod.queued(digest, week_before_due=NOW.date()) == outbox.DigestPeriod(
        until=MONDAY, weeks=13
    )


def test_a_digest_queued_before_periods_were_weeks_reports_the_week_before_it() -> None:
    legacy = _row(WorkKind.DIGEST, '{"days": 7}')
    assert outbox.DigestPeriod.queued(legacy, week_before_due=MONDAY) == outbox.DigestPeriod(
        until=MONDAY, weeks=1
    )


@pytest.mark.parametrize(
    "payload",
    [
        None,
        "",
        "not json",
        "[3]",
        "{}",
        '{"counts": 3}',  # a misspelt key
        '{"count": 3, "extra": 1}',
        '{"count": "3"}',
        '{"count": true}',
        '{"count": null}',
    ],
)
def test_a_payload_not_as_written_raises(payload: str | None) -> None:
    with pytest.raises(outbox.PayloadError):
        outbox.AutoPaused.of(_row(WorkKind.AUTO_PAUSED, payload))


def test_a_payload_is_read_only_for_its_own_kind() -> None:
    with pytest.raises(outbox.PayloadError):
        outbox.SessionVersion.of(_row(WorkKind.REPORT, '{"sequence": 1}'))
    with pytest.raises(outbox.PayloadError):
        outbox.DigestPeriod.queued(_row(WorkKind.REPORT, '{"days": 7}'), week_before_due=MONDAY)


def test_lists_and_dates_are_checked_too() -> None:
    wrong = NOTICE.to_json().replace('["Lyon"]', "[1]")
    with pytest.raises(outbox.PayloadError):
        outbox.UnmatchedNotice.of(_row(WorkKind.UNMATCHED, wrong))
    with pytest.raises(outbox.PayloadError):
        outbox.DigestPeriod.queued(
            _row(WorkKind.DIGEST, '{"until": "last monday", "weeks": 1}'), week_before_due=MONDAY
        )
