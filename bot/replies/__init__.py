"""What people type to Rex in a DM: commands in English or French, and answers to the
question Rex asked last there (did the exchange happen, a rating, hours).

Pure text in, a small typed intent out: no Slack, no database. Precision first: a reply
the parser is not sure of comes back `Unknown`, and the caller answers with a friendly
help instead of acting on a guess. Intents carry only what was understood, never the text
itself, so nobody is tempted to store what people wrote.

Decisions worth knowing:
- Commands win: a DM starting with a command word is that command, or `Unknown` pointing
  to it when the rest does not fit ("me too" is not `/rex me`).
- To "Did it happen?", a bare "no" / "non" / 👎 (give or take "sorry") closes the
  exchange (`WontHappen`), as the issue asks. "No, we didn't meet" or "on s'est pas vus"
  only say it has not happened, so they get the reschedule offer (`NotYet`), the
  reversible choice; "no" with a reason Rex cannot follow ("non, il est malade") is
  `Unknown`.
- Any question mark, hedge ("maybe", "je crois") or mixed signal ("yes but not yet")
  is `Unknown`, except that a hedge does not stop `NotYet` ("not yet, maybe next week").
- A bare number is a rating only when a rating was asked, hours only when hours were
  asked (and at most 12: a bare "90" is more likely minutes than hours). Ranges, bounds,
  clock times and a second number ("1-2h", "more than 3h", "à 14h", "2 x 1h") are
  `Unknown`; only ratings out of 5 are taken ("8/10" is `Unknown`).
- Replies longer than 300 characters (30 words for "Did it happen?") are stories, not
  answers: `Unknown`.

The modules: `intents` (what a reply can mean, and `MAX_HOURS`), `parse` (`parse_reply`,
the entry point), `commands` (subcommand words in both languages), `happened` (answers to
"Did it happen?"), `numbers` (ratings and hours) and `folding` (the text folding they
share).
"""
