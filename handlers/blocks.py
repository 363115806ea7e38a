"""Block Kit for exchanges, rounds, help and the digest: pure functions returning dicts."""

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

from bot.calendar import SessionPlan
from bot.exchanges import ExchangeView
from bot.i18n.l10n import group_languages
from bot.i18n.messages import N_, t, tn
from bot.matching import normalize
from bot.matching.meeting import language_names, place_names
from bot.matching.rounds.model import ProposedExchange, RoundResult
from bot.text import escape
from handlers.blockkit import (
    MESSAGE_BLOCK_LIMIT,
    Block,
    View,
    button,
    input_block,
    mention,
    modal,
    options,
    section,
    text_object,
)
from handlers.ids import ActionId, BlockId, CallbackId
from storage import repo
from storage.models import ExchangeKind, Lesson, MeetingPreference, Member

# Keys chosen by a value: each a literal, so the extractor finds them all.
PREFERENCES: Final = {
    MeetingPreference.IN_PERSON: N_("preference.in_person"),
    MeetingPreference.REMOTE: N_("preference.remote"),
    MeetingPreference.EITHER: N_("preference.either"),
}
SATISFACTION: Final = {
    5: N_("eval.satisfaction.5"),
    4: N_("eval.satisfaction.4"),
    3: N_("eval.satisfaction.3"),
    2: N_("eval.satisfaction.2"),
    1: N_("eval.satisfaction.1"),
}
GOALS: Final = {
    "yes": N_("eval.goal.yes"),
    "partly": N_("eval.goal.partly"),
    "no": N_("eval.goal.no"),
}
UNMATCHED: Final = {
    "nobody_teaches": N_("unmatched.nobody_teaches"),
    "teachers_busy": N_("unmatched.teachers_busy"),
    "only_avoided_or_recent": N_("unmatched.only_avoided_or_recent"),
    "nothing_to_teach": N_("unmatched.nothing_to_teach"),
    "nothing_to_learn": N_("unmatched.nothing_to_learn"),
    "no_shared_language": N_("unmatched.no_shared_language"),
    "no_site": N_("unmatched.no_site"),
    "teachers_elsewhere": N_("unmatched.teachers_elsewhere"),
    "teachers_in_person": N_("unmatched.teachers_in_person"),
}


def help_blocks(lang: str, *, is_admin: bool, prefix: str | None = None) -> list[Block]:
    blocks = [section(prefix)] if prefix else []
    blocks.append(section(t("help", lang)))
    if is_admin:
        blocks.append(section(t("help.admin", lang)))
    return blocks


def _lesson_line(view: ExchangeView, lesson: Lesson, lang: str) -> str:
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
    return [head, *(_lesson_line(view, lesson, lang) for lesson in view.lessons)]


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
        about = [
            line
            for i in repo.participant_ids(view.lessons)
            if (line := _about(view.members[i], lang, moment))
        ]
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


def for_everyone(langs: Sequence[str], render: Callable[[str], str]) -> str:
    """A text for a shared conversation: rendered in each of `langs`, one paragraph each."""
    return "\n\n".join(render(lang) for lang in langs)


def done_by(view: ExchangeView, key: str, slack_id: str) -> str:
    """What someone did, told to the whole group DM in each of its people's languages."""
    langs = group_languages(view.members.values())
    return for_everyone(langs, lambda lang: t(key, lang, who=mention(slack_id)))


def intro_fallback(view: ExchangeView, langs: Sequence[str]) -> str:
    """Notification text for the intro (shown where blocks are not)."""
    people = ", ".join(mention(s) for s in view.slack_ids())
    return for_everyone(langs, lambda lang: t("intro.many", lang, people=people))


DURATIONS = (30, 45, 60, 90, 120)


@dataclass(frozen=True)
class ScheduleForm:
    """What the schedule form held when submitted, to show it again unchanged."""

    day: str
    clock: str
    duration: str
    place: str


def schedule_modal(
    exchange_id: int,
    lang: str,
    *,
    today: str,
    picked: ScheduleForm | None = None,
    night: Sequence[tuple[str, str]] = (),
) -> View:
    """Date, time in the clicker's own timezone, duration, and a place or a video link.
    Shown again with what was `picked` when the time falls in someone's `night` ((name,
    local time) pairs): it names them and asks to tick a box to keep that time."""
    durations = options([(str(m), t("schedule.minutes", lang, minutes=m)) for m in DURATIONS])
    chosen = picked or ScheduleForm(today, "12:00", str(DURATIONS[2]), "")
    duration = next((o for o in durations if o["value"] == chosen.duration), durations[2])
    place: dict[str, Any] = {
        "type": "plain_text_input",
        "max_length": 500,
        "placeholder": text_object(t("schedule.place_hint", lang)),
    }
    if chosen.place:
        place["initial_value"] = chosen.place
    blocks = [
        input_block(
            BlockId.SCHEDULE_DATE,
            t("schedule.date", lang),
            {"type": "datepicker", "initial_date": chosen.day},
        ),
        input_block(
            BlockId.SCHEDULE_TIME,
            t("schedule.time", lang),
            {"type": "timepicker", "initial_time": chosen.clock},
        ),
        input_block(
            BlockId.SCHEDULE_DURATION,
            t("schedule.duration", lang),
            {"type": "static_select", "options": durations, "initial_option": duration},
        ),
        input_block(BlockId.SCHEDULE_PLACE, t("schedule.place", lang), place, optional=True),
    ]
    if night:
        people = ", ".join(
            t("schedule.night_person", lang, name=escape(name), time=at) for name, at in night
        )
        blocks.append(section(t("schedule.night", lang, people=people)))
        keep = options([("yes", t("schedule.night_keep", lang))])
        blocks.append(
            input_block(
                BlockId.SCHEDULE_NIGHT,
                t("schedule.night_label", lang),
                {"type": "checkboxes", "options": keep},
                optional=True,
            )
        )
    return modal(
        CallbackId.SCHEDULE,
        t("schedule.title", lang),
        t("schedule.submit", lang),
        blocks,
        private_metadata=str(exchange_id),
        lang=lang,
    )


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


def _people(view: ExchangeView) -> str:
    return ", ".join(mention(s) for s in view.slack_ids())


def _skills(view: ExchangeView) -> str:
    return " / ".join(dict.fromkeys(lesson.teach_label for lesson in view.lessons))


def nudge_text(view: ExchangeView, langs: Sequence[str]) -> str:
    return for_everyone(langs, lambda lang: t("nudge.text", lang, people=_people(view)))


def _place_suffix(view: ExchangeView, lang: str) -> str:
    where = view.exchange.url or view.exchange.place
    return t("schedule.place_suffix", lang, place=escape(where)) if where else ""


def reminder_text(view: ExchangeView, langs: Sequence[str]) -> str:
    when = view.exchange.scheduled_at
    assert when is not None
    return for_everyone(
        langs,
        lambda lang: t(
            "reminder.text",
            lang,
            when=slack_date(when, lang),
            place=_place_suffix(view, lang),
        ),
    )


def invitation_text(view: ExchangeView, organiser: Member | None, langs: Sequence[str]) -> str:
    when = view.exchange.scheduled_at
    assert when is not None
    who = mention(organiser.slack_id) if organiser else "Rex"
    return for_everyone(
        langs,
        lambda lang: t(
            "schedule.done_full",
            lang,
            who=who,
            when=slack_date(when, lang),
            minutes=view.exchange.duration_minutes or 60,
            place=_place_suffix(view, lang),
        ),
    )


def session_plan(view: ExchangeView, tz: str | None, lang: str) -> SessionPlan:
    """What the .ics says: the skills, the people, where, in the organiser's timezone."""
    exchange = view.exchange
    assert exchange.scheduled_at is not None
    names = ", ".join(m.display_name or m.slack_id for m in view.members.values())
    return SessionPlan(
        exchange_id=view.id,
        start=exchange.scheduled_at,
        duration=timedelta(minutes=exchange.duration_minutes or 60),
        tz=tz or "UTC",
        title=t("schedule.ics_title", lang, skills=_skills(view)),
        description=t("schedule.ics_description", lang, people=names),
        place=exchange.place,
        url=exchange.url,
        attendees=tuple((m.display_name or m.slack_id, "") for m in view.members.values()),
        sequence=max(exchange.invitation_sequence - 1, 0),
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


def slack_date(when: datetime, lang: str = "en") -> str:
    """A date Slack shows in each reader's own timezone."""
    stamp = int(when.timestamp())
    fallback = when.strftime("%Y-%m-%d %H:%M UTC")
    tokens = t("date.slack", lang)
    return f"<!date^{stamp}^{tokens}|{fallback}>"


def followup_blocks(
    view: ExchangeView, slack_id: str, lang: str, *, reminder: bool = False
) -> list[Block]:
    """ "Did it happen?" with its three answers: yes (then the evaluation), not yet
    (reschedule), it won't happen."""
    others = [s for s in view.slack_ids() if s != slack_id]
    member = view.member_for(slack_id)
    skills = [
        lesson.teach_label
        for lesson in view.lessons
        if member is not None and member.id in (lesson.teacher_id, lesson.learner_id)
    ]
    text = t(
        N_("followup.reminder") if reminder else N_("followup.text"),
        lang,
        skill=escape(" / ".join(dict.fromkeys(skills))),
        others=", ".join(mention(s) for s in others),
    )
    value = str(view.id)
    return [
        section(text),
        {
            "type": "actions",
            "block_id": BlockId.FOLLOWUP_ACTIONS,
            "elements": [
                button(t("button.evaluate", lang), ActionId.EVALUATE, value, "primary"),
                button(t("button.not_yet", lang), ActionId.NOT_YET, value),
                button(t("button.wont_happen", lang), ActionId.WONT_HAPPEN, value, "danger"),
            ],
        },
    ]


def evaluation_modal(exchange_id: int, *, learner: bool, lang: str, teacher: bool = False) -> View:
    """What happens to the answers first; then satisfaction; the goal for a learner,
    usefulness for a teacher (both in a swap); hours; whether to meet again; a private
    comment."""
    satisfaction = [(str(n), t(key, lang)) for n, key in SATISFACTION.items()]
    answers = options([(g, t(key, lang)) for g, key in GOALS.items()])
    blocks = [
        section(t("eval.privacy", lang)),
        input_block(
            BlockId.EVAL_SATISFACTION,
            t("eval.satisfaction", lang),
            {"type": "static_select", "options": options(satisfaction)},
        ),
    ]
    if learner:
        blocks.append(
            input_block(
                BlockId.EVAL_GOAL,
                t("eval.goal", lang),
                {"type": "radio_buttons", "options": answers},
            )
        )
    if teacher:
        blocks.append(
            input_block(
                BlockId.EVAL_USEFUL,
                t("eval.useful", lang),
                {"type": "radio_buttons", "options": answers},
            )
        )
    blocks += [
        input_block(
            BlockId.EVAL_HOURS,
            t("eval.hours", lang),
            {
                "type": "number_input",
                "is_decimal_allowed": True,
                "min_value": "0",
                "max_value": "100",
            },
        ),
        input_block(
            BlockId.EVAL_ANOTHER,
            t("eval.another", lang),
            {"type": "checkboxes", "options": options([("yes", t("eval.another.yes", lang))])},
            optional=True,
        ),
        input_block(
            BlockId.EVAL_COMMENT,
            t("eval.comment", lang),
            {"type": "plain_text_input", "multiline": True, "max_length": 2000},
            optional=True,
            hint=t("eval.comment_hint", lang),
        ),
    ]
    return modal(
        CallbackId.EVALUATION,
        t("eval.title", lang),
        t("eval.submit", lang),
        blocks,
        private_metadata=str(exchange_id),
        lang=lang,
    )


def unmatched_text(
    reason: str,
    skill: str | None,
    demand: int,
    lang: str,
    *,
    languages: Sequence[str] = (),
    sites: Sequence[str] = (),
    teachers: int = 0,
) -> str:
    """Why someone got no introduction this round, in their words for the skill: the
    languages they speak (named in `lang`) or where the teachers are, when that is why."""
    others = tn("unmatched.others", demand, lang) if demand else ""
    skill_text = escape(skill or "")
    if reason in ("teachers_elsewhere", "teachers_in_person"):
        where = (
            t("unmatched.where.in", lang, sites=place_names([escape(s) for s in sites], lang))
            if sites
            else t("unmatched.where.elsewhere", lang)
        )
        count = max(teachers, 1)
        return tn(UNMATCHED[reason], count, lang, skill=skill_text, where=where)
    spoken = escape(language_names(languages, lang))
    return t(UNMATCHED[reason], lang, skill=skill_text, others=others, languages=spoken)


def _preview_line(exchange: ProposedExchange, lang: str) -> str:
    lessons = exchange.lessons
    first = lessons[0]
    if exchange.kind == "swap":
        return t(
            "preview.line.swap",
            lang,
            first=mention(first.teacher),
            second=mention(first.learner),
            skill=escape(first.teach),
            other=escape(lessons[1].teach),
        )
    if exchange.kind == "cycle":
        chain = " → ".join(f"{mention(x.teacher)} (*{escape(x.teach)}*)" for x in lessons)
        return t("preview.line.cycle", lang, people=f"{chain} → {mention(first.teacher)}")
    if exchange.kind == "group":
        learners = ", ".join(mention(x.learner) for x in lessons)
        return t(
            "preview.line.group",
            lang,
            teacher=mention(first.teacher),
            skill=escape(first.teach),
            learners=learners,
        )
    return t(
        "preview.line.pair",
        lang,
        teacher=mention(first.teacher),
        learner=mention(first.learner),
        skill=escape(first.teach),
    )


PREVIEW_LINES = 40


def preview_blocks(result: RoundResult, lang: str) -> list[Block]:
    """An admin's look at what a round would propose: a summary, the first exchanges, and
    the skills wanted that nobody teaches."""
    kinds = Counter(e.kind for e in result.exchanges)
    served = len({x.learner for e in result.exchanges for x in e.lessons})
    content: list[Block] = [
        {"type": "header", "text": text_object(t("preview.title", lang))},
        section(
            t(
                "preview.summary",
                lang,
                exchanges=len(result.exchanges),
                swaps=kinds["swap"],
                cycles=kinds["cycle"],
                groups=kinds["group"],
                pairs=kinds["pair"],
                served=served,
                unmatched=len(result.unmatched),
            )
        ),
    ]
    lines = [f"• {_preview_line(e, lang)}" for e in result.exchanges[:PREVIEW_LINES]]
    if len(result.exchanges) > PREVIEW_LINES:
        lines.append(t("preview.more", lang, count=len(result.exchanges) - PREVIEW_LINES))
    content += [section("\n".join(lines[i : i + 10])) for i in range(0, len(lines), 10)]
    wanted: Counter[str] = Counter()
    wording: dict[str, str] = {}
    for u in result.unmatched:
        if u.reason_code == "nobody_teaches" and u.skill:
            key = normalize(u.skill)
            wanted[key] += 1
            wording.setdefault(key, u.skill)
    if wanted:
        top = ", ".join(f"*{escape(wording[k])}* ({n})" for k, n in wanted.most_common(10))
        content.append(section(t("preview.wanted", lang, skills=top)))
    return content[:MESSAGE_BLOCK_LIMIT]


def approval_blocks(view: ExchangeView, lang: str) -> list[Block]:
    """A round's proposal as the managers review it before any intro goes out."""
    value = str(view.id)
    lines = [t("approval.title", lang, exchange=view.id, kind=view.exchange.kind)]
    lines += [_lesson_line(view, lesson, lang) for lesson in view.lessons]
    return [
        section("\n".join(lines)),
        {
            "type": "actions",
            "block_id": BlockId.APPROVAL_ACTIONS,
            "elements": [
                button(t("button.approve", lang), ActionId.APPROVE, value, "primary"),
                button(t("button.swap_out", lang), ActionId.SWAP_OUT, value),
                button(t("button.reject", lang), ActionId.REJECT, value, "danger"),
            ],
        },
    ]
