"""The managers' digest: what happened in a period, against the one before, in figures.

Slack-free; every figure is a SQL aggregate (GROUP BY, COUNT, SUM over CASE), so its cost
does not grow with Python loops over evaluations. Privacy rules:

- no comment and no individual rating is ever read: ratings are only summed and counted;
- a rating figure (satisfaction, goals) stands on the evaluations of at least `MIN_RATERS`
  different people (per skill, per week, per period), else it is None: one or two people
  would see their own rating given away, however many sessions they evaluated;
- periods are whole weeks, Monday 00:00 to Monday 00:00 where the managers are
  (`bot.periods.Period.weeks_to`),
  so two digests never differ by an hour's evaluations; a period of several weeks shows no
  rating figure when one of its weeks was rated by one or two people (the period's figure
  minus the other weeks' would give them away); and the per-skill figures are dropped when
  the period's evaluations they leave out number one or two, for the same reason;
- only members who opted in (`Member.leaderboard`) are ever named, and never more than
  `LEADERBOARD_MAX` of them in the leaderboard.

Each evaluation records its author's roles in the exchange (`as_learner`, `as_teacher`:
both in a swap), whether it came from the form or was typed in a DM without the goal
question. Learning hours are the hours learners reported, with no join to the lessons; goal
shares are over the learners' goal answers.

Exchange counts come from `ExchangeEvent` times: an exchange is proposed, evaluated,
declined or expired once, and counts as held in a period when one of its sessions was held
then; `sessions` counts each session held (the weekly series counts sessions).

Member statuses have no history: `active` and `paused` are today's statuses of members who
had joined by the period's end, and a member who has left since counts as active back then.

The modules: `model` (what a digest holds, and the thresholds above), `compute`
(`compute_digest`, the entry point), `activity` (members, exchanges, sessions and
evaluations by period and by week), `skills` (offer and demand, satisfaction per skill),
`leaderboard` (the opted-in members named) and `aggregates` (the SQL pieces they share,
among them the walk that finds k raters). The week calendar is `bot.periods`.
"""
