"""Membership rules: joining with reciprocity, keeping a profile, pausing and leaving."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from bot.matching import normalize
from bot.text import InvalidInput, clean_label, clean_labels
from storage import repo
from storage.models import ExchangeState, Member, MemberStatus, Skill, SkillKind

MAX_SKILLS = 15


@dataclass(frozen=True)
class Profile:
    member: Member
    teach: list[str]
    learn: list[str]

    @property
    def complete(self) -> bool:
        """Reciprocity: only someone who both teaches and learns can be matched."""
        return bool(self.teach) and bool(self.learn)


@dataclass
class FormErrors(Exception):
    """Field-level refusals for a modal: field name -> (message key, parameters)."""

    errors: dict[str, tuple[str, dict[str, object]]] = field(default_factory=dict)

    def add(self, name: str, key: str, **params: object) -> None:
        self.errors.setdefault(name, (key, params))


class NotMember(Exception):
    """The person has not joined (or has left)."""


def profile(session: Session, *, slack_id: str) -> Profile | None:
    member = repo.get_member(session, slack_id=slack_id)
    if member is None or member.id is None:
        return None
    skills = repo.skills_of(session, member_id=member.id)
    return Profile(
        member=member,
        teach=[s.label for s in skills if s.kind == SkillKind.TEACH],
        learn=[s.label for s in skills if s.kind == SkillKind.LEARN],
    )


def _labels(raw: str | None, name: str, errors: FormErrors) -> list[str]:
    try:
        labels = clean_labels(raw)
    except InvalidInput as exc:
        errors.add(name, exc.key, **exc.params)
        return []
    if len(labels) > MAX_SKILLS:
        errors.add(name, "error.too_many_skills", max=MAX_SKILLS)
    return labels


def join(
    session: Session,
    *,
    slack_id: str,
    display_name: str,
    teach_text: str | None,
    learn_text: str | None,
    agreed: bool,
    now: datetime,
) -> Profile:
    """Join (or come back): everything is validated before anything is written."""
    errors = FormErrors()
    teach = _labels(teach_text, "teach", errors)
    learn = _labels(learn_text, "learn", errors)
    if not teach and "teach" not in errors.errors:
        errors.add("teach", "error.need_teach")
    if not learn and "learn" not in errors.errors:
        errors.add("learn", "error.need_learn")
    if not agreed:
        errors.add("agree", "error.charter")
    if errors.errors:
        raise errors
    member = repo.get_member(session, slack_id=slack_id)
    if member is None:
        member = Member(slack_id=slack_id, joined_at=now, charter_agreed_at=now)
    member.display_name = display_name[:120]
    member.status = MemberStatus.ACTIVE
    member.charter_agreed_at = now
    member.left_at = None
    repo.save(session, member)
    assert member.id is not None
    repo.delete_skills(session, member_id=member.id)
    for kind, labels in ((SkillKind.TEACH, teach), (SkillKind.LEARN, learn)):
        _add_labels(session, member_id=member.id, kind=kind, labels=labels, now=now)
    session.flush()
    return Profile(member=member, teach=teach, learn=learn)


def _add_labels(
    session: Session, *, member_id: int, kind: SkillKind, labels: list[str], now: datetime
) -> list[str]:
    """Add labels not yet present once normalised; return the ones added."""
    present = {s.normalized for s in repo.skills_of(session, member_id=member_id) if s.kind == kind}
    added: list[str] = []
    for label in labels:
        key = normalize(label) or label.casefold()
        if key in present:
            continue
        present.add(key)
        session.add(
            Skill(member_id=member_id, kind=kind, label=label, normalized=key, created_at=now)
        )
        added.append(label)
    return added


def add_skill(
    session: Session, *, slack_id: str, kind: SkillKind, raw_label: str, now: datetime
) -> tuple[str, bool]:
    """Add one skill; returns the cleaned label and whether it was new.

    Raises `InvalidInput` for a bad label or when the profile is full, `NotMember` when
    the person has not joined.
    """
    label = clean_label(raw_label)
    current = profile(session, slack_id=slack_id)
    if current is None or current.member.status == MemberStatus.LEFT:
        raise NotMember(slack_id)
    existing = current.teach if kind == SkillKind.TEACH else current.learn
    if any(normalize(e) == normalize(label) for e in existing):
        return label, False
    if len(existing) >= MAX_SKILLS:
        raise InvalidInput("error.too_many_skills", max=MAX_SKILLS)
    assert current.member.id is not None
    _add_labels(session, member_id=current.member.id, kind=kind, labels=[label], now=now)
    session.flush()
    return label, True


def set_status(session: Session, *, slack_id: str, status: MemberStatus, now: datetime) -> Member:
    """Pause, resume or leave. Leaving closes the member's open exchanges."""
    member = repo.get_member(session, slack_id=slack_id)
    if member is None or member.id is None or member.status == MemberStatus.LEFT:
        raise NotMember(slack_id)
    member.status = status
    if status == MemberStatus.LEFT:
        member.left_at = now
        for exchange in repo.exchanges_of(session, member_id=member.id):
            if exchange.state in repo.OPEN_STATES:
                exchange.state = ExchangeState.CANCELLED
                exchange.closed_at = now
                session.add(exchange)
    session.add(member)
    session.flush()
    return member
