"""The introduction in a group DM and what follows on it there: the nudge, who did what,
"not a fit" and the confidential report (its modal, and the text the managers read)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.exchanges import ExchangeView
from bot.i18n.messages import N_, t
from handlers.ids import ActionId, BlockId, CallbackId
from handlers.views.kit import (
    Block,
    View,
    button,
    escape,
    for_everyone,
    input_block,
    mention,
    modal,
    section,
)
from handlers.views.members import PREFERENCES
from storage.models import (
    ExchangeKind,
    Lesson,
    MeetingPreference,
    Member,
)


def lesson_line(view: ExchangeView, lesson: Lesson, lang: str) -> str:
    people = view.members
    return "• " + t(
        "intro.lesson",
        lang,
        teacher=mention(people[lesson.teacher_id].slack_id),
        learner=mention(people[lesson.learner_id].slack_id),
        teach=escape(lesson.teach_label),
        learn=escape(lesson.learn_label),
    )


def _headline(view: ExchangeView, lang: str) -> list[str]:
    """Who teaches what to whom, said the way each kind of exchange works."""
    people = view.members
    first = view.lessons[0]
    everyone = ", ".join(mention(s) for s in view.slack_ids())
    if len(view.lessons) == 1:
        return [
            t(
                "intro.pair",
                lang,
                teacher=mention(people[first.teacher_id].slack_id),
                learner=mention(people[first.learner_id].slack_id),
                teach=escape(first.teach_label),
                learn=escape(first.learn_label),
            )
        ]
    if view.exchange.kind == ExchangeKind.GROUP:
        head = t(
            "intro.group",
            lang,
            people=everyone,
            teacher=mention(people[first.teacher_id].slack_id),
            skill=escape(first.teach_label),
        )
    else:
        key = {ExchangeKind.SWAP: N_("intro.swap"), ExchangeKind.CYCLE: N_("intro.cycle")}
        head = t(key.get(ExchangeKind(view.exchange.kind), "intro.many"), lang, people=everyone)
    return [head, *(lesson_line(view, lesson, lang) for lesson in view.lessons)]


def _local_time(tz: str | None, now: datetime) -> str | None:
    try:
        return now.astimezone(ZoneInfo(tz)).strftime("%H:%M") if tz else None
    except (KeyError, ValueError):
        return None


def _about(member: Member, lang: str, now: datetime) -> str:
    """One line on a person: their bio, languages, local time, how they like to meet and
    where they work."""
    details = [escape(member.bio.replace("\n", " ")[:200])] if member.bio else []
    if member.languages:
        details.append(
            t("intro.speaks", lang, languages=member.languages.upper().replace(",", ", "))
        )
    local = _local_time(member.tz, now)
    if local:
        details.append(t("intro.local_time", lang, time=local))
    if member.preference != MeetingPreference.EITHER:
        details.append(t("intro.meets", lang, preference=t(PREFERENCES[member.preference], lang)))
    if member.site:
        details.append(t("intro.site", lang, site=escape(member.site)))
    return f"• {mention(member.slack_id)}: " + " · ".join(details) if details else ""


def intro_blocks(
    view: ExchangeView,
    langs: Sequence[str],
    *,
    notes: dict[int, str] | None = None,
    now: datetime | None = None,
) -> list[Block]:
    """The group DM's first message, in each of its people's languages (`langs`, see
    `l10n.group_languages`): who teaches what to whom, who they are, what each learner
    wants exactly (`notes` by learner id), a first agenda, and what to do next; then one
    row of buttons, labelled in every language."""
    value = str(view.id)
    moment = now or datetime.now(UTC)
    content: list[Block] = []
    for lang in langs:
        content.append(section("\n".join(_headline(view, lang))))
        about = [line for member in view.participants() if (line := _about(member, lang, moment))]
        about += [
            t("intro.wants", lang, learner=mention(view.members[i].slack_id), note=escape(note))
            for i, note in (notes or {}).items()
            if i in view.members
        ]
        if about:
            content.append(section("\n".join(about)))
        content += [section(t("intro.agenda", lang)), section(t("intro.next", lang))]

    def label(key: str) -> str:
        return " / ".join(t(key, lang) for lang in langs)

    content.append(
        {
            "type": "actions",
            "block_id": BlockId.INTRO_ACTIONS,
            "elements": [
                button(label(N_("button.schedule")), ActionId.SCHEDULE, value, "primary"),
                button(label(N_("button.met")), ActionId.MET, value),
                button(label(N_("button.not_fit")), ActionId.NOT_FIT, value, "danger"),
                button(label(N_("button.report")), ActionId.REPORT, value),
            ],
        }
    )
    return content


def done_by(view: ExchangeView, key: str, slack_id: str) -> str:
    """What someone did, told to the whole group DM in each of its people's languages."""
    return for_everyone(view.languages(), lambda lang: t(key, lang, who=mention(slack_id)))


def intro_fallback(view: ExchangeView, langs: Sequence[str]) -> str:
    """Notification text for the intro (shown where blocks are not)."""
    people = ", ".join(mention(s) for s in view.slack_ids())
    return for_everyone(langs, lambda lang: t("intro.many", lang, people=people))


def _people(view: ExchangeView) -> str:
    return ", ".join(mention(s) for s in view.slack_ids())


def nudge_text(view: ExchangeView, langs: Sequence[str]) -> str:
    return for_everyone(langs, lambda lang: t("nudge.text", lang, people=_people(view)))


@dataclass(frozen=True)
class _ReasonTexts:
    """The keys of a modal that asks for one text about an exchange."""

    title: str
    submit: str
    label: str
    hint: str


_NOT_FIT = _ReasonTexts(
    N_("not_fit.title"), N_("not_fit.submit"), N_("not_fit.reason"), N_("not_fit.reason_hint")
)


_REPORT = _ReasonTexts(
    N_("report.title"), N_("report.submit"), N_("report.text"), N_("report.hint")
)


def _reason_modal(
    callback_id: CallbackId,
    exchange_id: int,
    lang: str,
    *,
    texts: _ReasonTexts,
    block_id: BlockId,
    optional: bool,
) -> View:
    field = input_block(
        block_id,
        t(texts.label, lang),
        {"type": "plain_text_input", "multiline": True, "max_length": 2000},
        optional=optional,
        hint=t(texts.hint, lang),
    )
    return modal(
        callback_id,
        t(texts.title, lang),
        t(texts.submit, lang),
        [field],
        private_metadata=str(exchange_id),
        lang=lang,
    )


def not_fit_modal(exchange_id: int, lang: str) -> View:
    """ "Not a fit", with an optional private reason."""
    return _reason_modal(
        CallbackId.NOT_FIT,
        exchange_id,
        lang,
        texts=_NOT_FIT,
        block_id=BlockId.NOT_FIT_REASON,
        optional=True,
    )


def report_modal(exchange_id: int, lang: str) -> View:
    """A confidential report for the community managers."""
    return _reason_modal(
        CallbackId.REPORT,
        exchange_id,
        lang,
        texts=_REPORT,
        block_id=BlockId.REPORT_TEXT,
        optional=False,
    )


def report_text(view: ExchangeView, reporter: str, text: str, lang: str) -> str:
    quoted = escape(text).replace("\n", "\n>")
    return t(
        "report.posted",
        lang,
        who=mention(reporter),
        people=_people(view),
        exchange=view.id,
        text=quoted,
    )
