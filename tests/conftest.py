"""Shared fixtures: a database per backend (SQLite and a real PostgreSQL), and the clock."""

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bot.offline.fakeslack import FakeSlack
from bot.offline.sandbox import ManualClock, Sandbox
from storage.db import make_engine, migrate
from tests.support.database import scratch_postgres, wipe
from tests.support.pgserver import find_pg_bin, postgres_server

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    given = os.environ.get("REX_TEST_POSTGRES")
    if given:
        yield given
        return
    if find_pg_bin() is None:
        reason = "PostgreSQL binaries (initdb, pg_ctl) not installed"
        if os.environ.get("REX_TEST_REQUIRE_POSTGRES"):
            pytest.fail(f"{reason}, and REX_TEST_REQUIRE_POSTGRES is set")
        pytest.skip(f"{reason}: PostgreSQL tests skipped")
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'rex.db'}"


def _backend_url(request: pytest.FixtureRequest) -> str:
    name = request.param
    return str(request.getfixturevalue("sqlite_url" if name == "sqlite" else "postgres_url"))


@pytest.fixture(scope="session", params=BACKENDS)
def migrated_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """One migrated database per backend for the whole session."""
    engine = make_engine(_backend_url(request))
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(migrated_engine: Engine) -> Engine:
    wipe(migrated_engine)
    return migrated_engine


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    """A running fake Slack that knows nobody yet: a module overrides this fixture (asking for
    it) to add the people and channels its tests expect."""
    with FakeSlack() as running:
        yield running


@pytest.fixture
def sandbox(engine: Engine) -> Iterator[Sandbox]:
    """The real Rex over HTTP against the fake Slack, on each database backend."""
    with Sandbox(engine=engine, clock=ManualClock(START)) as running:
        for user_id, name in PEOPLE.items():
            running.add_person(user_id, name)
        yield running


PEOPLE = {
    "UADA": "Ada Lovelace",
    "UBOB": "Bob Martin",
    "UCLE": "Clémence Poésy",
    "UDAN": "Dan Abramov",
    "UADMIN": "Alex Admin",
}


@pytest.fixture(params=BACKENDS)
def scratch_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of its own (for migration tests), on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'scratch.db'}"
        return
    with scratch_postgres(str(request.getfixturevalue("postgres_url"))) as url:
        yield url
