"""How Rex is deployed: JSON logs one object per line, and the Dockerfile and compose file
the README describes."""

import io
import json
import logging
from pathlib import Path

import yaml

from bot.cli.main import configure_logging

ROOT = Path(__file__).resolve().parents[2]


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
