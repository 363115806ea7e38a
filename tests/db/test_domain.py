"""Domain rules on both databases, without Slack: membership and the exchange loop."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from bot import evaluations, exchanges, members, rounds
from bot.matching.rounds.model import RoundConfig
from bot.text import InvalidInput
from storage import repo
from storage.models import (
    DueWork,
    Evaluation,
    Exchange,
    ExchangeState,
    GoalMet,
    Lesson,
    Member,
    MemberStatus,
    SkillKind,
    WorkKind,
)

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
CONFIG = RoundConfig()


def _join(session: Session, slack_id: str, teach: str, learn: str, when: datetime = NOW) -> None:
    members.join(
        session,
        slack_id=slack_id,
        display_name=slack_id,
        teach=teach.split("\n"),
        learn=learn.split("\n"),
        agreed=True,
        now=when,
    )
    session.commit()


def test_join_validates_everything_before_writing(session: Session) -> None:
    with pytest.raises(members.FormErrors) as refused:
        members.join(
            session,
            slack_id="U1",
            display_name="u",
            teach=[],
            learn=["x" * 81],
            agreed=False,
            now=NOW,
        )
    assert refused.value.errors == {
        "teach": ("error.need_teach", {}),
        "learn": ("error.label_too_long", {"max": 80}),
        "agree": ("error.charter", {}),
    }
    assert session.exec(select(Member)).all() == []
    with pytest.raises(members.FormErrors) as crowded:
        members.join(
            session,
            slack_id="U1",
            display_name="u",
            teach=[f"skill {i}" for i in range(16)],
            learn=["x"],
            agreed=True,
            now=NOW,
        )
    assert crowded.value.errors == {"teach": ("error.too_many_skills", {"max": 15})}


def test_rejoining_after_leaving_reactivates_with_the_new_profile(session: Session) -> None:
    _join(session, "U1", "Python", "Excel")
    members.leave(session, slack_id="U1", now=NOW)
    session.commit()
    with pytest.raises(members.NotMember):
        members.add_skill(session, slack_id="U1", kind=SkillKind.TEACH, raw_label="SQL", now=NOW)
    _join(session, "U1", "Go", "Rust")
    profile = members.profile(session, slack_id="U1")
    assert profile is not None and profile.member.status == MemberStatus.ACTIVE
    assert (profile.teach, profile.learn) == (["Go"], ["Rust"])


def test_add_skill_refuses_a_sixteenth_without_writing(session: Session) -> None:
    _join(session, "U1", "\n".join(f"skill {i}" for i in range(15)), "Excel")
    with pytest.raises(InvalidInput, match=r"error.too_many_skills"):
        members.add_skill(
            session, slack_id="U1", kind=SkillKind.TEACH, raw_label="one more", now=NOW
        )
    session.rollback()
    profile = members.profile(session, slack_id="U1")
    assert profile is not None and len(profile.teach) == 15
    assert members.add_skill(
        session, slack_id="U1", kind=SkillKind.TEACH, raw_label="SKILL 3", now=NOW
    ) == ("skill 3", False)


def test_round_pairs_never_self_skips_paused_and_keeps_one_open_exchange(session: Session) -> None:
    _join(session, "UA", "Python", "Public speaking")
    _join(session, "UB", "Public speaking", "Python")
    _join(session, "UC", "Cooking", "Cooking")
    _join(session, "UD", "Python", "Public speaking")
    members.pause(session, slack_id="UD", until=None, now=NOW)
    result = rounds.run_round(session, config=CONFIG, now=NOW)
    session.commit()
    people = {m for e in result.exchanges for m in e.members}
    assert people == {"UA", "UB"}
    lessons = session.exec(select(Lesson)).all()
    assert all(lesson.teacher_id != lesson.learner_id for lesson in lessons)
    intros = session.exec(select(DueWork).where(DueWork.kind == WorkKind.INTRO)).all()
    assert len(intros) == len(result.exchanges) and all(w.due_at == NOW for w in intros)
    again = rounds.run_round(session, config=CONFIG, now=NOW + timedelta(days=7))
    assert again.exchanges == ()


def test_a_declined_pair_can_be_proposed_again_a_held_one_waits_for_the_cooldown(
    session: Session,
) -> None:
    _join(session, "UA", "Python", "Public speaking")
    _join(session, "UB", "Public speaking", "Python")
    first = rounds.run_round(session, config=CONFIG, now=NOW)
    session.commit()
    [exchange] = session.exec(select(Exchange)).all()
    assert exchange.id is not None and len(first.exchanges) == 1
    exchanges.decline(session, exchange_id=exchange.id, slack_id="UA", now=NOW)
    session.commit()
    retry = rounds.run_round(session, config=CONFIG, now=NOW + timedelta(days=1))
    session.commit()
    assert len(retry.exchanges) == 1
    second = session.exec(select(Exchange).where(Exchange.id != exchange.id)).one()
    assert second.id is not None
    exchanges.mark_met(session, exchange_id=second.id, slack_id="UB", now=NOW + timedelta(days=2))
    session.commit()
    soon = rounds.run_round(session, config=CONFIG, now=NOW + timedelta(days=30))
    assert soon.exchanges == ()


def _held_exchange(session: Session) -> int:
    _join(session, "UA", "Python", "Public speaking")
    _join(session, "UB", "Public speaking", "Python")
    rounds.run_round(session, config=CONFIG, now=NOW)
    session.commit()
    exchange = session.exec(select(Exchange)).first()
    assert exchange is not None and exchange.id is not None
    return exchange.id


def test_evaluate_once_per_person_and_only_participants(session: Session) -> None:
    exchange_id = _held_exchange(session)

    def evaluate(slack_id: str, hours: float = 1.0) -> bool:
        return evaluations.evaluate(
            session,
            exchange_id=exchange_id,
            slack_id=slack_id,
            satisfaction=4,
            goal_met=GoalMet.YES,
            hours=hours,
            comment=" merci ",
            now=NOW,
        )

    assert evaluate("UA")
    assert not evaluate("UA")
    with pytest.raises(exchanges.ExchangeGone, match=r"exchange.not_yours"):
        evaluate("UZ")
    with pytest.raises(InvalidInput, match=r"error.hours"):
        evaluate("UB", hours=101.0)
    session.commit()
    [evaluation] = session.exec(select(Evaluation)).all()
    assert evaluation.comment == "merci"
    exchange = session.get(Exchange, exchange_id)
    assert exchange is not None and exchange.state == ExchangeState.HELD


def test_schedule_moves_follow_ups_after_the_session(session: Session) -> None:
    exchange_id = _held_exchange(session)
    exchanges.intro_sent(
        session, exchange_id=exchange_id, channel_id="G1", ts="1.0", now=NOW, followup_days=7
    )
    when = NOW + timedelta(days=2)
    with pytest.raises(InvalidInput, match=r"error.date_past"):
        exchanges.schedule(
            session, exchange_id=exchange_id, slack_id="UA", when=NOW - timedelta(hours=1), now=NOW
        )
    exchanges.schedule(session, exchange_id=exchange_id, slack_id="UA", when=when, now=NOW)
    session.commit()
    followups = repo.pending_work(session, exchange_id=exchange_id, kind=WorkKind.FOLLOWUP)
    assert len(followups) == 2
    assert {w.due_at for w in followups} == {when + timedelta(hours=1)}


def test_a_round_reads_who_can_meet_from_the_profiles(session: Session) -> None:
    """Languages ticked, else the Slack locale's (and Rex's language); mode, site and the
    timezone's offset at the round's time."""
    members.join(
        session,
        slack_id="UFR",
        display_name="fr",
        teach=["Python"],
        learn=["Excel"],
        agreed=True,
        now=NOW,
        preference="in_person",
        site=" Toulouse ",
    )
    _join(session, "UDE", "Excel", "Python")
    _join(session, "UEN", "Go", "Rust")
    for slack_id, locale, tz in (
        ("UFR", "fr-FR", "Europe/Paris"),
        ("UDE", "de-DE", "Asia/Tokyo"),
        ("UEN", None, None),
    ):
        member = repo.get_member(session, slack_id=slack_id)
        assert member is not None
        member.locale, member.tz = locale, tz
        session.add(member)
    members.update_profile(
        session,
        slack_id="UEN",
        teach=["Go"],
        learn=["Rust"],
        bio=None,
        languages=["es", "en"],
        preference="remote",
        now=NOW,
    )
    session.commit()
    plan = rounds.round_input(session, config=CONFIG, now=NOW)
    got = {c.id: (sorted(c.languages), c.mode, c.site, c.utc_offset) for c in plan.candidates}
    assert got == {
        "UFR": (["fr"], "in_person", "Toulouse", 60),
        "UDE": (["de", "en"], "either", None, 540),  # Rex writes to them in English
        "UEN": (["en", "es"], "remote", None, None),
    }
    # French only and German-or-English: the round leaves them apart, and says why
    result = rounds.run_round(session, config=CONFIG, now=NOW)
    assert result.exchanges == ()
    assert {u.id: u.reason_code for u in result.unmatched}["UDE"] == "no_shared_language"
