"""The managers' review of a round's proposals: approve, swap out, or reject."""

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot import rounds
from bot.i18n.messages import N_, t
from handlers.context import (
    ONLY_TO_CLICKER,
    exchange_id_of,
    language_of,
    rex_of,
    session_of,
    user_id_of,
)
from handlers.ids import ActionId
from handlers.listening import Refusal, committed
from handlers.outbox import delivery
from handlers.views.kit import mention


def register(app: App) -> None:
    app.action(ActionId.APPROVE)(on_decision)
    app.action(ActionId.REJECT)(on_decision)
    app.action(ActionId.SWAP_OUT)(on_swap_out)


def _decision(body: dict[str, Any], context: BoltContext, respond: Respond) -> int | None:
    """The exchange a manager decides on, or None (answered) when they may not."""
    if not rex_of(context).is_admin(user_id_of(body)):
        respond(text=t("admin.only", language_of(context)), **ONLY_TO_CLICKER)
        return None
    return exchange_id_of(body)


Decision = Callable[..., object]
# The managers' buttons that decide alone, and what each says in place of the proposal.
DECISIONS: dict[str, tuple[Decision, str]] = {
    ActionId.APPROVE: (rounds.approve, N_("approval.approved")),
    ActionId.REJECT: (rounds.reject, N_("approval.rejected")),
}


def on_decision(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    """Approve or Reject: the decision applied once, the proposal replaced by who did it
    (a proposal already decided is answered to the manager alone)."""
    ack()
    exchange_id = _decision(body, context, respond)
    if exchange_id is None:
        return
    decision, answer_key = DECISIONS[body["actions"][0]["action_id"]]
    manager = user_id_of(body)
    lang = language_of(context)

    def decide() -> None:
        session, now = session_of(context), rex_of(context).clock()
        decision(session, exchange_id=exchange_id, manager_id=manager, now=now)

    if committed(context, decide, _to_manager(respond, lang)) is None:
        return
    respond(text=t(answer_key, lang, who=mention(manager)), replace_original=True)
    delivery.wake(rex_of(context))


def on_swap_out(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    """Reject this proposal and look again for its learners, never with the same people."""
    ack()
    exchange_id = _decision(body, context, respond)
    if exchange_id is None:
        return
    session = session_of(context)
    rex = rex_of(context)
    manager = user_id_of(body)

    def swap_out() -> int:
        """How many new introductions were found for the learners."""
        view = rounds.reject(session, exchange_id=exchange_id, manager_id=manager, now=rex.clock())
        people = {i: m.slack_id for i, m in view.members.items()}
        pairs = tuple((people[x.teacher_id], people[x.learner_id]) for x in view.lessons)
        found = 0
        for learner in dict.fromkeys(people[x.learner_id] for x in view.lessons):
            result = rounds.run_round(
                session, config=rex.round_config, now=rex.clock(), only=learner, not_again=pairs
            )
            found += len(result.exchanges)
        return found

    lang = language_of(context)
    swapped = committed(context, swap_out, _to_manager(respond, lang))
    if swapped is None:
        return
    respond(
        text=t("approval.swapped", lang, who=mention(manager), count=swapped.value),
        replace_original=True,
    )
    delivery.wake(rex)


def _to_manager(respond: Respond, lang: str) -> Callable[[Refusal], None]:
    """The domain's one refusal here, a proposal already decided, told to the manager alone."""

    def answer(_: Refusal) -> None:
        respond(text=t("exchange.closed", lang), **ONLY_TO_CLICKER)

    return answer
