"""The running Rex, below the listeners: its state (`Rex`), the paced Slack client, metrics.

Imported by `handlers` and `bot.serve`; imports only the domain, storage and settings (and
`slack_sdk` for the client it builds)."""
