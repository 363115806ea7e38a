"""Storage on both backends: migrations without drift, atomic claims, UTC round trips."""

import threading
from datetime import UTC, datetime, timedelta

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text
from sqlmodel import Session, SQLModel, select

from storage import repo
from storage.db import alembic_config, is_current, make_engine, migrate, session_factory
from storage.models import Exchange, Lesson, Member, WorkKind

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_migrations_match_models(engine: Engine) -> None:
    migrate(engine)  # idempotent
    assert is_current(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        drift = compare_metadata(context, SQLModel.metadata)
    assert drift == [], f"models and migrations differ: {drift}"


def _exchange(session: Session) -> int:
    """A fresh pair exchange between two new members."""
    count = len(session.exec(select(Member)).all())
    a = Member(slack_id=f"U{count}", display_name="Ada")
    b = Member(slack_id=f"U{count + 1}", display_name="Bob")
    session.add_all([a, b])
    session.flush()
    exchange = Exchange()
    session.add(exchange)
    session.flush()
    assert a.id and b.id and exchange.id
    session.add(
        Lesson(
            exchange_id=exchange.id,
            teacher_id=a.id,
            learner_id=b.id,
            teach_label="Python",
            learn_label="python",
        )
    )
    return exchange.id


def test_timestamps_come_back_aware_utc(session: Session) -> None:
    member = Member(slack_id="U1", joined_at=NOW)
    session.add(member)
    session.commit()
    session.expire_all()
    loaded = repo.get_member(session, slack_id="U1")
    assert loaded is not None
    assert loaded.joined_at == NOW
    assert loaded.joined_at.tzinfo is not None


def test_claim_takes_due_rows_once_and_respects_the_lease(session: Session) -> None:
    for minutes in (0, 1, 60):
        repo.add_due_work(
            session,
            kind=WorkKind.INTRO,
            exchange_id=_exchange(session),
            member_id=None,
            due_at=NOW + timedelta(minutes=minutes),
        )
    session.commit()
    lease = timedelta(minutes=5)
    first = repo.claim_due_work(
        session, now=NOW + timedelta(minutes=2), worker="w1", limit=10, lease=lease
    )
    session.commit()
    assert len(first) == 2
    again = repo.claim_due_work(
        session, now=NOW + timedelta(minutes=3), worker="w2", limit=10, lease=lease
    )
    assert again == []
    # w1 died: after the lease its rows are taken again, with the attempt counted
    later = repo.claim_due_work(
        session, now=NOW + timedelta(minutes=30), worker="w2", limit=10, lease=lease
    )
    session.commit()
    assert sorted(w.id for w in later if w.id) == sorted(w.id for w in first if w.id)
    assert all(w.attempts == 2 and w.claimed_by == "w2" for w in later)
    for work in later:
        assert work.id is not None
        repo.finish_work(session, work_id=work.id, now=NOW)
    session.commit()
    assert repo.claim_due_work(
        session, now=NOW + timedelta(hours=3), worker="w3", limit=10, lease=lease
    )[0].due_at == NOW + timedelta(minutes=60)


def test_concurrent_claims_never_share_a_row(engine: Engine) -> None:
    factory = session_factory(engine)
    with factory() as session:
        for _ in range(200):
            exchange = Exchange()
            session.add(exchange)
            session.flush()
            assert exchange.id is not None
            repo.add_due_work(
                session, kind=WorkKind.FOLLOWUP, exchange_id=exchange.id, member_id=None, due_at=NOW
            )
        session.commit()
    taken: dict[str, list[int]] = {}

    def worker(name: str) -> None:
        mine: list[int] = []
        while True:
            with factory() as session:
                rows = repo.claim_due_work(
                    session, now=NOW, worker=name, limit=7, lease=timedelta(minutes=5)
                )
                session.commit()
            if not rows:
                break
            mine.extend(r.id for r in rows if r.id is not None)
        taken[name] = mine

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [i for ids in taken.values() for i in ids]
    assert len(everything) == 200
    assert len(set(everything)) == 200


def test_seen_events_are_recorded_once(session: Session) -> None:
    assert repo.first_sighting(session, event_id="Ev1")
    session.commit()
    assert not repo.first_sighting(session, event_id="Ev1")


def test_migrations_upgrade_a_populated_database_and_downgrade(scratch_url: str) -> None:
    engine = make_engine(scratch_url)
    config = alembic_config(engine)
    command.upgrade(config, "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO member (slack_id, display_name, status, joined_at, charter_agreed_at)"
                " VALUES ('U1', 'Ada', 'active', '2026-01-01', '2026-01-01')"
            )
        )
    command.upgrade(config, "head")
    assert is_current(engine)
    with Session(engine) as session:
        member = repo.get_member(session, slack_id="U1")
        assert member is not None
        assert (member.languages, member.preference, member.paused_until) == ("", "either", None)
    command.downgrade(config, "base")
    with engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() is None
    engine.dispose()
