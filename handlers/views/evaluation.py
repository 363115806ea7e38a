"""After a session: "did it happen?" with its answers, and the evaluation modal."""

from typing import Final

from bot.exchanges import ExchangeView
from bot.i18n.messages import N_, t
from bot.replies.intents import MAX_HOURS
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
)

# Keys chosen by a value: each a literal, so the extractor finds them all.
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
                "max_value": str(int(MAX_HOURS)),
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
