"""The community plays Rex's loop through the sandbox, scene by scene: join, round, week, digest.

People act only through slash commands, buttons and modal submissions; every text the
transcript quotes is read back from what the fake Slack recorded. `Demo` keeps what a
person saw that Slack keeps no message for (modals, errors in them), so the last scene can
show each person's Slack in order.
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot import rounds
from bot.cli.demo.render import button_label, field_label, has_action, modal_summary, plain
from bot.cli.demo.script import (
    DIGEST,
    DIGEST_CHANNEL,
    EXTRA_SKILL,
    JOINING,
    LEADERBOARD_FANS,
    MANAGER,
    MANAGER_ID,
    MANAGERS_CHANNEL,
    PLACES,
    PRIVATE_COMMENTS,
    REFUSED,
    ROUND,
    SEEN,
    SHOWS_PROFILE,
    TEACHES,
    WEEK,
    Person,
)
from bot.cli.demo.transcript import Moment, Transcript, counted
from bot.cli.match import network_json
from bot.matching.rounds.model import RoundConfig
from bot.offline.fakeslack import Response
from bot.offline.fakeslack.blocks import message_paragraphs
from bot.offline.sandbox import Sandbox
from handlers.ids import ActionId, BlockId
from handlers.outbox import delivery


def monday_morning(now: datetime) -> datetime:
    """This week's Monday 09:00 UTC: the story starts with the weekly round."""
    day = now.astimezone(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Intro:
    channel: str
    ts: str
    members: list[str]


@dataclass
class Stats:
    joined: int = 0
    intros: int = 0
    evaluations: int = 0
    digest_posted: bool = False


class Demo:
    """Drives the sandbox like a community would, keeping a transcript of what happened."""

    def __init__(self, sandbox: Sandbox, people: list[Person], rng: random.Random) -> None:
        self.sandbox = sandbox
        self.fake = sandbox.fake
        self.rng = rng
        self.people = {f"U{n + 1:04d}": person for n, person in enumerate(people)}
        self.ids = list(self.people)
        self.out = Transcript()
        self.moments: dict[str, list[Moment]] = {uid: [] for uid in [*self.ids, MANAGER_ID]}
        self.intros: list[Intro] = []
        self.evaluated: set[tuple[str, str]] = set()
        self.comments = iter(PRIVATE_COMMENTS)
        self.stats = Stats()
        self.names: dict[str, str] = {}

    def name(self, uid: str) -> str:
        return self.names.get(uid, uid)

    def render(self, text: str) -> str:
        return plain(text, self.names)

    def quote(self, texts: Sequence[str], indent: int = 4) -> None:
        for text in texts:
            self.out.say(f"“{self.render(text)}”", indent)

    def remember(self, uid: str, tag: str, text: str) -> None:
        self.moments[uid].append(Moment(time.time(), tag, text))

    def modal_opened(self, uid: str) -> dict[str, Any]:
        view = self.fake.last_view(uid)
        if view is None:
            raise RuntimeError(f"Rex opened no modal for {self.name(uid)}")
        self.remember(uid, "modal", modal_summary(view))
        return view

    def refused(self, uid: str, view: Mapping[str, Any], answer: Response) -> None:
        """Quote the errors Rex put under the modal's fields; the person saw them there too."""
        errors: dict[str, str] = (answer.json or {}).get("errors") or {}
        for block, text in errors.items():
            label = field_label(view, block)
            self.out.say(f"Rex refuses in the modal, under “{label}”:")
            self.quote([text])
            self.remember(uid, "  refused", f"under “{label}”: {text}")

    # --- phases ------------------------------------------------------------------------------

    def setup(self) -> None:
        self.sandbox.add_person(MANAGER_ID, MANAGER.name, tz=MANAGER.tz, locale=MANAGER.locale)
        for uid, person in self.people.items():
            self.sandbox.add_person(uid, person.name, tz=person.tz, locale=person.locale)
        for uid in [MANAGER_ID, *self.ids]:
            self.names[uid] = str((self.fake.user(uid) or {}).get("real_name", uid))
        channel = self.fake.channel(DIGEST_CHANNEL) or {}
        self.names[DIGEST_CHANNEL] = str(channel.get("name", DIGEST_CHANNEL))

    def open_join(self, uid: str) -> dict[str, Any]:
        self.sandbox.driver.command(uid, "join")
        self.sandbox.settle()
        return self.modal_opened(uid)

    def submit_join(self, uid: str, teach: Sequence[str], learn: Sequence[str]) -> Response:
        return self.sandbox.submit(
            uid,
            {
                BlockId.TEACH_SKILLS: list(teach),
                BlockId.LEARN_SKILLS: list(learn),
                BlockId.JOIN_AGREE: ["agree"],
            },
        )

    def tick_languages(self, uid: str) -> None:
        """Open the profile (/rex) and save it with the person's languages ticked."""
        person = self.people[uid]
        self.sandbox.driver.command(uid, "")
        self.sandbox.settle()
        self.modal_opened(uid)
        self.sandbox.submit(
            uid,
            {
                BlockId.TEACH_SKILLS: list(person.teach),
                BlockId.LEARN_SKILLS: list(person.learn),
                BlockId.PROFILE_LANGUAGES: list(person.languages),
                BlockId.PROFILE_PREFERENCE: "either",
            },
        )

    def joining(self) -> None:
        self.out.section(JOINING, "Monday morning")
        first, person = self.ids[REFUSED], self.people[self.ids[REFUSED]]
        view = self.open_join(first)
        self.out.say(f"{person.name} types /rex join. Rex opens its join modal, charter first:")
        self.quote([b["text"]["text"] for b in view["blocks"] if b.get("type") == "section"])
        self.out.say(f"She lists {', '.join(person.teach)} to teach but nothing to learn.")
        self.refused(first, view, self.submit_join(first, person.teach, []))
        self.out.say(f"She adds {', '.join(person.learn)} and submits again; Rex welcomes her:")
        self.submit_join(first, person.teach, person.learn)
        self.quote([self.dm_texts(first)[-1]])
        for uid in self.ids[1:]:
            self.open_join(uid)
            member = self.people[uid]
            self.submit_join(uid, member.teach, member.learn)
        bilingual = [uid for uid in self.ids if self.people[uid].languages]
        for uid in bilingual:
            self.tick_languages(uid)
        self.stats.joined = len(self.ids)
        print(f"{len(self.ids)} people joined through /rex join", file=sys.stderr)
        self.out.say()
        self.out.say(f"{len(self.ids)} people joined the same way:")
        width = max(len(p.name) for p in self.people.values()) + 1
        for p in self.people.values():
            city = p.tz.split("/")[-1].replace("_", " ")
            self.out.say(
                f"{p.name:<{width}} {city:<10} teaches {', '.join(p.teach)}; "
                f"learns {', '.join(p.learn)}",
                2,
            )
        if bilingual:
            self.out.say(
                f"{counted(len(bilingual), 'French speaker')} then tick French and English in "
                "their profile (/rex): Rex introduces only people who share a language, and "
                "takes their Slack language otherwise."
            )
        self.out.say()
        self.command(self.ids[TEACHES], f"teach {EXTRA_SKILL}")
        if len(self.ids) > SHOWS_PROFILE:
            self.command(self.ids[SHOWS_PROFILE], "me")
        self.command(self.ids[-1], "pause")
        first_fan, *fans = self.ids[1:LEADERBOARD_FANS]
        self.command(first_fan, "leaderboard on")
        for uid in fans:
            self.sandbox.command(uid, "leaderboard on")
        if fans:
            opt = "opts" if len(fans) == 1 else "opt"
            self.out.say(f"{counted(len(fans), 'other')} {opt} in the same way.")

    def command(self, uid: str, text: str) -> None:
        answers = self.sandbox.command(uid, text)
        self.out.say(f"{self.name(uid)} types /rex {text}; Rex answers privately:")
        self.quote(answers)

    def matching_round(self) -> None:
        self.out.section(ROUND, "Monday 09:00")
        self.command(MANAGER_ID, "admin round")
        opened = [c for c in self.fake.calls_to("conversations.open") if not c.faulted]
        for channel in dict.fromkeys(str(c.response["channel"]["id"]) for c in opened):
            info = self.fake.channel(channel) or {}
            if not info.get("is_mpim"):
                continue
            first = next(m for m in self.fake.messages(channel) if has_action(m, ActionId.MET))
            self.intros.append(Intro(channel, str(first["ts"]), self.fake.mpim_members(channel)))
        self.stats.intros = len(self.intros)
        print(f"round: {len(self.intros)} introductions in group DMs", file=sys.stderr)
        if not self.intros:
            self.out.say("Nobody could be introduced this round: the digest will say why.")
        elif len(self.intros) == 1:
            self.out.say("The introduction opens a group DM with Rex:")
        else:
            self.out.say(
                f"Each introduction opens a group DM with Rex; {len(self.intros)} of them:"
            )
        for intro in self.intros:
            message = self.fake.find_message(intro.channel, intro.ts) or {}
            greeting, *lessons = self.render(message_paragraphs(message)[0]).split("\n")
            for n, lesson in enumerate(lessons or [greeting]):
                bullet = "• " if n == 0 else "  "
                self.out.say(bullet + lesson.removeprefix("• "), 2, hang=4)

    def the_week(self) -> None:
        clock = self.sandbox.clock
        self.out.section(WEEK, "people meet, Rex follows up, they evaluate")
        clock.advance(days=1, hours=1)
        self.out.say("Tuesday, in the group DMs:")
        silent: list[str] = []
        for intro, action in zip(self.intros, self.plan_actions(), strict=True):
            uid = self.rng.choice(intro.members)
            if action is None:
                silent += [self.name(member) for member in intro.members]
            elif action == ActionId.SCHEDULE:
                self.schedule(uid, intro)
            else:
                message = self.fake.find_message(intro.channel, intro.ts) or {}
                self.sandbox.click(uid, action, intro.channel, intro.ts)
                if action == ActionId.NOT_FIT:  # a modal asks why, privately; optional
                    self.sandbox.submit(uid, {BlockId.NOT_FIT_REASON: "Too busy this month"})
                self.out.say(f"{self.name(uid)} clicks {button_label(message, action)}.", 2)
        if silent:
            self.out.say(f"{' and '.join(silent)} don't click anything.", 2)
        self.out.say("Those who met get their follow-up at once.")
        self.evaluate_all()
        clock.advance(days=3)
        report = delivery.sweep(self.sandbox.rex)
        self.out.say(
            f"Friday, Rex's scheduler sweeps what is due: {counted(report.sent, 'message')} "
            "(follow-ups after the sessions held, a gentle nudge to the silent ones)."
            if report.sent
            else "Friday, Rex's scheduler finds nothing due yet."
        )
        self.evaluate_all()
        clock.advance(days=2, hours=23)
        report = delivery.sweep(self.sandbox.rex)
        self.out.say(
            "Next Monday 09:00, a week after the introductions, the sweep sends "
            f"{counted(report.sent, 'follow-up')} to those who never clicked anything."
            if report.sent
            else "Next Monday 09:00, everyone has heard from Rex already: nothing more is due."
        )
        print(f"the week played out: {self.stats.evaluations} evaluations", file=sys.stderr)

    def plan_actions(self) -> list[ActionId | None]:
        """What each intro's people do: one declines, one stays silent (None), a quarter
        schedule first, the others say they met."""
        count = len(self.intros)
        fixed: list[ActionId | None] = [ActionId.NOT_FIT, None][: max(0, count - 1)]
        scheduled = [ActionId.SCHEDULE] * (count // 4)
        plan = fixed + scheduled + [ActionId.MET] * (count - len(fixed) - len(scheduled))
        self.rng.shuffle(plan)
        return plan

    def schedule(self, uid: str, intro: Intro) -> None:
        message = self.fake.find_message(intro.channel, intro.ts) or {}
        self.sandbox.click(uid, ActionId.SCHEDULE, intro.channel, intro.ts)
        self.modal_opened(uid)
        thursday = self.sandbox.clock() + timedelta(days=2)
        time_of_day = self.rng.choice(("13:30", "14:30"))
        place = self.rng.choice(PLACES)
        self.sandbox.submit(
            uid,
            {
                BlockId.SCHEDULE_DATE: thursday.date().isoformat(),
                BlockId.SCHEDULE_TIME: time_of_day,
                BlockId.SCHEDULE_DURATION: "60",
                BlockId.SCHEDULE_PLACE: place,
            },
        )
        self.out.say(
            f"{self.name(uid)} clicks {button_label(message, ActionId.SCHEDULE)}: "
            f"{thursday:%A} {time_of_day} their time, one hour, {place}; Rex posts the "
            "invitation (.ics) in the group DM.",
            2,
        )

    def dm_texts(self, uid: str) -> list[str]:
        return [str(m.get("text", "")) for m in self.fake.messages(self.fake.dm_channel(uid))]

    def evaluate_all(self) -> None:
        """Everyone with a new follow-up clicks Evaluate, except the odd person who forgets."""
        given: list[str] = []
        comments: list[str] = []
        for uid in self.ids:
            channel = self.fake.dm_channel(uid)
            for message in self.fake.messages(channel):
                key = (uid, str(message["ts"]))
                if key in self.evaluated or not has_action(message, ActionId.EVALUATE):
                    continue
                self.evaluated.add(key)
                if self.rng.random() < 0.1:
                    given.append(f"{self.name(uid)} (not yet)")
                    continue
                self.sandbox.click(uid, ActionId.EVALUATE, channel, key[1])
                summary, comment = self.evaluate(uid, self.modal_opened(uid))
                given.append(f"{self.name(uid)} {summary}")
                if comment:
                    comments.append(f"{self.name(uid)}: “{comment}”")
        if given:
            self.out.say("Evaluations: " + "; ".join(given) + ".", 2)
        if comments:
            self.out.say("Private comments, for Rex's records only:", 2)
            for comment in comments:
                self.out.say(comment, 4)

    def evaluate(self, uid: str, view: Mapping[str, Any]) -> tuple[str, str | None]:
        """Fill in the evaluation modal; returns what was given, and the comment if any."""
        satisfaction = self.rng.choices("54321", weights=(40, 35, 15, 7, 3))[0]
        hours = self.rng.choice(("0.5", "1", "1", "1.5", "2", "3"))
        values: dict[str, Any] = {
            BlockId.EVAL_SATISFACTION: satisfaction,
            BlockId.EVAL_HOURS: hours,
        }
        details = [f"{hours}h"]
        asked = {b.get("block_id") for b in view["blocks"]}
        if BlockId.EVAL_GOAL in asked:
            goal = self.rng.choices(("yes", "partly", "no"), weights=(60, 30, 10))[0]
            values[BlockId.EVAL_GOAL] = goal
            details.insert(0, f"goal {goal}")
        if BlockId.EVAL_USEFUL in asked:
            useful = self.rng.choices(("yes", "partly", "no"), weights=(70, 25, 5))[0]
            values[BlockId.EVAL_USEFUL] = useful
            details.insert(0, f"useful to teach {useful}")
        comment = next(self.comments, None) if self.rng.random() < 0.3 else None
        if comment:
            values[BlockId.EVAL_COMMENT] = comment
        answer = self.sandbox.submit(uid, values)
        if answer.status != 200 or answer.body:
            raise RuntimeError(f"Rex refused {self.name(uid)}'s evaluation: {answer.body}")
        self.stats.evaluations += 1
        return f"{satisfaction}/5 ({', '.join(details)})", comment

    def digest(self) -> None:
        self.out.section(DIGEST, "Monday 09:00")
        self.command(MANAGER_ID, "admin digest")
        self.stats.digest_posted = bool(self.fake.messages(DIGEST_CHANNEL))
        print("digest posted", file=sys.stderr)

    # --- what each person saw ----------------------------------------------------------------

    def seen_by(self, uid: str) -> Iterator[Moment]:
        """Everything Rex showed one person, in order: DMs, group DMs, ephemerals, modals."""
        for message in self.fake.messages(self.fake.dm_channel(uid)):
            yield Moment(float(message["ts"]), "DM", "\n".join(message_paragraphs(message)))
        for intro in self.intros:
            if uid not in intro.members:
                continue
            others = ", ".join(self.name(m) for m in intro.members if m != uid)
            for message in self.fake.messages(intro.channel):
                text = "\n".join(message_paragraphs(message))
                yield Moment(float(message["ts"]), "group DM", f"(with {others}) {text}")
        for message in self.fake.ephemerals(uid):
            yield Moment(float(message["ts"]), "only you", "\n".join(message_paragraphs(message)))
        yield from self.moments[uid]

    def keep(self, path: Path) -> None:
        """Say how to try `rex export` and `rex match` on the kept database."""
        members = path.with_name(f"{path.stem}-members.json")
        with Session(self.sandbox.rex.engine) as session:
            found = rounds.round_input(session, config=RoundConfig(), now=self.sandbox.clock())
        document = network_json(found.candidates, found.history)
        members.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
        week = self.sandbox.clock().date()
        since = (week - timedelta(days=14)).isoformat()
        self.out.say()
        self.out.say(f"The database is kept in {path}; try the records of the weeks just played:")
        self.out.verbatim(
            f"  DATABASE_URL=sqlite:///{path} rex export --format csv --since {since} "
            f"--until {week.isoformat()}"
        )
        self.out.say(f"and a round on the members as they are now ({members}):")
        self.out.verbatim(f"  rex match --input {members}")

    def what_each_saw(self) -> None:
        """Each person's Slack, oldest first: the first person's in full, then one row per
        message, so twenty people still read in a few screens."""
        self.out.section(SEEN, "as Slack showed it to them")
        self.out.say(
            f"{self.name(self.ids[0])}'s Slack in full, then everyone else's with one row per "
            "message (modals, DMs, group DMs, and answers only they could see)."
        )
        for uid in [*self.ids, MANAGER_ID]:
            person = self.people.get(uid, MANAGER)
            full = uid == self.ids[0]
            self.out.rule(f"{person.name} · {person.tz}")
            for moment in sorted(self.seen_by(uid)):
                text = plain(moment.text, self.names, ZoneInfo(person.tz))
                self.out.tagged(moment.tag, text.split("\n") if full else [self.out.one_row(text)])
        self.out.say()
        self.out.say(f"{MANAGERS_CHANNEL} #{self.names[DIGEST_CHANNEL]}:")
        for message in self.fake.messages(DIGEST_CHANNEL):
            for paragraph in message_paragraphs(message):
                self.out.say(self.render(paragraph), 2)
