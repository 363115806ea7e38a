"""Running Rex as a service: /metrics for Prometheus, JSON logs, the retention job, the
migration lock, and the Dockerfile and compose file the README describes."""

import io
import json
import logging
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import yaml
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine, func, text
from sqlmodel import Session, select

from bot.cli.main import configure_logging
from bot.offline.sandbox import Sandbox
from bot.serve.jobs import run_scheduled
from handlers.outbox import delivery
from storage.db import is_current, make_engine
from storage.models import DueWork, SeenEvent, WorkKind
from tests.conftest import START
from tests.processes import clean_env, get

ROOT = Path(__file__).resolve().parents[1]


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
    sandbox.join("UADA", ["Python"], ["Public speaking"])
    sandbox.join("UBOB", ["public speaking"], ["python"])
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


def test_json_logs_are_one_object_per_line() -> None:
    stream = io.StringIO()
    root = logging.getLogger()
    saved = root.handlers[:]
    root.handlers = []
    try:
        configure_logging(json=True)
        handler = root.handlers[0]
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(stream)
        logging.getLogger("rex.delivery").info("intro.sent exchange=%s", 7)
    finally:
        root.handlers = saved
    record = json.loads(stream.getvalue())
    assert record["message"] == "intro.sent exchange=7"
    assert (record["level"], record["logger"]) == ("INFO", "rex.delivery") and record["time"]


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


def test_compose_runs_postgresql_and_two_rex_replicas_after_migrating() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert services["postgres"]["image"].startswith("postgres:")
    replicas = [s for s in services.values() if s.get("command") == ["run"]]
    assert len(replicas) == 2
    for replica in replicas:
        assert replica["build"] == "."
        assert replica["environment"]["DATABASE_URL"].startswith("postgresql://")
        assert replica["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
    assert services["migrate"]["command"] == ["migrate"]
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "pgdata" in compose["volumes"]


def test_the_dockerfile_runs_the_install_script_as_a_non_root_user() -> None:
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    assert "RUN sh scripts/install.sh \\" in lines
    users = [line for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("USER root", "USER 0")
    assert any(line.startswith("HEALTHCHECK") for line in lines)
    assert 'ENTRYPOINT ["rex"]' in lines and 'CMD ["run"]' in lines
