"""The message catalogue: every text a person reads, keyed by id, English first.

Placeholders use `str.format` names; values that come from people must be escaped by the
caller (see `bot.text.escape`) before they are passed in.
"""

from typing import Final

from bot.messages_fr import FR

DEFAULT_LANGUAGE: Final = "en"

MESSAGES: Final[dict[str, dict[str, str]]] = {
    "en": {
        # help and charter
        "help": (
            "*Rex, the knowledge exchange network*\n"
            "Share what you know, learn what you want: Rex introduces people who can teach "
            "each other.\n"
            "• `/rex join`: join the network (what you can teach, what you want to learn)\n"
            "• `/rex`: edit your profile\n"
            "• `/rex teach <skill>` / `/rex learn <skill>`: add a skill you can teach / want "
            "to learn\n"
            "• `/rex remove <skill>`: remove a skill\n"
            "• `/rex me`: see your profile · `/rex me hours`: your learning time\n"
            "• `/rex pause [until YYYY-MM-DD]` / `/rex resume`: stop or restart introductions\n"
            "• `/rex avoid @someone`: never be matched with someone (only you see this list)\n"
            "• `/rex mydata`: get everything Rex stores about you\n"
            "• `/rex leave`: leave the network · `/rex forget-me`: delete your data\n"
            "• `/rex help`: this help"
        ),
        "help.admin": (
            "*Admin*\n• `/rex admin round`: run a matching round now\n"
            "• `/rex admin preview`: see what a round would propose, sending nothing\n"
            "• `/rex admin digest [week|month|quarter]`: post the digest now · "
            "`/rex admin stats`: the same figures, only for you\n"
            "• `/rex admin export [csv|xapi] [since] [until]`: learning records, as a file\n"
            "• `/rex admin pause @someone`: pause a member's introductions\n"
            "• `/rex admin approval on|off`: review each round's proposals before intros go out"
        ),
        "unknown_command": "I don't know `{command}`. Here is what I can do:",
        "dm.met": "Great, noted that you met! One click to evaluate it:",
        "dm.reschedule": "No problem. Pick a new time when you're ready:",
        "dm.closed": (
            "Noted: this exchange is closed. You're back in the pool for the next round."
        ),
        "dm.gone": "That exchange is already over. Thank you!",
        "dm.no_question": "Thanks! I haven't asked you anything right now, though.",
        "dm.noted_rating": "Noted: {rating}/5. And how long did it take? (for example 1h30)",
        "dm.noted_hours": "Noted: {hours} h. And how satisfied are you, out of 5?",
        "dm.recorded": "Recorded your evaluation: {rating}/5 and {hours} h. Thank you!",
        "button.correct": "Correct it",
        "dm.unknown": (
            "I didn't catch that, sorry. I understand commands such as `help`, `teach Python` or "
            '`me`, and answers to my questions ("yes, we met", "not yet").'
        ),
        "dm.did_you_mean": "Did you mean `{command}`?",
        "dm.join_hint": "To join, type `/rex join`: it opens the form with the charter.",
        "mention.unknown": (
            'I\'m here! In this conversation I understand "@Rex we met", "@Rex reschedule" '
            'and "@Rex help".'
        ),
        "language.set": "From now on I'll write to you in English.",
        "language.usage": "Pick `en` or `fr`: `/rex language fr`",
        "did_you_mean": "I don't know `{command}`: did you mean `/rex {suggestion}`?",
        "list.more": "… and {count} more",
        "charter": (
            "*The charter*\n"
            "• *Voluntary*: you take part because you want to, and can pause or leave any time.\n"
            "• *Reciprocal*: everyone teaches something and learns something "
            "(not necessarily with the same person).\n"
            "• *Knowledge, not services*: we pass on know-how; nobody does the work for "
            "someone else.\n"
            "• *Confidential*: what is said in an exchange stays in it.\n"
            "• *Evaluated*: after each exchange, a short private evaluation helps the "
            "network improve."
        ),
        # join modal
        "join.title": "Join Rex",
        "join.submit": "Join",
        "join.close": "Cancel",
        "join.agree_label": "Charter",
        "join.agree": "I agree to the charter",
        "join.teach_label": "What I can teach",
        "join.teach_hint": "One skill per line, e.g. Excel pivot tables",
        "join.learn_label": "What I want to learn",
        "join.learn_hint": "One skill per line, e.g. public speaking",
        "join.welcome": (
            "Welcome to Rex, {name}! You can teach {teach} and want to learn {learn}. "
            "I'll introduce you at the next matching round."
        ),
        "join.already": "You're already a member. Here is your profile:",
        # profile commands
        "skill.added.teach": "Added *{skill}* to what you can teach.",
        "skill.added.learn": "Added *{skill}* to what you want to learn.",
        "skill.known": "*{skill}* is already in your profile.",
        "skill.usage.teach": "Tell me the skill: `/rex teach Excel pivot tables`",
        "skill.usage.learn": "Tell me the skill: `/rex learn public speaking`",
        "skill.usage.remove": "Tell me the skill: `/rex remove Excel`",
        "skill.removed": "Removed *{skill}* from your profile.",
        "skill.title": "Add a skill",
        "skill.submit": "Add",
        "skill.kind": "I want to",
        "skill.kind.teach": "teach it",
        "skill.kind.learn": "learn it",
        "skill.label": "Skill",
        "skill.label_hint": "Start typing: pick a suggestion or keep your own wording.",
        "skill.level": "Level",
        "skill.note": "What exactly (optional)",
        "skill.note_hint": "e.g. pivot tables for the monthly report",
        "level.basics": "can teach the basics",
        "level.intermediate": "intermediate",
        "level.expert": "expert",
        "level.beginner": "beginner",
        "level.some": "some experience",
        "profile.title": "Your Rex profile",
        "profile.submit": "Save",
        "profile.teach": "What I can teach",
        "profile.learn": "What I want to learn",
        "profile.skills_hint": "Start typing: pick a suggestion or keep your own wording.",
        "profile.bio": "About me (optional)",
        "profile.languages": "Languages I can exchange in",
        "profile.preference": "I prefer to meet",
        "preference.in_person": "in person",
        "preference.remote": "remotely",
        "preference.either": "either way",
        "pause.title": "Pause Rex",
        "pause.submit": "Pause",
        "pause.until": "Pause until",
        "pause.hint": "Rex resumes your introductions on that day.",
        "paused.until": (
            "Paused until {date}. I'll resume your introductions then; `/rex resume` brings you "
            "back sooner."
        ),
        "avoid.added": (
            "Noted, confidentially: I'll never match you with {who}. Only you can see this list."
        ),
        "avoid.known": "{who} is already on your list.",
        "avoid.usage": "Mention the person: `/rex avoid @someone`.",
        "avoid.list": "Only you can see this list: {people}",
        "mydata.sent": "I've sent you everything Rex stores about you as a JSON file, in our DM.",
        "mydata.title": "Everything Rex stores about you",
        "forget.confirm": (
            "This deletes your profile, skills and avoid list, and anonymises your past "
            "exchanges (the network's totals stay right). It can't be undone."
        ),
        "forget.button": "Delete my data",
        "forget.dialog_title": "Delete your data?",
        "forget.dialog_confirm": "Delete",
        "forget.dialog_deny": "Keep it",
        "forget.done": "Done: your data is deleted. Thank you for the exchanges!",
        "match_now.found.one": "Found you {count} introduction: look for a new group DM.",
        "match_now.found.other": "Found you {count} introductions: look for the new group DMs.",
        "match_now.none": "No match right now; I'll keep looking at every round.",
        "me.title": "*Your Rex profile* ({status})",
        "me.teach": "*Can teach:* {skills}",
        "me.learn": "*Wants to learn:* {skills}",
        "me.none": "nothing yet",
        "me.incomplete.teach": (
            "You have nothing to teach yet, so I can't match you: add one with `/rex teach`."
        ),
        "me.incomplete.learn": (
            "You have nothing to learn yet, so I can't match you: add one with `/rex learn`."
        ),
        "status.active": "active",
        "status.paused": "paused",
        "status.left": "left",
        "status.paused_until": "paused until {date}",
        "status.incomplete": "incomplete: not matched until both lists have a skill",
        "state.proposed": "proposed",
        "state.scheduled": "scheduled",
        "state.held": "held",
        "state.declined": "declined",
        "state.cancelled": "cancelled",
        "not_member": "You haven't joined Rex yet: type `/rex join` to start.",
        "paused": "Paused. I won't introduce you to anyone until you type `/rex resume`.",
        "resumed": "Welcome back! You'll be part of the next matching round.",
        "left": (
            "You've left Rex. Your open introductions are closed; "
            "type `/rex join` to come back any time."
        ),
        # errors
        "error.need_teach": "Reciprocity is the rule: add at least one skill you can teach.",
        "error.need_learn": "Reciprocity is the rule: add at least one skill you want to learn.",
        "error.charter": "Please agree to the charter to join.",
        "error.label_empty": "A skill can't be empty.",
        "error.label_too_long": "A skill is at most {max} characters.",
        "error.label_control": "A skill can't contain control characters.",
        "error.too_many_skills": "At most {max} skills here.",
        "error.hours": "Hours must be a number between 0 and {max}.",
        "error.evaluation_closed": (
            "This evaluation already counts in a finished week's figures, so it can't be "
            "changed any more."
        ),
        "error.date_past": "Pick a date and time in the future.",
        "error.level": "Pick a level from the list.",
        "error.pause_date": "Pick a date in the future, within {days} days.",
        "error.text_too_long": "At most {max} characters here.",
        "error.text_control": "This text can't contain control characters.",
        "error.skill_unknown": "*{skill}* isn't in your profile.",
        "error.avoid_self": "You can't avoid yourself.",
        "error.generic": "Something went wrong on my side; please try again in a minute.",
        # intros and exchanges
        "intro.pair": (
            "Hello {teacher} and {learner}! :wave:\n"
            "{teacher} can teach *{teach}*, and {learner} wants to learn *{learn}*."
        ),
        "intro.next": (
            "Next step: agree on a time for a first session (a call or a coffee, about an "
            "hour). Use *Schedule* to set it, *We met* once it happened, or *Not a fit* "
            "if it won't work."
        ),
        "intro.lesson": "{teacher} teaches *{teach}* to {learner} (wants *{learn}*)",
        "intro.many": "Hello {people}! :wave: Rex thinks you can help each other:",
        "intro.swap": "Hello {people}! :wave: A swap: each of you teaches the other.",
        "intro.cycle": (
            "Hello {people}! :wave: A circle of three: each of you teaches the next one."
        ),
        "intro.group": (
            "Hello {people}! :wave: A small group: {teacher} teaches *{skill}* to all of you."
        ),
        "intro.speaks": "speaks {languages}",
        "intro.french_line": (
            "_In French:_ Rex writes to each of you in your own language; "
            "`/rex language fr` switches yours."
        ),
        "intro.local_time": "local time {time}",
        "intro.meets": "prefers to meet {preference}",
        "intro.wants": "{learner} would like to learn: _{note}_",
        "intro.agenda": (
            "*A first session, for example:* five minutes on what each of you wants to get out "
            "of it, then the core (show, try, ask), and to finish, what to practise and whether "
            "to meet again."
        ),
        "button.schedule": "Schedule",
        "button.met": "We met",
        "button.not_fit": "Not a fit",
        "button.evaluate": "Yes, we met",
        "schedule.title": "Schedule a session",
        "schedule.submit": "Schedule",
        "schedule.date": "Date",
        "schedule.place": "Place or video link",
        "schedule.place_hint": "e.g. Room 4.12, or a meeting link",
        "schedule.done": "{who} scheduled a session on {when}{place}.",
        "schedule.place_suffix": " ({place})",
        "met.done": "{who} says you met. Thanks! I'll ask each of you for a short evaluation.",
        "met.already": "Already noted that you met. Thanks!",
        "not_fit.done": (
            "{who} can't take this one on. No problem at all: everyone is back in the pool "
            "for the next round."
        ),
        "not_fit.title": "Not a fit",
        "not_fit.submit": "Send",
        "not_fit.reason": "Why, if you'd like to say (optional)",
        "not_fit.reason_hint": (
            "Only the community managers' aggregates use it; the others never see it."
        ),
        "button.report": "Report a problem",
        "report.title": "Report a problem",
        "report.submit": "Send",
        "report.text": "What happened?",
        "report.hint": (
            "Only the community managers read this; the others in the exchange never see it."
        ),
        "report.thanks": (
            "Thank you. Your report went to the community managers only; someone will get "
            "back to you."
        ),
        "report.posted": (
            ":warning: *Problem reported* by {who} about an exchange with {people} "
            "(exchange {exchange}):\n>{text}"
        ),
        "nudge.text": (
            "A gentle nudge, {people}: have you found a moment for a first session? "
            "*Schedule* it, tell me *We met*, or *Not a fit* if it won't work: all fine."
        ),
        "expired.text": (
            "This introduction has expired after {days} days without news. No problem: you're "
            "all back in the pool for the next round."
        ),
        "auto_paused.text": (
            "Your last {count} introductions expired without news, so I've paused yours for "
            "now. What would you like?"
        ),
        "button.keep_active": "Keep me active",
        "button.pause_me": "Pause me until…",
        "button.leave": "Leave Rex",
        "schedule.time": "Time (your local time)",
        "schedule.duration": "Duration",
        "schedule.minutes": "{minutes} min",
        "schedule.done_full": (
            "{who} scheduled a session on {when} for {minutes} min{place}. The invitation "
            "is attached: open it to add it to your calendar."
        ),
        "schedule.ics_title": "Rex: {skills}",
        "schedule.ics_description": "Knowledge exchange with {people}, introduced by Rex.",
        "reminder.text": "Reminder: your session is {when}{place}. Enjoy!",
        "error.time": "Pick a valid time.",
        "error.place": "That link doesn't look right: {reason}",
        "exchange.closed": "This exchange is closed.",
        "exchange.not_yours": "This exchange belongs to other people.",
        # follow-up and evaluation
        "followup.text": (
            "Did your session about *{skill}* with {others} happen? If it did, two minutes of "
            "evaluation help the network (only aggregates are ever shown)."
        ),
        "followup.reminder": (
            "A reminder: did your session about *{skill}* with {others} happen? Without news "
            "I'll close this exchange in a few days."
        ),
        "button.not_yet": "Not yet (reschedule)",
        "button.wont_happen": "It won't happen",
        "wont_happen.done": (
            "{who} says it won't happen this time. No problem: everyone is back in the pool "
            "for the next round."
        ),
        "closed.text": "Without news, I've closed this exchange. Thank you all!",
        "another.asked": "{who} would like another session: pick a time with *Schedule*.",
        "eval.useful": "Was it useful to teach?",
        "eval.another": "Next",
        "eval.another.yes": "I'd like another session",
        "eval.title": "How did it go?",
        "eval.submit": "Send",
        "eval.satisfaction": "Satisfaction",
        "eval.satisfaction.1": "1 - Not at all satisfied",
        "eval.satisfaction.2": "2 - Not very satisfied",
        "eval.satisfaction.3": "3 - Fairly satisfied",
        "eval.satisfaction.4": "4 - Satisfied",
        "eval.satisfaction.5": "5 - Very satisfied",
        "eval.goal": "Was the learning goal met?",
        "eval.goal.yes": "Yes",
        "eval.goal.partly": "Partly",
        "eval.goal.no": "No",
        "eval.hours": "Hours spent",
        "eval.comment": "Private comment (optional)",
        "eval.comment_hint": (
            "Only the community managers' aggregates use it; nobody else reads it."
        ),
        "eval.thanks": "Thanks for your evaluation! It counts {hours} h of learning time.",
        "eval.already": "Your evaluation is updated. Thanks!",
        # rounds
        "round.done.one": "Round done: {count} introduction on its way.",
        "round.done.other": "Round done: {count} introductions on their way.",
        "unmatched.nobody_teaches": (
            "No introduction for you this round: nobody in the network teaches *{skill}* "
            "yet{others}. I'll look again at every round; a colleague who knows it can join "
            "with `/rex join`."
        ),
        "unmatched.teachers_busy": (
            "No introduction for you this round: everyone who teaches *{skill}* is fully "
            "booked{others}. You'll be among the first served next round."
        ),
        "unmatched.only_avoided_or_recent": (
            "No introduction for you this round: the people who teach *{skill}* are ones you "
            "met recently or asked not to meet. I'll keep looking."
        ),
        "unmatched.nothing_to_teach": (
            "I couldn't match you this round: exchanges are reciprocal, so add a skill you can "
            "teach with `/rex teach <skill>`."
        ),
        "unmatched.nothing_to_learn": (
            "I couldn't match you this round: add a skill you want to learn with "
            "`/rex learn <skill>`."
        ),
        "unmatched.others.one": "; {count} other person wants it too",
        "unmatched.others.other": "; {count} other people want it too",
        "preview.title": "Round preview (nothing was sent)",
        "preview.summary": (
            "Exchanges proposed: *{exchanges}* (swaps: {swaps}, cycles: {cycles}, "
            "groups: {groups}, pairs: {pairs}) · learners served: *{served}* · "
            "left out: *{unmatched}*"
        ),
        "preview.line.pair": "{teacher} teaches *{skill}* to {learner}",
        "preview.line.swap": "{first} and {second} swap *{skill}* / *{other}*",
        "preview.line.cycle": "cycle: {people}",
        "preview.line.group": "{teacher} teaches *{skill}* to a group: {learners}",
        "preview.more": "… and {count} more.",
        "preview.wanted": "*Wanted, nobody teaches:* {skills}",
        "admin.only": "Only Rex admins can do that.",
        "admin.usage": (
            "Admin commands: `/rex admin round`, `/rex admin preview`, `/rex admin digest`, "
            "`/rex admin export [csv|xapi] [YYYY-MM-DD] [YYYY-MM-DD]`, `/rex admin stats`, "
            "`/rex admin pause @someone`, `/rex admin approval on|off`; `digest` and `stats` "
            "take `week`, `month` or `quarter`."
        ),
        "admin.paused": "Paused {who}. They can type `/rex resume` whenever they wish.",
        "admin.not_member": "{who} isn't a member of Rex.",
        "leaderboard.on": "You may now be named in the digest among those who shared most.",
        "leaderboard.off": "The digest won't name you any more.",
        "leaderboard.usage": "`/rex leaderboard on` or `/rex leaderboard off`",
        "approval.title": "*Proposal {exchange}* ({kind}):",
        "approval.approved": "Approved by {who}: the introduction is on its way.",
        "approval.rejected": "Rejected by {who}: nobody was told.",
        "approval.swapped": "Swapped out by {who}: {count} new proposal(s) follow.",
        "approval.on": "Approval is on: each round's proposals go to <#{channel}> first.",
        "approval.off": "Approval is off: introductions go out directly.",
        "approval.no_channel": (
            "Set REX_MANAGERS_CHANNEL first: that's where proposals are reviewed."
        ),
        "button.approve": "Approve",
        "button.swap_out": "Swap out",
        "button.reject": "Reject",
        "export.sent": "I've sent you {count} learning records as {format} in our DM.",
        "export.usage": "Dates as YYYY-MM-DD: `/rex admin export csv 2026-11-01 2026-11-30`",
        "hours.title": "*Your learning time with Rex*, per skill:",
        "hours.line": "• *{skill}*: taught {taught} h, learned {learned} h",
        "hours.none": "No evaluated session yet.",
        "digest.posted": "Digest posted in <#{channel}>.",
        "digest.no_channel": (
            "No digest channel is set: ask whoever runs Rex to set REX_DIGEST_CHANNEL."
        ),
        # digest
        "digest.title": "Rex digest: {since} to {until}",
        "digest.quiet": (
            "*A quiet period:* nobody joined, and no exchange was proposed, held or "
            "evaluated. Active members ready for the next round: {active}."
        ),
        "digest.members": (
            "*Members*\n{active} active · {new} new\n"
            "{paused} paused · {left} left · {incomplete} with an incomplete profile"
        ),
        "digest.exchanges": (
            "*Exchanges*\n{proposed} proposed · {held} held · {evaluated} evaluated\n"
            "{declined} declined · {expired} expired · sessions held: {sessions}"
        ),
        "digest.hours": "*Learning time*\n{hours} hours",
        "digest.quality": (
            "*Quality* ({evaluations} evaluations)\n"
            "{satisfaction} satisfied (4 or 5 out of 5), average {average}/5\n"
            "Goals: {yes} met, {partly} partly met"
        ),
        "digest.too_few": (
            "*Quality*\nRatings show once at least {k} people have evaluated: "
            "{evaluations} evaluations so far."
        ),
        "digest.response": "Evaluations returned: {rate} ({given} of {asked})",
        "digest.points": "{points} pts",
        "digest.more": " and {count} more",
        "digest.offered": "*Most offered:* {skills}",
        "digest.requested": "*Most requested:* {skills}",
        "digest.orphans": "*Wanted but nobody teaches it yet (teachers to recruit):* {skills}",
        "digest.idle": "*Offered but nobody asks for it yet:* {skills}",
        "digest.skill_quality": "*Satisfaction by skill* (each from {k} people or more): {skills}",
        "digest.skill_quality.item": "*{skill}* {satisfaction} ({evaluations})",
        "digest.leaderboard": "*Shared most hours* (members who opted in): {people}",
        "digest.learners": "*Learned most:* {people}",
        "digest.person": "{name} ({hours} h)",
        "digest.privacy": (
            "Ratings show only as totals of the evaluations of {k} people or more; comments "
            "never leave Rex. Only members who opted in (`/rex leaderboard on`) are named."
        ),
        "chart.title": "Rex, the last {weeks} weeks",
        "chart.proposed": "Exchanges proposed",
        "chart.sessions": "Sessions held",
        "chart.count": "Exchanges and sessions",
        "chart.hours": "Learning hours",
        "chart.satisfaction": "Satisfied (4 or 5 of 5)",
        "chart.week": "Week starting",
        "chart.too_few": "Satisfaction shown for weeks evaluated by {k} people or more",
        # home
        "home.title": "Rex",
        "home.intro": "Share what you know, learn what you want.",
        "home.not_member": "You haven't joined yet: type `/rex join` to start.",
        "home.status": "*Status:* {status}",
        "home.about": "*About me:* {bio}",
        "home.meeting": "*Meets:* {preference} · *Languages:* {languages}",
        "home.teach": "*Can teach*",
        "home.learn": "*Wants to learn*",
        "home.balance": "*Give and take:* taught {taught} h · learned {learned} h",
        "home.open": "*Open exchanges*",
        "home.past": "*Past exchanges*",
        "home.exchange": "{skills} with {people} · {state} · {date}",
        "home.none": "none yet",
        "button.edit_profile": "Edit profile",
        "button.add_skill": "Add a skill",
        "button.pause": "Pause",
        "button.resume": "Resume",
        "button.match_now": "Find me a match now",
    },
}

# --- operations: Slack's account lifecycle, calendar cancellations ---------------------------
MESSAGES["en"].update(
    {
        "withdrawn.text": (
            "One of you is no longer on Slack, so Rex closes this introduction. Thank you all: "
            "the others are back in the pool and will be introduced again at the next round."
        ),
        "uninvite.title": "Session cancelled",
        "uninvite.text": (
            "This session will not take place: here is the cancellation for your calendar."
        ),
    }
)

MESSAGES["fr"] = FR


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """The text for `key` in `lang` (English when that language lacks it), filled in."""
    catalogue = MESSAGES.get(lang, MESSAGES[DEFAULT_LANGUAGE])
    template = catalogue.get(key) or MESSAGES[DEFAULT_LANGUAGE][key]
    return template.format(**params) if params else template


def tn(key: str, count: int, lang: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """The plural form of `key` (`key.one` or `key.other`) for `count`, filled in."""
    return t(f"{key}.{'one' if count == 1 else 'other'}", lang, count=count, **params)
