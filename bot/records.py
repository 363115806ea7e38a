"""Learning records: the sessions people held, as training time an employer can count.

Slack-free. One `LearningRecord` per lesson per held session (see `learning_records`),
exported as CSV for spreadsheets and HR tools, or as xAPI 1.0.3 statements for a Learning
Record Store; `attestation` gives a member their own hours per skill. Evaluations are
private: no rating, goal or comment is ever read here.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any, NamedTuple
from urllib.parse import quote

from sqlalchemy import ColumnElement, and_, case, func, or_, select, type_coerce
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from bot.matching import key_of, skill_name, skill_names
from storage import repo
from storage.models import Evaluation, Exchange, Lesson, Member, UtcDateTime

# Statement ids and registrations are UUIDs in this namespace (and the workspace's URL).
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://rex.local")

# `bot.privacy.forget` leaves this placeholder in place of an erased member's Slack id.
FORGOTTEN_PREFIX = "forgotten-"
# "attended": the learner was present at a session with an instructor, for a duration.
# "completed" would claim the skill itself was finished after one session, and
# "experienced" is for content merely viewed; neither is what an hour with a peer is.
VERB_ID = "http://adlnet.gov/expapi/verbs/attended"
ACTIVITY_TYPE = "http://adlnet.gov/expapi/activities/lesson"
# Before a CSV file's first byte: Excel then reads it as UTF-8, accented names and all.
EXCEL_BOM = "\ufeff"

CSV_HEADER = (
    "exchange_id",
    "session",
    "held_at",
    "learner_slack_id",
    "learner_name",
    "teacher_slack_id",
    "teacher_name",
    "skill",
    "teacher_wording",
    "learner_wording",
    "hours",
)


@dataclass(frozen=True)
class LearningRecord:
    """One learner's session with one teacher. A Slack id is None once that member was
    erased (their name is then empty): the hours stay true, the person does not."""

    exchange_id: int
    session_number: int
    held_at: datetime
    learner_slack_id: str | None
    learner_name: str
    teacher_slack_id: str | None
    teacher_name: str
    skill: str  # the teacher's label
    learner_wording: str  # what the learner asked for
    hours: float


class SkillHours(NamedTuple):
    skill: str
    taught: float
    learned: float


def learning_records(session: Session, *, since: datetime, until: datetime) -> list[LearningRecord]:
    """The records of sessions held in [since, until) (aware datetimes), oldest first.

    A session (an exchange's `session_number`) counts as held once anyone in the exchange
    evaluated it, whatever the exchange's state now; sessions nobody evaluated are not
    training time. Each of its lessons gives a record when that lesson's learner or
    teacher evaluated the session (in a group, a learner nobody vouches for gives none).
    `held_at` is the session's own time when Rex knows it (the exchange's `scheduled_at`
    for its current session, `held_at` for a first session) unless that is after the
    session's first evaluation, which is used otherwise. `hours` are the learner's, else
    the teacher's. No rating, goal or comment: an employer's file says who learned what
    from whom, when and for how long; what people thought of it is theirs, and managers
    see it only in the digest's aggregates.
    """
    return _records(session, since=since, until=until)


def attestation(session: Session, *, slack_id: str) -> list[SkillHours]:
    """A member's hours taught and learned per skill, all time, for `/rex me hours`.

    Counted exactly as the export counts them, so what a member shows their employer
    agrees with the admins' file. Spellings of one skill are merged under the member's
    latest wording (theirs: their teach label as a teacher, learn label as a learner).
    """
    member = repo.get_member(session, slack_id=slack_id)
    if member is None or member.id is None:
        return []
    labels: dict[str, str] = {}
    hours: dict[str, list[float]] = {}
    for record in _records(session, member_id=member.id):  # oldest first: latest label wins
        taught = record.teacher_slack_id == slack_id
        label = record.skill if taught else record.learner_wording
        key = key_of(label)
        labels[key] = label
        hours.setdefault(key, [0.0, 0.0])[0 if taught else 1] += record.hours
    return sorted(
        (SkillHours(labels[key], round(t, 2), round(le, 2)) for key, (t, le) in hours.items()),
        key=lambda row: row.skill.casefold(),
    )


def to_csv(records: Sequence[LearningRecord], *, tz: tzinfo = UTC, language: str = "en") -> str:
    """RFC 4180 CSV with a header: ISO 8601 times in `tz`, hours with a dot and two
    decimals, empty cells for what is unknown, the skill by its one name in `language`
    beside both people's wordings. Text cells that a spreadsheet would run as a formula
    (=, +, -, @) get a leading apostrophe: labels are typed by members."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for r in records:
        writer.writerow(
            (
                r.exchange_id,
                r.session_number,
                r.held_at.astimezone(tz).isoformat(timespec="seconds"),
                _cell(r.learner_slack_id or ""),
                _cell(r.learner_name),
                _cell(r.teacher_slack_id or ""),
                _cell(r.teacher_name),
                _cell(skill_name(r.skill, language)),
                _cell(r.skill),
                _cell(r.learner_wording),
                f"{r.hours:.2f}",
            )
        )
    return out.getvalue()


def public_base(public_url: str | None, workspace_url: str) -> str:
    """Where Rex's IRIs (activities, extensions) live: REX_PUBLIC_URL, else a path under
    the workspace's own URL ("https://acme.slack.com/rex"). They identify; they need not
    resolve."""
    return (public_url or f"{workspace_url.rstrip('/')}/rex").rstrip("/")


def to_xapi(records: Sequence[LearningRecord], *, homepage: str, base: str) -> list[dict[str, Any]]:
    """xAPI 1.0.3 statements, one per record with a learner (an erased one has no actor).

    `homepage` is the workspace's URL (from `auth.test`): people's accounts live there;
    `base` is where Rex's IRIs live (see `public_base`).

    - `id` is a UUID derived from the homepage, exchange, session and learner, so an LRS
      receiving a re-export ignores statements it already has (it answers 409 Conflict
      if one changed since: a learner evaluating after their teacher, say).
    - The object is the skill (one activity per normalised skill, so an LRS aggregates
      every session of it); the learner's wording goes in a context extension.
    - `result` says how long and that the session took place (`duration`, `completion`):
      never a score, success or goal, which an LMS would read as the learner's grade;
      evaluations stay private (see `learning_records`).
    - `context.registration` groups the sessions of one exchange.
    """
    iris: dict[str, str] = {}
    statements = []
    for r in records:
        if r.learner_slack_id is None:
            continue
        if r.skill not in iris:
            iris[r.skill] = f"{base}/skills/{quote(key_of(r.skill), safe='')}"
        result = {"duration": iso_duration(r.hours), "completion": True}
        context: dict[str, Any] = {
            "registration": str(uuid.uuid5(_NAMESPACE, f"{homepage}|{r.exchange_id}")),
            "platform": "Rex",
            "extensions": {
                f"{base}/xapi/session": r.session_number,
                f"{base}/xapi/learner-wording": r.learner_wording,
            },
        }
        if r.teacher_slack_id is not None:
            context["instructor"] = _agent(homepage, r.teacher_slack_id)
        key = f"{homepage}|{r.exchange_id}|{r.session_number}|{r.learner_slack_id}"
        statements.append(
            {
                "id": str(uuid.uuid5(_NAMESPACE, key)),
                "actor": _agent(homepage, r.learner_slack_id),
                "verb": {"id": VERB_ID, "display": {"en-US": "attended"}},
                "object": {
                    "objectType": "Activity",
                    "id": iris[r.skill],
                    "definition": {"name": _names(r.skill), "type": ACTIVITY_TYPE},
                },
                "result": result,
                "context": context,
                "timestamp": r.held_at.astimezone(UTC).isoformat(timespec="seconds"),
            }
        )
    return statements


def xapi_json(records: Sequence[LearningRecord], *, homepage: str, base: str) -> str:
    """The statements as one JSON list, a statement a line: what an LRS's POST takes,
    and still readable with grep."""
    statements = to_xapi(records, homepage=homepage, base=base)
    lines = (json.dumps(s, ensure_ascii=False) for s in statements)
    return "[\n" + ",\n".join(lines) + "\n]\n"


def iso_duration(hours: float) -> str:
    """ISO 8601 duration to the second ("PT1H30M"), in hours not days (a day is not 24 h
    of training)."""
    seconds = round(hours * 3600)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    parts = (f"{h}H" if h else "") + (f"{m}M" if m else "") + (f"{s}S" if s else "")
    return "PT" + (parts or "0S")


def _names(wording: str) -> dict[str, str]:
    """An activity's name as an xAPI language map: the skill's canonical names, each
    under its own language, or the teacher's wording, whose language nobody knows
    ("und", RFC 5646)."""
    return skill_names(wording) or {"und": wording}


def _agent(homepage: str, slack_id: str) -> dict[str, Any]:
    return {"objectType": "Agent", "account": {"homePage": homepage, "name": slack_id}}


def _cell(text: str) -> str:
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def _person(slack_id: str) -> str | None:
    return None if slack_id.startswith(FORGOTTEN_PREFIX) else slack_id


def _records(
    session: Session,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    member_id: int | None = None,
) -> list[LearningRecord]:
    """Records in one query (sessions, lessons, people and both evaluations joined), in a
    window or for one member."""
    first_evaluated = func.min(col(Evaluation.created_at))
    held = select(
        col(Evaluation.exchange_id),
        col(Evaluation.session_number),
        first_evaluated.label("first_evaluated"),
    ).group_by(col(Evaluation.exchange_id), col(Evaluation.session_number))
    if since is not None:  # held_at is never after the first evaluation: skip older sessions
        held = held.having(first_evaluated >= since)
    sessions = held.subquery("held_session")
    own_time = case(
        (
            and_(
                sessions.c.session_number == col(Exchange.session_number),
                col(Exchange.scheduled_at).is_not(None),
            ),
            col(Exchange.scheduled_at),
        ),
        (sessions.c.session_number == 1, col(Exchange.held_at)),
    )
    held_at: ColumnElement[datetime] = type_coerce(
        case((own_time < sessions.c.first_evaluated, own_time), else_=sessions.c.first_evaluated),
        UtcDateTime(),
    )
    teacher, learner = aliased(Member), aliased(Member)
    by_teacher, by_learner = aliased(Evaluation), aliased(Evaluation)

    def evaluation_of(evaluation: type[Evaluation], member: Any) -> ColumnElement[bool]:
        return and_(
            col(evaluation.exchange_id) == sessions.c.exchange_id,
            col(evaluation.session_number) == sessions.c.session_number,
            col(evaluation.member_id) == member,
        )

    query = (
        select(
            sessions.c.exchange_id,
            sessions.c.session_number,
            held_at,
            col(learner.slack_id),
            col(learner.display_name),
            col(teacher.slack_id),
            col(teacher.display_name),
            col(Lesson.teach_label),
            col(Lesson.learn_label),
            col(by_learner.hours),
            col(by_teacher.hours),
        )
        .select_from(sessions)
        .join(Exchange, col(Exchange.id) == sessions.c.exchange_id)
        .join(Lesson, col(Lesson.exchange_id) == sessions.c.exchange_id)
        .join(teacher, col(teacher.id) == col(Lesson.teacher_id))
        .join(learner, col(learner.id) == col(Lesson.learner_id))
        .outerjoin(by_learner, evaluation_of(by_learner, col(Lesson.learner_id)))
        .outerjoin(by_teacher, evaluation_of(by_teacher, col(Lesson.teacher_id)))
        .where(or_(col(by_learner.id).is_not(None), col(by_teacher.id).is_not(None)))
        .order_by(held_at, sessions.c.exchange_id, sessions.c.session_number, col(Lesson.id))
    )
    if since is not None:
        query = query.where(held_at >= since)
    if until is not None:
        query = query.where(held_at < until)
    if member_id is not None:
        query = query.where(
            or_(col(Lesson.teacher_id) == member_id, col(Lesson.learner_id) == member_id)
        )
    return [
        LearningRecord(
            exchange_id=exchange_id,
            session_number=number,
            held_at=when,
            learner_slack_id=_person(learner_slack),
            learner_name=learner_name,
            teacher_slack_id=_person(teacher_slack),
            teacher_name=teacher_name,
            skill=teach,
            learner_wording=learn,
            hours=float(learner_hours if learner_hours is not None else teacher_hours),
        )
        for (
            exchange_id,
            number,
            when,
            learner_slack,
            learner_name,
            teacher_slack,
            teacher_name,
            teach,
            learn,
            learner_hours,
            teacher_hours,
        ) in session.connection().execute(query)
    ]
