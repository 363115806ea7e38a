"""The managers' digest as Block Kit, readable in 30 seconds: the period's figures with their
trend, the market, satisfaction by skill and the opt-in recognition, in at most a dozen
blocks whatever the network's size. Pure functions returning dicts."""

from collections.abc import Sequence
from datetime import timedelta

from bot.charts import ChartLabels
from bot.digest.model import MIN_RATERS, WEEKS, Digest, Ranked, SkillCount, TrendFigure
from bot.i18n import l10n
from bot.i18n.messages import N_, t
from bot.matching import skill_name
from bot.periods import Period
from handlers.views.kit import Block, escape, section, text_object

SHOWN_MAX = 40  # a skill or a name in a list is cut here, so every line stays bounded
COUNT = "#,##0"
HOURS = "#,##0.#"
AVERAGE = "0.0"


def digest_title(period: Period, lang: str) -> str:
    """From its first day to its last one, where the managers are (the period's own
    timezone; it ends at the midnight after its last day)."""
    return t(
        "digest.title",
        lang,
        since=l10n.calendar_day(period.since.date(), lang),
        until=l10n.calendar_day((period.until - timedelta(days=1)).date(), lang),
    )


def digest_blocks(digest: Digest, lang: str) -> list[Block]:
    """The digest message: a short friendly note when nothing happened in the period."""
    title = digest_title(digest.period, lang)
    content: list[Block] = [{"type": "header", "text": text_object(title[:150])}]
    market = digest.market
    orphans = _skills_line(N_("digest.orphans"), market.orphans, market.orphan_total, lang)
    if digest.current.quiet:
        content.append(section(t("digest.quiet", lang, active=digest.current.active)))
        if orphans:
            content.append(section(orphans))
        return content
    content += [
        {"type": "section", "fields": [text_object(f, "mrkdwn") for f in _figures(digest, lang)]},
        {"type": "divider"},
    ]
    lines = [
        _skills_line(N_("digest.offered"), market.offered, 0, lang),
        _skills_line(N_("digest.requested"), market.requested, 0, lang),
        orphans,
        _skills_line(N_("digest.idle"), market.idle, market.idle_total, lang),
        _skill_quality(digest, lang),
        _people_line(N_("digest.leaderboard"), digest.leaderboard.teachers, lang),
        _people_line(N_("digest.learners"), digest.leaderboard.learners, lang),
    ]
    content += [section(line) for line in lines if line]
    content.append(
        {
            "type": "context",
            "elements": [text_object(t("digest.privacy", lang, k=MIN_RATERS), "mrkdwn")],
        }
    )
    return content


def _figures(digest: Digest, lang: str) -> list[str]:
    """The four fields: members, exchanges, learning time, quality."""
    now = digest.current

    def count(figure: TrendFigure) -> str:
        value = getattr(now, figure)
        return l10n.number(value, lang, COUNT) + _trend(digest, figure, lang, COUNT)

    def share(figure: TrendFigure) -> str:
        value: float | None = getattr(now, figure)
        return l10n.percent(value, lang) + _points(digest, figure, lang)

    fields = [
        t(
            "digest.members",
            lang,
            active=count("active"),
            new=count("new"),
            paused=l10n.number(now.paused, lang, COUNT),
            left=l10n.number(now.left, lang, COUNT),
            incomplete=l10n.number(now.incomplete, lang, COUNT),
        ),
        t(
            "digest.exchanges",
            lang,
            proposed=count("proposed"),
            held=count("held"),
            sessions=l10n.number(now.sessions, lang, COUNT),
            evaluated=count("evaluated"),
            declined=l10n.number(now.declined, lang, COUNT),
            expired=l10n.number(now.expired, lang, COUNT),
        )
        + (t("digest.disputed", lang, count=now.disputed) if now.disputed else ""),
        t(
            "digest.hours",
            lang,
            hours=l10n.number(now.hours, lang, HOURS) + _trend(digest, "hours", lang, HOURS),
        ),
    ]
    if now.satisfaction_rate is None:
        quality = t("digest.too_few", lang, k=MIN_RATERS, evaluations=now.evaluations)
    else:
        quality = t(
            "digest.quality",
            lang,
            satisfaction=share("satisfaction_rate"),
            average=l10n.number(now.satisfaction_average or 0, lang, AVERAGE)
            + _trend(digest, "satisfaction_average", lang, AVERAGE),
            evaluations=l10n.number(now.evaluations, lang, COUNT),
            yes=share("goals_yes"),
            partly=l10n.percent(now.goals_partly, lang),
        )
    if now.evaluations_asked:
        quality += "\n" + t(
            "digest.response",
            lang,
            # no trend: the period before has had a week longer to collect answers
            rate=l10n.percent(now.response_rate, lang),
            given=l10n.number(now.evaluations_given, lang, COUNT),
            asked=l10n.number(now.evaluations_asked, lang, COUNT),
        )
    return [*fields, quality]


def _arrow(delta: float | None) -> str:
    if not delta:
        return ""
    return "▲" if delta > 0 else "▼"


def _trend(digest: Digest, figure: TrendFigure, lang: str, pattern: str) -> str:
    """ " ▲3": the change against the previous period, nothing when it did not change (as
    shown) or cannot be compared."""
    delta = digest.trend(figure).delta
    shown = l10n.number(abs(delta or 0), lang, pattern)
    if not _arrow(delta) or shown.strip("0.,") == "":
        return ""
    return f" {_arrow(delta)}{shown}"


def _points(digest: Digest, figure: TrendFigure, lang: str) -> str:
    """A rate's change in percentage points: " ▲5 pts"."""
    delta = digest.trend(figure).delta
    points = round(abs(delta or 0) * 100)
    if not points:
        return ""
    return " " + _arrow(delta) + t("digest.points", lang, points=points)


def _shown(text: str) -> str:
    """A skill's name (see `skill_name`: the canonical one in the reader's language, else
    members' usual wording), cut to a bounded length and escaped for mrkdwn."""
    cut = text if len(text) <= SHOWN_MAX else text[: SHOWN_MAX - 1] + "…"
    return escape(cut)


def _skills_line(key: str, skills: Sequence[SkillCount], total: int, lang: str) -> str | None:
    """`*Python* (4), *Rust* (2)`, and how many more when the list was cut."""
    if not skills:
        return None
    listed = ", ".join(f"*{_shown(skill_name(s.label, lang))}* ({s.members})" for s in skills)
    if total > len(skills):
        listed += t("digest.more", lang, count=total - len(skills))
    return t(key, lang, skills=listed)


def _skill_quality(digest: Digest, lang: str) -> str | None:
    if not digest.skill_quality:
        return None
    listed = ", ".join(
        t(
            "digest.skill_quality.item",
            lang,
            skill=_shown(skill_name(q.label, lang)),
            satisfaction=l10n.percent(q.satisfaction_rate, lang),
            evaluations=q.evaluations,
        )
        for q in digest.skill_quality
    )
    return t("digest.skill_quality", lang, k=MIN_RATERS, skills=listed)


def _people_line(key: str, people: Sequence[Ranked], lang: str) -> str | None:
    """Names as people set them in Slack, never a mention: being listed must not ping."""
    if not people:
        return None
    listed = ", ".join(
        t(
            "digest.person",
            lang,
            name=_shown(p.display_name or p.slack_id),
            hours=l10n.number(p.hours, lang, HOURS),
        )
        for p in people
    )
    return t(key, lang, people=listed)


def chart_labels(digest: Digest, lang: str) -> ChartLabels:
    return ChartLabels(
        weeks=tuple(l10n.short_day(w.start.date(), lang) for w in digest.weekly),
        proposed=t("chart.proposed", lang),
        sessions=t("chart.sessions", lang),
        count=t("chart.count", lang),
        hours=t("chart.hours", lang),
        satisfaction=t("chart.satisfaction", lang),
        week=t("chart.week", lang),
        too_few=t("chart.too_few", lang, k=MIN_RATERS),
    )


def chart_title(lang: str) -> str:
    return t("chart.title", lang, weeks=WEEKS)


def worth_charting(digest: Digest) -> bool:
    """A chart of twelve empty weeks says nothing: only drawn when something happened."""
    return any(w.proposed or w.sessions or w.evaluations for w in digest.weekly)
