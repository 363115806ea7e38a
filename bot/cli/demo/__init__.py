"""`rex demo`: a simulated community plays Rex's whole loop offline, then shows what each saw.

It is the first thing a newcomer runs, so it needs no Slack workspace and no token: the fake
Slack server and the real bot (HTTP mode, signed requests, a throwaway SQLite database) come
from `bot.offline.sandbox`. People act only through slash commands, buttons and modal submissions,
and every text in the transcript is read back from what the fake Slack recorded, so the
demo shows Rex as it really answers. Every run plays the same story (one seeded
`random.Random`); only the dates follow the calendar.

The modules: `run` (`run_demo`, the entry point), `script` (who plays and what happens to
them), `scenes` (the community acting through the sandbox, scene by scene), `transcript`
(the text it prints) and `render` (Slack's mrkdwn and buttons as plain text).
"""
