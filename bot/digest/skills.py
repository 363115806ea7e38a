"""The skills in a digest: today's offer and demand, and how satisfied each skill's learners were.

Skills are grouped by their normalised form under today's vocabulary; per-skill ratings
follow the same k-people rule as every rating figure (`bot.digest`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Label,
    and_,
    exists,
    func,
)
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select  # select() is typed for up to four columns

from bot.digest.aggregates import case_when, complete_raters, interval_index, next_rater
from bot.digest.model import (
    MARKET_LIST,
    MIN_RATERS,
    SATISFIED,
    SKILL_QUALITY_MAX,
    TOP_SKILLS,
    Market,
    SkillCount,
    SkillQuality,
)
from bot.matching import key_of, match_labels
from bot.periods import Period, weeks_of
from storage.models import (
    Evaluation,
    Lesson,
    Member,
    MemberStatus,
    Skill,
    SkillKind,
)


def _skill_counts(rows: Iterable[tuple[str, str, int]]) -> list[SkillCount]:
    """(normalized, label, members) rows grouped by the label's normalised form under
    today's vocabulary (a form stored by an older one may have split a skill), most
    members first; a member has one wording per form, so the counts add up."""
    groups: dict[str, tuple[int, list[tuple[int, str]]]] = {}
    for _, label, members in rows:
        normalized = key_of(label)
        total, wordings = groups.setdefault(normalized, (0, []))
        wordings.append((-members, label))
        groups[normalized] = (total + members, wordings)
    counts = [
        SkillCount(label=min(wordings)[1], normalized=normalized, members=total)
        for normalized, (total, wordings) in groups.items()
    ]
    counts.sort(key=lambda s: (-s.members, s.label.casefold(), s.normalized))
    return counts


def market_today(session: Session) -> tuple[Market, dict[str, str]]:
    """Offer and demand among active members, and each normalised form's usual wording."""
    rows = session.exec(
        select(
            col(Skill.kind),
            col(Skill.normalized),
            col(Skill.label),
            func.count(col(Skill.member_id).distinct()),
        )
        .join(Member, col(Member.id) == col(Skill.member_id))
        .where(Member.status == MemberStatus.ACTIVE)
        .group_by(col(Skill.kind), col(Skill.normalized), col(Skill.label))
    ).all()
    offered = _skill_counts((n, label, int(c)) for k, n, label, c in rows if k == SkillKind.TEACH)
    requested = _skill_counts((n, label, int(c)) for k, n, label, c in rows if k == SkillKind.LEARN)
    pairs = match_labels([s.label for s in offered], [s.label for s in requested])
    served = {j for _, j, _ in pairs}
    wanted = {i for i, _, _ in pairs}
    orphans = [s for j, s in enumerate(requested) if j not in served]
    idle = [s for i, s in enumerate(offered) if i not in wanted]
    labels = {normalized: label for _, normalized, label, _ in rows}
    labels.update({s.normalized: s.label for s in (*requested, *offered)})
    market = Market(
        offered=tuple(offered[:TOP_SKILLS]),
        requested=tuple(requested[:TOP_SKILLS]),
        orphans=tuple(orphans[:MARKET_LIST]),
        orphan_total=len(orphans),
        idle=tuple(idle[:MARKET_LIST]),
        idle_total=len(idle),
    )
    return market, labels


def _with_learned_skill(statement: Select[Any]) -> Select[Any]:
    """`statement` over evaluations, joined to the lesson their author learned in (a
    teacher's evaluation has none): its `teach_key` is the skill."""
    return statement.select_from(Evaluation).join(
        Lesson,
        and_(
            col(Lesson.exchange_id) == col(Evaluation.exchange_id),
            # + 0: SQLite, which has no statistics, would otherwise look up the learner's
            # every lesson for each evaluation, not the exchange's few
            col(Lesson.learner_id) + 0 == col(Evaluation.member_id),
        ),
    )


def skill_quality(
    session: Session, period: Period, weeks: Sequence[datetime], labels: dict[str, str]
) -> tuple[SkillQuality, ...]:
    """How satisfied the learners of each skill were in the period (a skill: the lesson's
    `teach_key`), only for skills with the evaluations of at least k people behind them,
    and, over several weeks, none of whose weeks had one or two (the period's line minus
    the weekly digests' would give that week away); then less the least evaluated while
    the period's evaluations they leave out come from one or two people."""
    created = col(Evaluation.created_at)
    satisfaction = col(Evaluation.satisfaction)
    skill: Label[str] = col(Lesson.teach_key).label("skill")
    distinct = func.count(col(Evaluation.id).distinct())
    raters = func.count(col(Evaluation.member_id).distinct())
    in_period = and_(created >= period.since, created < period.until)
    lonely = _skills_with_a_lonely_week(session, period, weeks)
    rows: Sequence[Any] = session.exec(
        _with_learned_skill(
            Select(
                skill,
                func.min(col(Lesson.teach_label)),
                distinct,
                func.count(),
                func.sum(case_when(satisfaction >= SATISFIED)),
                func.sum(satisfaction),
            )
        )
        .where(in_period, col(Lesson.teach_key).not_in(lonely))
        .group_by(skill)
        .having(raters >= MIN_RATERS)
        .order_by(distinct.desc(), skill)
        .limit(SKILL_QUALITY_MAX)
    ).all()
    skills = [
        SkillQuality(
            label=labels.get(key, wording),
            normalized=key,
            evaluations=int(n),
            satisfaction_rate=int(satisfied) / int(answers),
            satisfaction_average=int(total) / int(answers),
        )
        for key, wording, n, answers, satisfied, total in rows
    ]
    while skills and 0 < _raters_left_out(session, period, skills) < MIN_RATERS:
        skills.pop()
    return tuple(skills)


def _skills_with_a_lonely_week(
    session: Session, period: Period, weeks: Sequence[datetime]
) -> list[str]:
    """Over several whole weeks, the skills one of whose weeks was rated by one or two
    people."""
    inside = weeks_of(period, weeks)
    if not inside:
        return []
    created = col(Evaluation.created_at)
    skill: Label[str] = col(Lesson.teach_key).label("skill")
    week = interval_index(created, inside).label("week")
    raters = func.count(col(Evaluation.member_id).distinct())
    rows: Sequence[Any] = session.exec(
        _with_learned_skill(Select(skill, week))
        .where(created >= period.since, created < period.until)
        .group_by(skill, week)
        .having(raters < MIN_RATERS)
    ).all()
    return sorted({str(key) for key, _ in rows})


def _raters_left_out(session: Session, period: Period, skills: Sequence[SkillQuality]) -> int:
    """How many people (up to k) wrote the period's evaluations that no skill line counts:
    teachers', and learners' of the other skills."""
    counted = exists().where(
        col(Lesson.exchange_id) == col(Evaluation.exchange_id),
        col(Lesson.learner_id) == col(Evaluation.member_id),
        col(Lesson.teach_key).in_([s.normalized for s in skills]),
    )
    raters: dict[None, set[Any]] = {None: set()}
    complete_raters(
        session,
        raters,
        lambda _, found: next_rater(period.since, period.until, found, ~counted),
        everyone=set(),
    )
    return len(raters[None])
