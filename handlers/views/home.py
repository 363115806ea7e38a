"""The App Home tab: profile, status, exchanges, balance and what can be done from there."""

from collections.abc import Sequence
from typing import Final

from bot.exchanges import ExchangeView
from bot.i18n import l10n
from bot.i18n.messages import N_, t
from bot.matching import skill_name
from bot.members import Profile
from handlers.ids import ActionId, BlockId
from handlers.views.kit import (
    VIEW_BLOCK_LIMIT,
    Block,
    View,
    button,
    escape,
    lines_with_more,
    mention,
    section,
    text_object,
)
from handlers.views.members import LEVEL_NAMES, meeting_line, missing_lines, status_text
from storage.models import (
    ExchangeState,
    MemberStatus,
    Skill,
    SkillKind,
)

HOME_LIST_LIMIT = 10


# Keys chosen by a value: each a literal, so the extractor finds them all.
HOME_SKILLS: Final = {SkillKind.TEACH: N_("home.teach"), SkillKind.LEARN: N_("home.learn")}


STATES: Final = {
    ExchangeState.PROPOSED: N_("state.proposed"),
    ExchangeState.SCHEDULED: N_("state.scheduled"),
    ExchangeState.HELD: N_("state.held"),
    ExchangeState.DECLINED: N_("state.declined"),
    ExchangeState.CANCELLED: N_("state.cancelled"),
}


def _skill_line(skill: Skill, lang: str) -> str:
    parts = [f"• *{escape(skill.label)}*"]
    if skill.level:
        parts.append(f"({t(LEVEL_NAMES[skill.level], lang)})")
    if skill.note:
        parts.append(f"– {escape(skill.note)}")
    return " ".join(parts)


def _exchange_line(view: ExchangeView, member_id: int, lang: str) -> str:
    names = (skill_name(lesson.teach_label, lang) for lesson in view.lessons)
    skills = " / ".join(dict.fromkeys(escape(name) for name in names))
    others = [m.slack_id for i, m in view.members.items() if i != member_id]
    return "• " + t(
        "home.exchange",
        lang,
        skills=f"*{skills}*",
        people=", ".join(mention(o) for o in others) or "–",
        state=t(STATES[ExchangeState(view.exchange.state)], lang),
        date=l10n.day(view.exchange.created_at, lang),
    )


def _exchange_section(
    title: str, views: Sequence[ExchangeView], member_id: int, lang: str
) -> Block:
    lines = [_exchange_line(v, member_id, lang) for v in views] or [t("home.none", lang)]
    return section("\n".join([title, *lines_with_more(lines, HOME_LIST_LIMIT, lang)]))


def home_view(
    profile: Profile | None,
    lang: str,
    *,
    open_exchanges: Sequence[ExchangeView] = (),
    past_exchanges: Sequence[ExchangeView] = (),
    hours: tuple[float, float] = (0.0, 0.0),
) -> View:
    """The App Home: profile, status, exchanges, balance and what can be done from here.
    Long lists end in "and N more", so the tab never exceeds Slack's 100 blocks."""
    blocks: list[Block] = [
        {"type": "header", "text": text_object(t("home.title", lang))},
        section(t("home.intro", lang)),
    ]
    if profile is None or profile.member.status == MemberStatus.LEFT:
        blocks.append(section(t("home.not_member", lang)))
        return {"type": "home", "blocks": blocks}
    member = profile.member
    assert member.id is not None
    status = [t("home.status", lang, status=status_text(profile, lang))]
    status += missing_lines(profile, lang)
    blocks.append(section("\n".join(status)))
    for kind in SkillKind:
        lines = [_skill_line(s, lang) for s in profile.of_kind(kind)] or [t("home.none", lang)]
        blocks.append(
            section(
                "\n".join(
                    [t(HOME_SKILLS[kind], lang), *lines_with_more(lines, HOME_LIST_LIMIT, lang)]
                )
            )
        )
    details = [meeting_line(member, N_("home.meeting"), lang)]
    if member.bio:
        details.append(t("home.about", lang, bio=escape(member.bio)))
    details.append(
        t(
            "home.balance",
            lang,
            taught=l10n.number(hours[0], lang),
            learned=l10n.number(hours[1], lang),
        )
    )
    blocks.append(section("\n".join(details)))
    blocks.append(_exchange_section(t("home.open", lang), open_exchanges, member.id, lang))
    blocks.append(_exchange_section(t("home.past", lang), past_exchanges, member.id, lang))
    paused = member.status == MemberStatus.PAUSED
    blocks.append(
        {
            "type": "actions",
            "block_id": BlockId.HOME_ACTIONS,
            "elements": [
                button(t("button.edit_profile", lang), ActionId.EDIT_PROFILE, "edit", "primary"),
                button(t("button.add_skill", lang), ActionId.ADD_SKILL, "add"),
                button(t("button.resume", lang), ActionId.RESUME, "resume")
                if paused
                else button(t("button.pause", lang), ActionId.PAUSE, "pause"),
                button(t("button.match_now", lang), ActionId.MATCH_NOW, "match"),
            ],
        }
    )
    return {"type": "home", "blocks": blocks[:VIEW_BLOCK_LIMIT]}
