"""Block Kit for members: the join and profile modals, skills, pausing, the App Home tab."""

from collections.abc import Sequence
from typing import Final

from bot.exchanges import ExchangeView
from bot.i18n import l10n
from bot.i18n.messages import N_, t
from bot.matching import skill_name
from bot.members import LANGUAGES, LEVELS, Profile, needs_site, spoken_languages
from bot.text import escape
from handlers.blockkit import (
    VIEW_BLOCK_LIMIT,
    Block,
    View,
    button,
    input_block,
    lines_with_more,
    mention,
    modal,
    options,
    section,
    text_object,
)
from handlers.blocks import PREFERENCES
from handlers.ids import ActionId, BlockId, CallbackId
from storage.models import (
    BIO_MAX,
    SITE_MAX,
    ExchangeState,
    MeetingPreference,
    Member,
    MemberStatus,
    Skill,
    SkillKind,
)

HOME_LIST_LIMIT = 10


# Keys chosen by a value: each a literal, so the extractor finds them all.
SKILL_KINDS: Final = {
    SkillKind.TEACH: N_("skill.kind.teach"),
    SkillKind.LEARN: N_("skill.kind.learn"),
}
LEVEL_NAMES: Final = {
    "basics": N_("level.basics"),
    "intermediate": N_("level.intermediate"),
    "expert": N_("level.expert"),
    "beginner": N_("level.beginner"),
    "some": N_("level.some"),
}
STATUSES: Final = {
    MemberStatus.ACTIVE: N_("status.active"),
    MemberStatus.PAUSED: N_("status.paused"),
    MemberStatus.LEFT: N_("status.left"),
}
INCOMPLETE: Final = {
    SkillKind.TEACH: N_("me.incomplete.teach"),
    SkillKind.LEARN: N_("me.incomplete.learn"),
}
ME_SKILLS: Final = {SkillKind.TEACH: N_("me.teach"), SkillKind.LEARN: N_("me.learn")}
HOME_SKILLS: Final = {SkillKind.TEACH: N_("home.teach"), SkillKind.LEARN: N_("home.learn")}
STATES: Final = {
    ExchangeState.PROPOSED: N_("state.proposed"),
    ExchangeState.SCHEDULED: N_("state.scheduled"),
    ExchangeState.HELD: N_("state.held"),
    ExchangeState.DECLINED: N_("state.declined"),
    ExchangeState.CANCELLED: N_("state.cancelled"),
}


def _skill_option(label: str) -> Block:
    return {"text": text_object(label[:75]), "value": label[:150]}


def skills_select(
    block_id: BlockId, label: str, hint: str, chosen: Sequence[str] = (), *, optional: bool = False
) -> Block:
    """A type-ahead multi-select fed by the network's labels (see the suggestions listener);
    the person's own wording is always offered too."""
    element: Block = {
        "type": "multi_external_select",
        "action_id": ActionId.SKILL_SEARCH,
        "min_query_length": 1,
        "max_selected_items": 15,
        "placeholder": text_object(hint[:150]),
    }
    if chosen:
        element["initial_options"] = [_skill_option(label) for label in chosen]
    return input_block(block_id, label, element, optional=optional, hint=hint)


def join_modal(lang: str) -> View:
    hint = t("profile.skills_hint", lang)
    blocks = [
        section(t("charter", lang)),
        skills_select(BlockId.TEACH_SKILLS, t("join.teach_label", lang), hint),
        skills_select(BlockId.LEARN_SKILLS, t("join.learn_label", lang), hint),
        input_block(
            BlockId.JOIN_AGREE,
            t("join.agree_label", lang),
            {"type": "checkboxes", "options": options([("agree", t("join.agree", lang))])},
        ),
    ]
    return modal(CallbackId.JOIN, t("join.title", lang), t("join.submit", lang), blocks, lang=lang)


def _language_options() -> list[Block]:
    return options([(code, code.upper()) for code in LANGUAGES])


def _preference_options(lang: str) -> list[Block]:
    return options([(p.value, t(PREFERENCES[p], lang)) for p in MeetingPreference])


def profile_modal(profile: Profile, lang: str) -> View:
    """Everything a member keeps up to date, pre-filled; saving republishes the Home tab."""
    member = profile.member
    hint = t("profile.skills_hint", lang)
    languages: Block = {"type": "multi_static_select", "options": _language_options()}
    chosen = [o for o in _language_options() if o["value"] in member.languages.split(",")]
    if chosen:
        languages["initial_options"] = chosen
    preference: Block = {"type": "radio_buttons", "options": _preference_options(lang)}
    preference["initial_option"] = next(
        o for o in preference["options"] if o["value"] == member.preference
    )
    bio: Block = {"type": "plain_text_input", "multiline": True, "max_length": BIO_MAX}
    if member.bio:
        bio["initial_value"] = member.bio
    site: Block = {"type": "plain_text_input", "max_length": SITE_MAX}
    if member.site:
        site["initial_value"] = member.site
    blocks = [
        skills_select(
            BlockId.TEACH_SKILLS, t("profile.teach", lang), hint, profile.teach, optional=True
        ),
        skills_select(
            BlockId.LEARN_SKILLS, t("profile.learn", lang), hint, profile.learn, optional=True
        ),
        input_block(BlockId.PROFILE_BIO, t("profile.bio", lang), bio, optional=True),
        input_block(
            BlockId.PROFILE_LANGUAGES, t("profile.languages", lang), languages, optional=True
        ),
        input_block(BlockId.PROFILE_PREFERENCE, t("profile.preference", lang), preference),
        input_block(
            BlockId.PROFILE_SITE,
            t("profile.site", lang),
            site,
            optional=True,
            hint=t("profile.site_hint", lang),
        ),
    ]
    return modal(
        CallbackId.PROFILE, t("profile.title", lang), t("profile.submit", lang), blocks, lang=lang
    )


def add_skill_modal(lang: str) -> View:
    kinds = options([(k.value, t(SKILL_KINDS[k], lang)) for k in SkillKind])
    levels = options(
        [(level, t(LEVEL_NAMES[level], lang)) for kind in SkillKind for level in LEVELS[kind]]
    )
    blocks = [
        input_block(
            BlockId.SKILL_KIND,
            t("skill.kind", lang),
            {"type": "radio_buttons", "options": kinds, "initial_option": kinds[0]},
        ),
        input_block(
            BlockId.SKILL_LABEL,
            t("skill.label", lang),
            {
                "type": "external_select",
                "action_id": ActionId.SKILL_SEARCH,
                "min_query_length": 1,
                "placeholder": text_object(t("skill.label_hint", lang)),
            },
            hint=t("skill.label_hint", lang),
        ),
        input_block(
            BlockId.SKILL_LEVEL,
            t("skill.level", lang),
            {"type": "static_select", "options": levels},
            optional=True,
        ),
        input_block(
            BlockId.SKILL_NOTE,
            t("skill.note", lang),
            {
                "type": "plain_text_input",
                "max_length": 200,
                "placeholder": text_object(t("skill.note_hint", lang)),
            },
            optional=True,
        ),
    ]
    return modal(
        CallbackId.ADD_SKILL, t("skill.title", lang), t("skill.submit", lang), blocks, lang=lang
    )


def pause_modal(today: str, lang: str) -> View:
    blocks = [
        input_block(
            BlockId.PAUSE_UNTIL,
            t("pause.until", lang),
            {"type": "datepicker", "initial_date": today},
            hint=t("pause.hint", lang),
        ),
    ]
    return modal(
        CallbackId.PAUSE, t("pause.title", lang), t("pause.submit", lang), blocks, lang=lang
    )


def status_text(profile: Profile, lang: str) -> str:
    member = profile.member
    if member.status == MemberStatus.PAUSED and member.paused_until is not None:
        return t("status.paused_until", lang, date=l10n.day(member.paused_until, lang, member.tz))
    if member.status == MemberStatus.ACTIVE and not profile.complete:
        return t("status.incomplete", lang)
    return t(STATUSES[MemberStatus(member.status)], lang)


def _skill_line(skill: Skill, lang: str) -> str:
    parts = [f"• *{escape(skill.label)}*"]
    if skill.level:
        parts.append(f"({t(LEVEL_NAMES[skill.level], lang)})")
    if skill.note:
        parts.append(f"– {escape(skill.note)}")
    return " ".join(parts)


def _missing_lines(profile: Profile, lang: str) -> list[str]:
    """What keeps the member from being matched: a list left empty, or an in-person
    preference without a site."""
    lines = [t(INCOMPLETE[kind], lang) for kind in profile.missing]
    if needs_site(profile.member):
        lines.append(t("me.no_site", lang))
    return lines


def _meeting_line(member: Member, key: str, lang: str) -> str:
    """How the member meets: mode, languages (those Rex assumes when none are ticked), site."""
    if member.languages:
        languages = member.languages.upper().replace(",", ", ")
    else:
        assumed = ", ".join(code.upper() for code in sorted(spoken_languages(member)))
        languages = t("me.languages_default", lang, languages=assumed)
    return t(
        key,
        lang,
        preference=t(PREFERENCES[member.preference], lang),
        languages=languages,
        site=escape(member.site) if member.site else "–",
    )


def profile_blocks(profile: Profile, lang: str) -> list[Block]:
    """The profile as `/rex me` shows it, saying what is missing to be matched."""
    lines = [t("me.title", lang, status=status_text(profile, lang))]
    for kind in SkillKind:
        skills = profile.of_kind(kind)
        labels = ", ".join(f"*{escape(s.label)}*" for s in skills) or t("me.none", lang)
        lines.append(t(ME_SKILLS[kind], lang, skills=labels))
    lines.append(_meeting_line(profile.member, N_("me.meeting"), lang))
    lines += _missing_lines(profile, lang)
    if profile.avoided:
        people = ", ".join(mention(p) for p in profile.avoided)
        lines.append(t("avoid.list", lang, people=people))
    content = [section("\n".join(lines))]
    if profile.missing:
        fix = button(t("button.add_skill", lang), ActionId.ADD_SKILL, "add", "primary")
        content.append({"type": "actions", "elements": [fix]})
    return content


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
    status += _missing_lines(profile, lang)
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
    details = [_meeting_line(member, N_("home.meeting"), lang)]
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


def forget_blocks(lang: str) -> list[Block]:
    """The confirmation before erasing someone's data, with Slack's own confirm dialog."""
    confirm_button = button(t("forget.button", lang), ActionId.FORGET, "forget", "danger")
    confirm_button["confirm"] = {
        "title": text_object(t("forget.dialog_title", lang)),
        "text": text_object(t("forget.confirm", lang)[:300]),
        "confirm": text_object(t("forget.dialog_confirm", lang)),
        "deny": text_object(t("forget.dialog_deny", lang)),
        "style": "danger",
    }
    return [
        section(t("forget.confirm", lang)),
        {"type": "actions", "block_id": BlockId.FORGET_ACTIONS, "elements": [confirm_button]},
    ]
