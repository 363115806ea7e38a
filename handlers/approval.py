"""The managers' review of a round's proposals: approve, swap out, or reject."""

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot import exchanges, rounds
from bot.i18n.messages import N_, t
from handlers.context import exchange_id_of, language_of, rex_of, session_of, user_id_of
from handlers.ids import ActionId
from handlers.outbox import delivery


def register(app: App) -> None:
    app.action(ActionId.APPROVE)(on_approve)
    app.action(ActionId.REJECT)(on_reject)
    app.action(ActionId.SWAP_OUT)(on_swap_out)


def _decision(body: dict[str, Any], context: BoltContext, respond: Respond) -> int | None:
    """The exchange a manager decides on, or None (answered) when they may not."""
    if not rex_of(context).is_admin(user_id_of(body)):
        respond(
            text=t("admin.only", language_of(context)),
            response_type="ephemeral",
            replace_original=False,
        )
        return None
    return exchange_id_of(body)


def _closed(context: BoltContext, respond: Respond) -> None:
    respond(
        text=t("exchange.closed", language_of(context)),
        response_type="ephemeral",
        replace_original=False,
    )


Decision = Callable[..., object]


def _decide(decision: Decision, answer_key: str) -> Callable[..., None]:
    """A manager's button: the decision applied once, the proposal replaced by who did it."""

    def handle(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        exchange_id = _decision(body, context, respond)
        if exchange_id is None:
            return
        session = session_of(context)
        manager = user_id_of(body)
        try:
            decision(
                session, exchange_id=exchange_id, manager_id=manager, now=rex_of(context).clock()
            )
        except exchanges.ExchangeGone:
            _closed(context, respond)
            return
        session.commit()
        respond(
            text=t(answer_key, language_of(context), who=f"<@{manager}>"), replace_original=True
        )
        delivery.wake(rex_of(context))

    return handle


on_approve = _decide(rounds.approve, N_("approval.approved"))
on_reject = _decide(rounds.reject, N_("approval.rejected"))


def on_swap_out(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    """Reject this proposal and look again for its learners, never with the same people."""
    ack()
    exchange_id = _decision(body, context, respond)
    if exchange_id is None:
        return
    session = session_of(context)
    rex = rex_of(context)
    manager = user_id_of(body)
    try:
        view = rounds.reject(session, exchange_id=exchange_id, manager_id=manager, now=rex.clock())
    except exchanges.ExchangeGone:
        _closed(context, respond)
        return
    people = {i: m.slack_id for i, m in view.members.items()}
    pairs = tuple((people[x.teacher_id], people[x.learner_id]) for x in view.lessons)
    found = 0
    for learner in dict.fromkeys(people[x.learner_id] for x in view.lessons):
        result = rounds.run_round(
            session, config=rex.round_config, now=rex.clock(), only=learner, not_again=pairs
        )
        found += len(result.exchanges)
    session.commit()
    respond(
        text=t("approval.swapped", language_of(context), who=f"<@{manager}>", count=found),
        replace_original=True,
    )
    delivery.wake(rex)
