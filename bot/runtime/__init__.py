"""The running Rex, below the listeners: its state (`Rex`), the paced Slack client, metrics.

Imported by `handlers` and `bot.serve`; imports only what lies below (the pure engines,
storage, settings) and `slack_sdk` for the client it builds."""
