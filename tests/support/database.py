"""Databases for tests and benchmarks: emptied between uses, scratch ones, the outbox's
backlog, and due work seeded the way a round leaves it."""

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Engine, func, text
from sqlmodel import Session, SQLModel, col, select

from storage.db import make_engine, migrate
from storage.models import DueWork, Exchange, Lesson, Member, WorkKind, utcnow

SEED_CHUNK = 500  # rows flushed at once, so a benchmark's large seed stays small in memory


def wipe(engine: Engine) -> None:
    """Empty every table so each test starts from nothing."""
    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))


@contextmanager
def scratch_database(url: str | None, prefix: str = "rex-bench-") -> Iterator[str]:
    """A new SQLite file, or the given database migrated and emptied (it must be a scratch
    one)."""
    if url is None:
        with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
            yield f"sqlite:///{tmp}/rex.db"
        return
    engine = make_engine(url)
    migrate(engine)
    wipe(engine)
    engine.dispose()
    yield url


def backlog(engine: Engine, kind: WorkKind | None = None, *, due_by: datetime | None = None) -> int:
    """Outbox rows not sent yet: of one kind if given, due by a time if given (a follow-up's
    reminder, days ahead, is not due)."""
    query = select(func.count()).select_from(DueWork).where(col(DueWork.done_at).is_(None))
    if kind is not None:
        query = query.where(DueWork.kind == kind)
    if due_by is not None:
        query = query.where(col(DueWork.due_at) <= due_by)
    with Session(engine) as session:
        return session.exec(query).one()


def seed_due_work(
    engine: Engine, count: int, kind: WorkKind = WorkKind.INTRO, *, now: datetime | None = None
) -> list[str]:
    """`count` pair exchanges with an intro (or the teacher's follow-up) due now, as a round
    leaves them; returns the Slack ids (teachers `UT…`, learners `UL…`) Slack must know."""
    now = now or utcnow()
    users: list[str] = []
    with Session(engine) as session:
        for first in range(0, count, SEED_CHUNK):
            chunk = range(first, min(first + SEED_CHUNK, count))
            pairs = [(Member(slack_id=f"UT{i:06d}"), Member(slack_id=f"UL{i:06d}")) for i in chunk]
            found = [Exchange(created_at=now) for _ in chunk]
            session.add_all([m for pair in pairs for m in pair])
            session.add_all(found)
            session.flush()
            for (teacher, learner), exchange in zip(pairs, found, strict=True):
                assert teacher.id and learner.id and exchange.id
                session.add(
                    Lesson(
                        exchange_id=exchange.id,
                        teacher_id=teacher.id,
                        learner_id=learner.id,
                        teach_label="Go",
                        learn_label="go",
                    )
                )
                owner = None if kind == WorkKind.INTRO else teacher.id
                session.add(
                    DueWork(kind=kind, exchange_id=exchange.id, member_id=owner, due_at=now)
                )
                users += [teacher.slack_id, learner.slack_id]
            session.flush()
        session.commit()
    return users


@contextmanager
def scratch_postgres(server: str, prefix: str = "rex_scratch") -> Iterator[str]:
    """A new empty database of its own on the PostgreSQL `server`, dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = make_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield server.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
        admin.dispose()
