"""Block Kit for exchanges, rounds, help and the digest: pure functions returning dicts."""

from collections import Counter
from datetime import datetime

from bot.digest import DigestFigures
from bot.exchanges import ExchangeView
from bot.matching import normalize
from bot.messages import t, tn
from bot.rounds import ProposedExchange, RoundResult
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


def help_blocks(lang: str, *, is_admin: bool, prefix: str | None = None) -> list[Block]:
    blocks = [section(prefix)] if prefix else []
    blocks.append(section(t("help", lang)))
    if is_admin:
        blocks.append(section(t("help.admin", lang)))
    return blocks


def intro_blocks(view: ExchangeView, lang: str) -> list[Block]:
    """The group DM's first message: who teaches what to whom, and what to do next."""
    value = str(view.id)
    people = view.members
    if len(view.lessons) == 1:
        lesson = view.lessons[0]
        text = t(
            "intro.pair",
            lang,
            teacher=mention(people[lesson.teacher_id].slack_id),
            learner=mention(people[lesson.learner_id].slack_id),
            teach=escape(lesson.teach_label),
            learn=escape(lesson.learn_label),
        )
    else:
        lines = [t("intro.many", lang, people=", ".join(mention(s) for s in view.slack_ids()))]
        lines += [
            "• "
            + t(
                "intro.lesson",
                lang,
                teacher=mention(people[lesson.teacher_id].slack_id),
                learner=mention(people[lesson.learner_id].slack_id),
                teach=escape(lesson.teach_label),
                learn=escape(lesson.learn_label),
            )
            for lesson in view.lessons
        ]
        text = "\n".join(lines)
    return [
        section(text),
        section(t("intro.next", lang)),
        {
            "type": "actions",
            "block_id": BlockId.INTRO_ACTIONS,
            "elements": [
                button(t("button.schedule", lang), ActionId.SCHEDULE, value, "primary"),
                button(t("button.met", lang), ActionId.MET, value),
                button(t("button.not_fit", lang), ActionId.NOT_FIT, value, "danger"),
            ],
        },
    ]


def intro_fallback(view: ExchangeView, lang: str) -> str:
    """Notification text for the intro (shown where blocks are not)."""
    return t("intro.many", lang, people=", ".join(mention(s) for s in view.slack_ids()))


def schedule_modal(exchange_id: int, lang: str) -> View:
    blocks = [
        input_block(BlockId.SCHEDULE_WHEN, t("schedule.date", lang), {"type": "datetimepicker"}),
        input_block(
            BlockId.SCHEDULE_PLACE,
            t("schedule.place", lang),
            {
                "type": "plain_text_input",
                "max_length": 200,
                "placeholder": text_object(t("schedule.place_hint", lang)),
            },
            optional=True,
        ),
    ]
    return modal(
        CallbackId.SCHEDULE,
        t("schedule.title", lang),
        t("schedule.submit", lang),
        blocks,
        private_metadata=str(exchange_id),
        lang=lang,
    )


def slack_date(when: datetime) -> str:
    """A date Slack shows in each reader's own timezone."""
    stamp = int(when.timestamp())
    fallback = when.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{stamp}^{{date_long_pretty}} at {{time}}|{fallback}>"


def followup_blocks(view: ExchangeView, slack_id: str, lang: str) -> list[Block]:
    others = [s for s in view.slack_ids() if s != slack_id]
    member = view.member_for(slack_id)
    skills = [
        lesson.teach_label
        for lesson in view.lessons
        if member is not None and member.id in (lesson.teacher_id, lesson.learner_id)
    ]
    text = t(
        "followup.text",
        lang,
        skill=escape(" / ".join(dict.fromkeys(skills))),
        others=", ".join(mention(s) for s in others),
    )
    return [
        section(text),
        {
            "type": "actions",
            "block_id": BlockId.FOLLOWUP_ACTIONS,
            "elements": [
                button(t("button.evaluate", lang), ActionId.EVALUATE, str(view.id), "primary")
            ],
        },
    ]


def evaluation_modal(exchange_id: int, *, learner: bool, lang: str) -> View:
    satisfaction = [(str(n), t(f"eval.satisfaction.{n}", lang)) for n in range(5, 0, -1)]
    blocks = [
        input_block(
            BlockId.EVAL_SATISFACTION,
            t("eval.satisfaction", lang),
            {"type": "static_select", "options": options(satisfaction)},
        ),
    ]
    if learner:
        goals = [(g, t(f"eval.goal.{g}", lang)) for g in ("yes", "partly", "no")]
        blocks.append(
            input_block(
                BlockId.EVAL_GOAL,
                t("eval.goal", lang),
                {"type": "radio_buttons", "options": options(goals)},
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


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


def digest_blocks(figures: DigestFigures, lang: str) -> list[Block]:
    title = t(
        "digest.title",
        lang,
        since=figures.since.date().isoformat(),
        until=figures.until.date().isoformat(),
    )
    lines = [
        t(
            "digest.members",
            lang,
            members=figures.active + figures.paused,
            active=figures.active,
            paused=figures.paused,
            new=figures.new_members,
        ),
        t("digest.exchanges", lang, proposed=figures.proposed, held=figures.held),
    ]
    if figures.evaluations:
        lines += [
            t(
                "digest.quality",
                lang,
                satisfaction=_percent(figures.satisfaction_rate),
                average=f"{figures.satisfaction_average or 0:.1f}",
                evaluations=figures.evaluations,
            ),
            t(
                "digest.goals",
                lang,
                yes=_percent(figures.goals_yes),
                partly=_percent(figures.goals_partly),
            ),
        ]
    else:
        lines.append(t("digest.no_evaluations", lang))
    lines.append(t("digest.hours", lang, hours=f"{figures.hours:g}"))
    return [{"type": "header", "text": text_object(title[:150])}, section("\n".join(lines))]


def unmatched_text(reason: str, skill: str | None, demand: int, lang: str) -> str:
    """Why someone got no introduction this round, in their words for the skill."""
    others = tn("unmatched.others", demand, lang) if demand else ""
    return t(f"unmatched.{reason}", lang, skill=escape(skill or ""), others=others)


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
