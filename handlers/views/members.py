"""A member's own views: the join and profile modals, skills, pausing (and being paused),
the profile as `/rex me` shows it, and forgetting their data."""

from collections.abc import Sequence
from typing import Any, Final

from bot.i18n import l10n
from bot.i18n.messages import N_, t
from bot.matching.suggest import Suggestion, clean
from bot.members import LANGUAGES, LEVELS, Profile, needs_site, spoken_languages
from handlers.ids import ActionId, BlockId, CallbackId
from handlers.views.kit import (
    Block,
    View,
    button,
    escape,
    input_block,
    mention,
    modal,
    options,
    section,
    text_object,
)
from storage.models import (
    BIO_MAX,
    SITE_MAX,
    MeetingPreference,
    Member,
    MemberStatus,
    SkillKind,
)

# Keys chosen by a value: each a literal, so the extractor finds them all.
PREFERENCES: Final = {
    MeetingPreference.IN_PERSON: N_("preference.in_person"),
    MeetingPreference.REMOTE: N_("preference.remote"),
    MeetingPreference.EITHER: N_("preference.either"),
}


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


def auto_paused_blocks(count: int, lang: str) -> list[Block]:
    """Rex paused someone who let introductions expire: stay, pause on purpose, or leave."""
    return [
        section(t("auto_paused.text", lang, count=count)),
        {
            "type": "actions",
            "block_id": BlockId.AUTO_PAUSE_ACTIONS,
            "elements": [
                button(t("button.keep_active", lang), ActionId.RESUME, "resume", "primary"),
                button(t("button.pause_me", lang), ActionId.PAUSE, "pause"),
                button(t("button.leave", lang), ActionId.LEAVE, "leave", "danger"),
            ],
        },
    ]


def status_text(profile: Profile, lang: str) -> str:
    member = profile.member
    if member.status == MemberStatus.PAUSED and member.paused_until is not None:
        return t("status.paused_until", lang, date=l10n.day(member.paused_until, lang, member.tz))
    if member.status == MemberStatus.ACTIVE and not profile.complete:
        return t("status.incomplete", lang)
    return t(STATUSES[MemberStatus(member.status)], lang)


def missing_lines(profile: Profile, lang: str) -> list[str]:
    """What keeps the member from being matched: a list left empty, or an in-person
    preference without a site."""
    lines = [t(INCOMPLETE[kind], lang) for kind in profile.missing]
    if needs_site(profile.member):
        lines.append(t("me.no_site", lang))
    return lines


def meeting_line(member: Member, key: str, lang: str) -> str:
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
    lines.append(meeting_line(profile.member, N_("me.meeting"), lang))
    lines += missing_lines(profile, lang)
    if profile.avoided:
        people = ", ".join(mention(p) for p in profile.avoided)
        lines.append(t("avoid.list", lang, people=people))
    content = [section("\n".join(lines))]
    if profile.missing:
        fix = button(t("button.add_skill", lang), ActionId.ADD_SKILL, "add", "primary")
        content.append({"type": "actions", "elements": [fix]})
    return content


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


# Slack's limits for the options of an external select.
SLACK_MAX_OPTIONS = 100
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150


def skill_options(
    query: str, suggestions: Sequence[Suggestion], *, max_options: int = 20
) -> list[dict[str, Any]]:
    """Slack options for a `block_suggestion` response: the person's own wording first (so
    they can keep it), then the suggestions; plain_text only, within Slack's limits."""
    cap = max(0, min(max_options, SLACK_MAX_OPTIONS))
    labels = [clean(s.label) for s in suggestions]
    own = clean(query)
    if own.casefold() not in {label.casefold() for label in labels}:
        labels.insert(0, own)
    options: list[dict[str, Any]] = []
    seen: set[str] = set()
    for label in labels:
        value = label[:OPTION_VALUE_MAX]
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            options.append({"text": {"type": "plain_text", "text": _clip(label)}, "value": value})
    return options[:cap]


def _clip(text: str) -> str:
    """Option text within Slack's limit, visibly cut."""
    if len(text) <= OPTION_TEXT_MAX:
        return text
    return text[: OPTION_TEXT_MAX - 1].rstrip() + "…"
