"""A round as the managers and members see it: the preview, a proposal to approve, and
why someone got no introduction."""

from collections import Counter
from collections.abc import Sequence
from typing import Final

from bot.exchanges import ExchangeView
from bot.i18n.messages import N_, t, tn
from bot.matching import normalize
from bot.matching.meeting import language_names, place_names
from bot.matching.rounds.model import ProposedExchange, RoundResult
from handlers.ids import ActionId, BlockId
from handlers.views.intro import lesson_line
from handlers.views.kit import (
    MESSAGE_BLOCK_LIMIT,
    Block,
    button,
    escape,
    mention,
    section,
    text_object,
)

# Keys chosen by a value: each a literal, so the extractor finds them all.
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
    lines += [lesson_line(view, lesson, lang) for lesson in view.lessons]
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
