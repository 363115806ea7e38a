"""Storage on both backends: migrations without drift, atomic claims, UTC round trips."""

import threading
from datetime import UTC, datetime, timedelta

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlmodel import Session, SQLModel, select

from bot.matching import key_of
from storage import repo
from storage.db import alembic_config, is_current, make_engine, migrate, session_factory
from storage.models import DueWork, Evaluation, Exchange, Lesson, Member, WorkKind

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
        session.add(
            DueWork(
                kind=WorkKind.INTRO,
                exchange_id=_exchange(session),
                due_at=NOW + timedelta(minutes=minutes),
            )
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
            session.add(DueWork(kind=WorkKind.FOLLOWUP, exchange_id=exchange.id, due_at=NOW))
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
    assert repo.first_sighting(session, event_id="Ev1", now=NOW)
    session.commit()
    assert not repo.first_sighting(session, event_id="Ev1", now=NOW)


def test_digest_migrations_fill_in_roles_participants_and_skills(scratch_url: str) -> None:
    """0007 to 0009 derive each evaluation's roles, each exchange's participants and each
    lesson's skill key from the lessons already stored: a swap (both teach and learn) and a
    group of two learners."""
    engine = make_engine(scratch_url)
    config = alembic_config(engine)
    command.upgrade(config, "0006")
    with engine.begin() as connection:
        for i, name in enumerate(("Ada", "Bob", "Cleo"), start=1):
            connection.execute(
                text(
                    "INSERT INTO member (id, slack_id, display_name, status, joined_at, "
                    "charter_agreed_at, languages, preference, language, leaderboard) VALUES "
                    f"({i}, 'U{i}', '{name}', 'active', '2026-01-01', '2026-01-01', '', "
                    "'either', '', false)"
                )
            )
        for exchange_id, kind, lessons in (
            (1, "swap", ((1, 2), (2, 1))),
            (2, "group", ((1, 2), (1, 3))),
        ):
            connection.execute(
                text(
                    "INSERT INTO exchange (id, kind, state, created_at, invitation_sequence, "
                    f"session_number) VALUES ({exchange_id}, '{kind}', 'held', '2026-01-02', 0, 1)"
                )
            )
            for teacher, learner in lessons:
                connection.execute(
                    text(
                        "INSERT INTO lesson (exchange_id, teacher_id, learner_id, teach_label, "
                        f"learn_label, score) VALUES ({exchange_id}, {teacher}, {learner}, 'Go', "
                        "'Go', 90)"
                    )
                )
        for exchange_id, member_id in ((1, 1), (2, 1), (2, 3)):
            connection.execute(
                text(
                    "INSERT INTO evaluation (exchange_id, member_id, session_number, satisfaction,"
                    f" another_session, hours, created_at) VALUES ({exchange_id}, {member_id}, 1,"
                    " 5, false, 1, '2026-01-03')"
                )
            )
    command.upgrade(config, "head")
    with Session(engine) as session:
        roles = {
            (e.exchange_id, e.member_id): (e.as_learner, e.as_teacher)
            for e in session.exec(select(Evaluation)).all()
        }
        assert roles == {(1, 1): (True, True), (2, 1): (False, True), (2, 3): (True, False)}
        participants = {x.id: x.participants for x in session.exec(select(Exchange)).all()}
        assert participants == {1: 2, 2: 3}
        assert {lesson.teach_key for lesson in session.exec(select(Lesson)).all()} == {key_of("Go")}
    engine.dispose()


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


def test_the_site_migration_keeps_members_and_round_trips_any_text(scratch_url: str) -> None:
    """0010 adds `member.site` (empty for everyone) and takes it away again."""
    engine = make_engine(scratch_url)
    config = alembic_config(engine)
    command.upgrade(config, "0009")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO member (slack_id, display_name, status, joined_at, charter_agreed_at,"
                " languages, preference, leaderboard) VALUES ('U1', 'Ada', 'active', "
                "'2026-01-01', '2026-01-01', 'fr', 'in_person', false)"
            )
        )
    command.upgrade(config, "head")
    with Session(engine) as session:
        member = repo.get_member(session, slack_id="U1")
        assert member is not None and member.site is None
        member.site = "Saint-Étienne – La Terrasse 🏢"
        session.add(member)
        session.commit()
        session.expire_all()
        again = repo.get_member(session, slack_id="U1")
        assert again is not None and again.site == "Saint-Étienne – La Terrasse 🏢"
    command.downgrade(config, "0009")
    with engine.connect() as connection:
        columns = {c["name"] for c in inspect(connection).get_columns("member")}
    assert "site" not in columns and "preference" in columns
    command.upgrade(config, "head")
    assert is_current(engine)
    engine.dispose()
