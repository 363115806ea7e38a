"""What Rex shows in Slack, by feature: pure functions returning Block Kit dicts (messages,
modals, the Home tab), built from `kit`. Listeners and the outbox's senders call them."""
