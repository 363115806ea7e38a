"""Slack listeners. Each module registers its own; this wires them all."""

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
