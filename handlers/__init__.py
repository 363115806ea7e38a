"""Everything that speaks Slack's wire format: the listeners (each module registers its own;
`register` wires them all), the views they and the outbox sender render (`views/`), and the
sender of the rows Rex owes (`outbox/`)."""

from slack_bolt import App

from handlers import (
    approval,
    commands,
    conversation,
    evaluation,
    exchanges,
    home,
    join,
    profile,
    workspace,
)


def register(app: App) -> None:
    for module in (
        commands,
        join,
        profile,
        exchanges,
        evaluation,
        home,
        conversation,
        approval,
        workspace,
    ):
        module.register(app)
