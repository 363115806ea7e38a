"""People's data rights: export everything Rex stores about someone, or erase it while
keeping the network's totals (exchanges, hours, ratings) right."""

from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, update
from sqlmodel import Session, col, select

from bot.members import NotMember, cancel_open_exchanges
from storage import repo
from storage.models import (
    Avoidance,
    DueWork,
    Evaluation,
    MeetingPreference,
    MemberStatus,
)


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export(session: Session, *, slack_id: str) -> dict[str, Any]:
    """Everything stored about a member, as JSON-ready data (their own comments included)."""
    member = repo.get_member(session, slack_id=slack_id)
    if member is None or member.id is None:
        raise NotMember(slack_id)
    exchanges = []
    for exchange in repo.exchanges_of(session, member_id=member.id):
        assert exchange.id is not None
        lessons = repo.lessons_of(session, exchange_id=exchange.id)
        people = repo.get_members(session, ids=repo.participant_ids(lessons))
        exchanges.append(
            {
                "id": exchange.id,
                "kind": exchange.kind,
                "state": exchange.state,
                "introduced_at": _when(exchange.created_at),
                "scheduled_at": _when(exchange.scheduled_at),
                "held_at": _when(exchange.held_at),
                "lessons": [
                    {
                        "teacher": people[x.teacher_id].slack_id,
                        "learner": people[x.learner_id].slack_id,
                        "teach": x.teach_label,
                        "learn": x.learn_label,
                    }
                    for x in lessons
                ],
            }
        )
    evaluations = session.exec(select(Evaluation).where(Evaluation.member_id == member.id)).all()
    return {
        "member": {
            "slack_id": member.slack_id,
            "name": member.display_name,
            "status": member.status,
            "joined_at": _when(member.joined_at),
            "charter_agreed_at": _when(member.charter_agreed_at),
            "paused_until": _when(member.paused_until),
            "bio": member.bio,
            "languages": [code for code in member.languages.split(",") if code],
            "meeting_preference": member.preference,
            "site": member.site,
            "timezone": member.tz,
            "locale": member.locale,
        },
        "skills": [
            {
                "kind": s.kind,
                "label": s.label,
                "level": s.level,
                "note": s.note,
                "added_at": _when(s.created_at),
            }
            for s in repo.skills_of(session, member_id=member.id)
        ],
        "avoid": repo.avoided_by(session, member_id=member.id),
        "exchanges": exchanges,
        "evaluations": [
            {
                "exchange_id": e.exchange_id,
                "satisfaction": e.satisfaction,
                "goal_met": e.goal_met,
                "hours": e.hours,
                "comment": e.comment,
                "given_at": _when(e.created_at),
            }
            for e in evaluations
        ],
    }


def forget(session: Session, *, slack_id: str, now: datetime) -> None:
    """Erase a member: profile, skills, avoid lists (theirs and others' mentions of them),
    comments and pending messages go; the member row stays as an anonymous placeholder so
    past exchanges, hours and ratings still add up."""
    member = repo.get_member(session, slack_id=slack_id)
    if member is None or member.id is None:
        raise NotMember(slack_id)
    cancel_open_exchanges(session, member_id=member.id, now=now)
    session.execute(
        delete(Avoidance).where(
            or_(col(Avoidance.member_id) == member.id, col(Avoidance.avoided_slack_id) == slack_id)
        )
    )
    for skill in repo.skills_of(session, member_id=member.id):
        session.delete(skill)
    session.execute(
        update(Evaluation).where(col(Evaluation.member_id) == member.id).values(comment=None)
    )
    session.execute(
        delete(DueWork).where(col(DueWork.member_id) == member.id, col(DueWork.done_at).is_(None))
    )
    session.execute(
        update(DueWork).where(col(DueWork.member_id) == member.id).values(last_error=None)
    )
    member.slack_id = f"forgotten-{member.id}"
    member.display_name = ""
    member.status = MemberStatus.LEFT
    member.left_at = now
    member.paused_until = None
    member.bio = None
    member.languages = ""
    member.preference = MeetingPreference.EITHER
    member.site = None
    member.tz = member.locale = None
    member.slack_synced_at = None
    session.add(member)
    session.flush()
