"""Engines, sessions and schema migrations for SQLite and PostgreSQL."""

import fcntl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

MIGRATIONS = Path(__file__).with_name("migrations")


def make_engine(url: str, **options: Any) -> Engine:
    """An engine tuned per backend: SQLite gets WAL, a busy timeout and foreign keys."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if not url.startswith("sqlite"):
        # a request holds a connection from its middleware to its listener's end: room for
        # the listener threads (bot.serve.app) and the scheduler's, 30 at most per replica
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20, **options)
    in_memory = url in ("sqlite://", "sqlite:///:memory:")
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 30},
        # an in-memory database lives in one connection: share it; a file's connections are
        # cheap, and a request may hold one until its listener ends
        **({"poolclass": StaticPool} if in_memory else {"pool_size": 10, "max_overflow": 40}),
    )

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            # in WAL mode, NORMAL stays consistent after a crash and spares an fsync per commit
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    if not in_memory:
        _queue_writers(engine)
    return engine


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")


class _Writers:
    """SQLite lets one transaction write at a time, and a writer that finds the database
    busy polls with sleeps of up to 100 ms: under load, writes (an event's first sighting,
    before its ack) wait far longer than the one before them takes. This process's writers
    queue on a lock instead, handed on the moment a write transaction ends. (SQLite is for
    one process, `hold_single_process`; a thread writing on two connections at once is left
    to SQLite, as before.)"""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owner: int | None = None

    def take(self, info: dict[str, Any]) -> None:
        if info.get("rex_writing") or self._owner == threading.get_ident():
            return
        self._lock.acquire()
        self._owner, info["rex_writing"] = threading.get_ident(), True

    def give(self, info: dict[str, Any]) -> None:
        if info.pop("rex_writing", False):
            self._owner = None
            self._lock.release()


def _queue_writers(engine: Engine) -> None:
    writers = _Writers()

    @event.listens_for(engine, "before_cursor_execute")
    def _write_begins(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip()[:7].upper().startswith(WRITES):
            writers.take(conn.info)

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _write_ends(conn: Any) -> None:
        writers.give(conn.info)

    @event.listens_for(engine.pool, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        writers.give(record.info)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, class_=Session, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session for jobs and commands outside a Slack request: commit or roll back."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (idempotent)."""
    command.upgrade(alembic_config(engine), "head")


def is_current(engine: Engine) -> bool:
    """True when the database stands at the newest migration."""
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() == head


def ping(engine: Engine) -> bool:
    """Whether the database answers right now (for /healthz)."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        return False
    return True


class SecondProcess(Exception):
    """Another Rex process already uses this SQLite database."""


def hold_single_process(url: str) -> IO[str] | None:
    """SQLite is for one Rex process: hold a lock file beside the database for as long as
    the process lives (the system drops it when the process dies, even killed), and refuse
    with `SecondProcess` when another process holds it. None for other databases."""
    if not url.startswith("sqlite") or url in ("sqlite://", "sqlite:///:memory:"):
        return None
    path = Path(url.split(":///", 1)[1] if ":///" in url else "rex.db")
    lock = (path.parent / f"{path.name}.lock").open("a")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        raise SecondProcess(
            f"another Rex process already runs on {path}: SQLite is for one process; for "
            "replicas use PostgreSQL (DATABASE_URL=postgresql://user:password@host/rex)"
        ) from None
    return lock
