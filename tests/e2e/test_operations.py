"""Running Rex as a service: /metrics for Prometheus, the retention job, and the migration
lock with several `rex migrate` at once."""

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine, func, text
from sqlmodel import Session, select

from bot.offline.sandbox import Sandbox
from bot.serve.jobs import run_scheduled
from handlers.outbox import delivery
from storage.db import is_current, make_engine
from storage.models import DueWork, SeenEvent, WorkKind
from tests.conftest import START
from tests.support.http import get
from tests.support.processes import clean_env
from tests.support.slack import join_pair


def _metrics(sandbox: Sandbox) -> dict[str, float]:
    status, body = get(f"{sandbox.url}/metrics")
    assert status == 200
    return {
        f"{sample.name}{json.dumps(sample.labels, sort_keys=True) if sample.labels else ''}": (
            sample.value
        )
        for family in text_string_to_metric_families(body.decode())
        for sample in family.samples
    }


def test_metrics_count_messages_429s_backlog_rounds_and_members(sandbox: Sandbox) -> None:
    join_pair(sandbox)
    before = _metrics(sandbox)
    assert before["rex_members_active"] == 2
    assert before["rex_outbox_backlog"] == 0 and before["rex_slack_token_ok"] == 1
    sandbox.fake.inject("chat.postMessage", status=429, retry_after=0)
    sandbox.clock.advance(days=7)  # past the weekly round's due time
    run_scheduled(sandbox.rex, "round")  # first sight of the job: due next Monday
    sandbox.clock.advance(days=7)
    assert run_scheduled(sandbox.rex, "round")
    due = _metrics(sandbox)
    assert due["rex_outbox_backlog"] == 1
    assert (
        due["rex_round_duration_seconds_count"]
        == before.get("rex_round_duration_seconds_count", 0) + 1
    )
    sandbox.clock.advance(minutes=2)
    assert due["rex_outbox_oldest_due_age_seconds"] >= 0
    delivery.sweep(sandbox.rex)
    after = _metrics(sandbox)
    intro = '{"kind": "intro"}'
    assert (
        after[f"rex_messages_sent_total{intro}"]
        == before.get(f"rex_messages_sent_total{intro}", 0) + 1
    )
    limited = '{"method": "chat.postMessage"}'
    assert after[f"rex_slack_rate_limited_total{limited}"] >= 1
    assert after["rex_outbox_backlog"] == 0 and after["rex_outbox_oldest_due_age_seconds"] == 0


def test_the_retention_job_forgets_old_events_and_sent_messages(
    sandbox: Sandbox, engine: Engine
) -> None:
    now = START
    with Session(engine) as session:
        session.add_all(
            [
                SeenEvent(event_id="Ev_old", seen_at=now - timedelta(days=91)),
                SeenEvent(event_id="Ev_new", seen_at=now - timedelta(days=1)),
                DueWork(kind=WorkKind.NUDGE, due_at=now, done_at=now - timedelta(days=100)),
                DueWork(kind=WorkKind.NUDGE, due_at=now, done_at=now - timedelta(days=2)),
                DueWork(kind=WorkKind.NUDGE, due_at=now - timedelta(days=200)),  # never sent
            ]
        )
        session.commit()
    run_scheduled(sandbox.rex, "retention")  # first sight: due tonight
    sandbox.clock.advance(days=1)
    assert run_scheduled(sandbox.rex, "retention")
    with Session(engine) as session:
        assert session.exec(select(SeenEvent.event_id)).all() == ["Ev_new"]
        assert session.exec(select(func.count()).select_from(DueWork)).one() == 2


def test_replicas_migrating_at_once_are_safe(scratch_url: str, tmp_path: Path) -> None:
    """Three `rex migrate` at once on one empty database (PostgreSQL: they take turns under
    an advisory lock); on SQLite, one process as ever."""
    count = 1 if scratch_url.startswith("sqlite") else 3
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "bot", "migrate"],
            cwd=tmp_path,
            env=clean_env(DATABASE_URL=scratch_url),
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    outcomes = [(run.wait(timeout=120), run.communicate()[1]) for run in runs]
    assert all(code == 0 for code, _ in outcomes), outcomes
    engine = make_engine(scratch_url)
    assert is_current(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    engine.dispose()
