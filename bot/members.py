"""Membership rules: joining with reciprocity, keeping a profile, pausing, avoiding, leaving."""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot import lifecycle
from bot.i18n.l10n import language_of_member
from bot.i18n.messages import N_
from bot.matching import key_of
from bot.matching.meeting import language_code
from bot.text import InvalidInput, clean_label, clean_text
from storage import repo
from storage.models import (
    BIO_MAX,
    NOTE_MAX,
    SITE_MAX,
    Avoidance,
    ExchangeState,
    LearnLevel,
    MeetingPreference,
    Member,
    MemberStatus,
    Skill,
    SkillKind,
    TeachLevel,
)

MAX_SKILLS = 15
MAX_PAUSE = timedelta(days=366)
# Languages people can exchange in, offered in the profile modal (ISO 639-1).
LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "ar", "zh", "ja", "hi", "ru", "pl", "tr")
LEVELS: dict[SkillKind, tuple[str, ...]] = {
    SkillKind.TEACH: tuple(TeachLevel),
    SkillKind.LEARN: tuple(LearnLevel),
}


@dataclass(frozen=True)
class Profile:
    member: Member
    skills: list[Skill]
    avoided: list[str] = field(default_factory=list)

    def of_kind(self, kind: SkillKind) -> list[Skill]:
        return [s for s in self.skills if s.kind == kind]

    @property
    def teach(self) -> list[str]:
        return [s.label for s in self.of_kind(SkillKind.TEACH)]

    @property
    def learn(self) -> list[str]:
        return [s.label for s in self.of_kind(SkillKind.LEARN)]

    @property
    def missing(self) -> list[SkillKind]:
        """Reciprocity: what keeps this member from being matched."""
        return [kind for kind in SkillKind if not self.of_kind(kind)]

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass
class FormErrors(Exception):
    """Field-level refusals for a modal: field name -> (message key, parameters)."""

    errors: dict[str, tuple[str, dict[str, object]]] = field(default_factory=dict)

    def add(self, name: str, key: str, **params: object) -> None:
        self.errors.setdefault(name, (key, params))

    def raise_if_any(self) -> None:
        if self.errors:
            raise self


class NotMember(Exception):
    """The person has not joined (or has left)."""


def profile(session: Session, *, slack_id: str) -> Profile | None:
    member = repo.get_member(session, slack_id=slack_id)
    if member is None or member.id is None:
        return None
    return Profile(
        member=member,
        skills=repo.skills_of(session, member_id=member.id),
        avoided=repo.avoided_by(session, member_id=member.id),
    )


def _member(session: Session, slack_id: str) -> Member:
    member = repo.get_member(session, slack_id=slack_id)
    if member is None or member.id is None or member.status == MemberStatus.LEFT:
        raise NotMember(slack_id)
    return member


def _labels(raw: Sequence[str], name: str, errors: FormErrors) -> list[str]:
    """Clean a list of labels, merging those that are the same skill once normalised."""
    labels: dict[str, str] = {}
    for item in raw:
        try:
            label = clean_label(item)
        except InvalidInput as exc:
            errors.add(name, exc.key, **exc.params)
            continue
        labels.setdefault(key_of(label), label)
    if len(labels) > MAX_SKILLS:
        errors.add(name, "error.too_many_skills", max=MAX_SKILLS)
    return list(labels.values())


def _details(
    errors: FormErrors, bio: str | None, languages: Sequence[str], preference: str | None
) -> tuple[str | None, str, MeetingPreference]:
    try:
        clean_bio = clean_text(bio or "", max_length=BIO_MAX) or None
    except InvalidInput as exc:
        errors.add("bio", exc.key, **exc.params)
        clean_bio = None
    chosen = ",".join(code for code in LANGUAGES if code in set(languages))
    try:
        meeting = MeetingPreference(preference or MeetingPreference.EITHER)
    except ValueError:
        errors.add("preference", "error.generic")
        meeting = MeetingPreference.EITHER
    return clean_bio, chosen, meeting


def _site(errors: FormErrors, site: str | None) -> str | None:
    """Where someone works, on one line; None when left empty."""
    try:
        return " ".join(clean_text(site or "", max_length=SITE_MAX).split()) or None
    except InvalidInput as exc:
        errors.add("site", exc.key, **exc.params)
        return None


def spoken_languages(member: Member) -> frozenset[str]:
    """The languages a member can exchange in: those ticked in their profile; else the
    language Rex writes to them in and their Slack locale's (when Rex knows it as an
    exchange language): "fr-FR" → French, "de-DE" → English (Rex's messages) and German."""
    ticked = frozenset(code for code in member.languages.split(",") if code)
    if ticked:
        return ticked
    spoken = {language_of_member(member)}
    locale = language_code(member.locale or "")
    if locale in LANGUAGES:
        spoken.add(locale)
    return frozenset(spoken)


def needs_site(member: Member) -> bool:
    """Meets only in person but gave no site: nobody can be introduced to them."""
    return member.preference == MeetingPreference.IN_PERSON and not member.site


def join(
    session: Session,
    *,
    slack_id: str,
    display_name: str,
    teach: Sequence[str],
    learn: Sequence[str],
    agreed: bool,
    now: datetime,
    bio: str | None = None,
    languages: Sequence[str] = (),
    preference: str | None = None,
    site: str | None = None,
) -> Profile:
    """Join (or come back): everything is validated before anything is written."""
    errors = FormErrors()
    teach_labels = _labels(teach, "teach", errors)
    learn_labels = _labels(learn, "learn", errors)
    if not teach_labels and "teach" not in errors.errors:
        errors.add("teach", N_("error.need_teach"))
    if not learn_labels and "learn" not in errors.errors:
        errors.add("learn", N_("error.need_learn"))
    if not agreed:
        errors.add("agree", N_("error.charter"))
    clean_bio, chosen, meeting = _details(errors, bio, languages, preference)
    clean_site = _site(errors, site)
    errors.raise_if_any()
    member = repo.get_member(session, slack_id=slack_id)
    if member is None:
        member = Member(slack_id=slack_id, joined_at=now, charter_agreed_at=now)
    member.display_name = display_name[:120]
    member.status = MemberStatus.ACTIVE
    member.charter_agreed_at = now
    member.left_at = member.paused_until = None
    member.bio, member.languages, member.preference = clean_bio, chosen, meeting
    member.site = clean_site
    repo.save(session, member)
    assert member.id is not None
    _replace_skills(session, member.id, SkillKind.TEACH, teach_labels, now)
    _replace_skills(session, member.id, SkillKind.LEARN, learn_labels, now)
    session.flush()
    result = profile(session, slack_id=slack_id)
    assert result is not None
    return result


def _replace_skills(
    session: Session, member_id: int, kind: SkillKind, labels: list[str], now: datetime
) -> None:
    """Make the member's skills of a kind exactly `labels`, keeping the level and note of
    the ones that stay."""
    current = {
        key_of(s.label): s for s in repo.skills_of(session, member_id=member_id) if s.kind == kind
    }
    wanted = {key_of(label): label for label in labels}
    for key, skill in current.items():
        if key not in wanted:
            session.delete(skill)
        else:  # a form stored by an older vocabulary is refiled on the way
            skill.label, skill.normalized = wanted[key], key
            session.add(skill)
    session.add_all(
        Skill(member_id=member_id, kind=kind, label=label, normalized=key, created_at=now)
        for key, label in wanted.items()
        if key not in current
    )
    session.flush()


def update_profile(
    session: Session,
    *,
    slack_id: str,
    teach: Sequence[str],
    learn: Sequence[str],
    bio: str | None,
    languages: Sequence[str],
    preference: str | None,
    now: datetime,
    site: str | None = None,
) -> Profile:
    """Edit the whole profile. It may end incomplete: Rex then says what is missing rather
    than refusing, so nobody is stuck with a skill they no longer want to offer (nor is an
    in-person profile without a site refused: the profile asks for one)."""
    member = _member(session, slack_id)
    assert member.id is not None
    errors = FormErrors()
    teach_labels = _labels(teach, "teach", errors)
    learn_labels = _labels(learn, "learn", errors)
    member.bio, member.languages, member.preference = _details(errors, bio, languages, preference)
    member.site = _site(errors, site)
    errors.raise_if_any()
    session.add(member)
    _replace_skills(session, member.id, SkillKind.TEACH, teach_labels, now)
    _replace_skills(session, member.id, SkillKind.LEARN, learn_labels, now)
    result = profile(session, slack_id=slack_id)
    assert result is not None
    return result


def add_skill(
    session: Session,
    *,
    slack_id: str,
    kind: SkillKind,
    raw_label: str,
    now: datetime,
    level: str | None = None,
    note: str | None = None,
) -> tuple[str, bool]:
    """Add one skill (or update the level and note of the same skill); returns the cleaned
    label and whether it was new. Raises `InvalidInput` for a bad label, level or note or a
    full profile, `NotMember` when the person has not joined."""
    label = clean_label(raw_label)
    if level is not None and level not in LEVELS[kind]:
        raise InvalidInput("error.level")
    clean_note = clean_text(note or "", max_length=NOTE_MAX) or None
    member = _member(session, slack_id)
    assert member.id is not None
    existing = [s for s in repo.skills_of(session, member_id=member.id) if s.kind == kind]
    same = next((s for s in existing if key_of(s.label) == key_of(label)), None)
    if same is not None:
        same.level = level or same.level
        same.note = clean_note or same.note
        session.add(same)
        session.flush()
        return same.label, False
    if len(existing) >= MAX_SKILLS:
        raise InvalidInput("error.too_many_skills", max=MAX_SKILLS)
    session.add(
        Skill(
            member_id=member.id,
            kind=kind,
            label=label,
            normalized=key_of(label),
            level=level,
            note=clean_note,
            created_at=now,
        )
    )
    session.flush()
    return label, True


def remove_skill(session: Session, *, slack_id: str, raw_label: str) -> list[Skill]:
    """Remove a skill from whichever list holds it; `InvalidInput` when none does."""
    label = clean_label(raw_label)
    member = _member(session, slack_id)
    assert member.id is not None
    gone = [
        s for s in repo.skills_of(session, member_id=member.id) if key_of(s.label) == key_of(label)
    ]
    if not gone:
        raise InvalidInput("error.skill_unknown", skill=label)
    for skill in gone:
        session.delete(skill)
    session.flush()
    return gone


def pause(session: Session, *, slack_id: str, until: datetime | None, now: datetime) -> Member:
    """No introductions until `until` (or until resumed); resumed automatically after."""
    if until is not None and not now < until <= now + MAX_PAUSE:
        raise InvalidInput("error.pause_date", days=MAX_PAUSE.days)
    member = _member(session, slack_id)
    member.status = MemberStatus.PAUSED
    member.paused_until = until
    session.add(member)
    session.flush()
    return member


def resume(session: Session, *, slack_id: str) -> Member:
    member = _member(session, slack_id)
    member.status = MemberStatus.ACTIVE
    member.paused_until = None
    session.add(member)
    session.flush()
    return member


def resume_due(session: Session, *, now: datetime) -> list[Member]:
    """Members whose pause has run out become active again."""
    woken = repo.pauses_ending(session, now=now)
    for member in woken:
        member.status = MemberStatus.ACTIVE
        member.paused_until = None
        session.add(member)
    session.flush()
    return woken


def leave(session: Session, *, slack_id: str, now: datetime) -> Member:
    """Leave the network; the member's open exchanges are cancelled."""
    member = _member(session, slack_id)
    assert member.id is not None
    member.status = MemberStatus.LEFT
    member.left_at = now
    member.paused_until = None
    cancel_open_exchanges(session, member_id=member.id, now=now)
    session.add(member)
    session.flush()
    return member


def cancel_open_exchanges(session: Session, *, member_id: int, now: datetime) -> None:
    """A member leaving cancels what is still to happen, not what has happened."""
    for exchange in repo.exchanges_of(session, member_id=member_id):
        if exchange.state in lifecycle.OPEN:
            lifecycle.move(session, exchange, ExchangeState.CANCELLED, now=now, member_id=member_id)


def avoid(session: Session, *, slack_id: str, other: str) -> bool:
    """Never match these two; False when it was already on the list."""
    if other == slack_id:
        raise InvalidInput("error.avoid_self")
    member = _member(session, slack_id)
    assert member.id is not None
    if other in repo.avoided_by(session, member_id=member.id):
        return False
    session.add(Avoidance(member_id=member.id, avoided_slack_id=other))
    session.flush()
    return True


_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})")


def pause_end(session: Session, *, slack_id: str, text: str, default_tz: str) -> datetime:
    """A pause "until" the day `text` names (YYYY-MM-DD, from `/rex pause` or the pause
    modal) ends at the start of that day where the member lives (else in `default_tz`); no
    such day is refused."""
    found = _DAY.search(text)
    try:
        day = date.fromisoformat(found.group(1)) if found else None
    except ValueError:
        day = None
    if day is None:
        raise InvalidInput("error.pause_date", days=MAX_PAUSE.days)
    member = repo.get_member(session, slack_id=slack_id)
    try:
        zone = ZoneInfo((member.tz if member else None) or default_tz)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return datetime.combine(day, time.min, tzinfo=zone)


@dataclass(frozen=True)
class SlackProfile:
    """What Slack knows of someone and Rex keeps without asking them: timezone, locale, name."""

    tz: str | None
    locale: str | None
    name: str | None


def sync_from_slack(session: Session, *, slack_id: str, known: SlackProfile, now: datetime) -> None:
    """Keep what Slack knows of a member (nothing, for someone who has not joined)."""
    member = repo.get_member(session, slack_id=slack_id)
    if member is None:
        return
    member.tz = (known.tz or "")[:64] or member.tz
    member.locale = (known.locale or "")[:16] or member.locale
    if known.name and known.name.strip():
        member.display_name = known.name.strip()[:120]
    member.slack_synced_at = now
    session.add(member)
    session.flush()


def set_language(session: Session, *, slack_id: str, language: str) -> Member:
    member = _member(session, slack_id)
    member.language = language
    session.add(member)
    session.flush()
    return member


def set_leaderboard(session: Session, *, slack_id: str, visible: bool) -> Member:
    """Opt in (or out) of being named in the digest's recognition."""
    member = _member(session, slack_id)
    member.leaderboard = visible
    session.add(member)
    session.flush()
    return member
