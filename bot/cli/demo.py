"""`rex demo`: a simulated community plays Rex's whole loop offline, then shows what each saw.

It is the first thing a newcomer runs, so it needs no Slack workspace and no token: the fake
Slack server and the real bot (HTTP mode, signed requests, a throwaway SQLite database) come
from `bot.offline.sandbox`. People act only through slash commands, buttons and modal submissions,
and every text in the transcript is read back from what the fake Slack recorded, so the
demo shows Rex as it really answers. Every run plays the same story (one seeded
`random.Random`); only the dates follow the calendar.
"""

import json
import logging
import random
import re
import shutil
import sys
import textwrap
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import emoji
from sqlmodel import Session

from bot import rounds
from bot.cli.match import network_json
from bot.matching.rounds import RoundConfig
from bot.offline.fakeslack import Response
from bot.offline.fakeslack.blocks import message_paragraphs
from bot.offline.sandbox import ManualClock, Sandbox
from bot.text import ZERO_WIDTH_SPACE
from handlers.ids import ActionId, BlockId
from handlers.outbox import delivery

SEED = 7
MIN_PEOPLE = 4
MAX_PEOPLE = 200
MAX_WIDTH = 100
TAG_WIDTH = 14
MANAGER_ID = "UMANAGER"
DIGEST_CHANNEL = "CDIGEST"

# Section titles, also how tests find their way around the transcript.
JOINING = "1. Joining"
ROUND = "2. The matching round"
WEEK = "3. The week"
DIGEST = "4. The digest"
SEEN = "5. What each person saw"
MANAGERS_CHANNEL = "The managers' channel"

# What people write in the evaluation's private comment: never shown to managers.
PRIVATE_COMMENTS = (
    "Honestly, we spent half the time on small talk, but I got what I needed.",
    "My partner was twenty minutes late and seemed in a rush.",
    "Great session, I would happily do it again next month.",
    "Too theoretical for me; I hoped for hands-on examples.",
)
PLACES = ("Room 4.12", "Café Lumière, 2nd floor", "video call")
PARIS, NEW_YORK, SINGAPORE = "Europe/Paris", "America/New_York", "Asia/Singapore"
BOTH = ("fr", "en")  # the French speakers of the demo exchange in English too


@dataclass(frozen=True)
class Person:
    """A simulated member: who they are and what they put in the join modal."""

    name: str
    tz: str
    teach: tuple[str, ...]
    learn: tuple[str, ...]
    locale: str = "en-US"
    languages: tuple[str, ...] = ()  # ticked in the profile; else their Slack locale's


# Designed so the round shows every kind of introduction: swaps (Amélie and Rahul, Sophie and
# Lucas, Chloé and Daniel), a 3-cycle (Mei Lin, Olivia, Hiroshi), a public speaking group led
# by Émilie, and one-way pairs; spellings differ in case and accents as people really type.
COMMUNITY = (
    Person("Amélie Durand", PARIS, ("Excel",), ("Python",), "fr-FR", BOTH),
    Person("Rahul Mehta", SINGAPORE, ("python",), ("excel",)),
    Person(
        "Sophie Martin", PARIS, ("Prise de parole en public",), ("Photographie",), "fr-FR", BOTH
    ),
    Person(
        "Lucas Bernard", PARIS, ("photographie",), ("prise de parole en public",), "fr-FR", BOTH
    ),
    Person("Chloé Lefèvre", PARIS, ("Négociation",), ("SQL",), "fr-FR", BOTH),
    Person("Daniel Kim", NEW_YORK, ("SQL",), ("negociation",)),
    Person("Mei Lin Tan", SINGAPORE, ("Kubernetes",), ("Figma",)),
    Person("Olivia Brown", NEW_YORK, ("Figma",), ("Data visualisation",)),
    Person("Hiroshi Sato", SINGAPORE, ("data visualisation",), ("kubernetes",)),
    Person("Émilie Rousseau", PARIS, ("Public speaking",), ("Spanish",), "fr-FR", BOTH),
    Person("James Carter", NEW_YORK, ("Project management",), ("public speaking",)),
    Person("Priya Nair", SINGAPORE, ("Machine learning",), ("Public Speaking",)),
    Person("Thomas Petit", PARIS, ("Gestion de projet",), ("public speaking",), "fr-FR", BOTH),
    Person("Carmen García", NEW_YORK, ("Spanish",), ("négociation",)),
    Person("Marc Dubois", PARIS, ("Rédaction web",), ("excel",), "fr-FR", BOTH),
    Person("Aisha Rahman", SINGAPORE, ("Design thinking",), ("machine learning",)),
    Person("Noah Williams", NEW_YORK, ("Git",), ("design thinking",)),
    Person("Léa Moreau", PARIS, ("Copywriting",), ("git",), "fr-FR", BOTH),
    Person("Ethan Cohen", NEW_YORK, ("Customer interviews",), ("Kubernetes",)),
    Person("Nadia Haddad", PARIS, ("Arabic",), ("Photographie",), "fr-FR", BOTH),
)
MANAGER = Person("Camille Laurent", PARIS, (), (), "fr-FR")
# Scripted moments, by position in the community (the pause goes to the last person).
REFUSED, TEACHES, SHOWS_PROFILE = 0, 1, 11
LEADERBOARD_FANS = 8  # people 1 to 7 let the digest name them
EXTRA_SKILL = "Pandas"

FIRST_NAMES = ("Inès", "Yuki", "Omar", "Grace", "Mateo", "Zoé", "Arjun", "Hannah", "Kenji", "Elif")
LAST_NAMES = ("Fontaine", "Nakamura", "Okafor", "Schmidt", "Rossi", "Lim", "Dupont", "Silva")


def community(size: int, rng: random.Random) -> list[Person]:
    """The designed community, then made-up colleagues teaching and learning the same skills."""
    people = list(COMMUNITY[:size])
    taught = sorted({s for p in COMMUNITY for s in p.teach})
    wanted = sorted({s for p in COMMUNITY for s in p.learn})
    spellings: tuple[Callable[[str], str], ...] = (str, str.lower, str.capitalize)
    names = [f"{first} {last}" for last in LAST_NAMES for first in FIRST_NAMES]
    while len(people) < size:
        extra = len(people) - len(COMMUNITY)
        rounds, index = divmod(extra, len(names))
        name = names[index] + (f" {rounds + 1}" if rounds else "")
        teach = rng.choice(spellings)(rng.choice(wanted))
        learn = rng.choice([s for s in taught if s.lower() != teach.lower()])
        tz = rng.choice((PARIS, NEW_YORK, SINGAPORE))
        people.append(Person(name, tz, (teach,), (rng.choice(spellings)(learn),)))
    return people


def counted(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


# --- rendering Slack mrkdwn as plain text ----------------------------------------------------

_TOKEN = re.compile(r"<([^<>]+)>")
_BUTTON = re.compile(r"\[ [^\]\n]+ \]")  # a button as message_paragraphs shows it
_GLUE = "\u2060"  # holds a button's words together while lines are wrapped
# _italic_ and ~strike~ around words (not inside one, as in snake_case)
_ITALIC = re.compile(r"(?<!\w)[_~](\S(?:[^\n]*?\S)?)[_~](?!\w)")
_DATE_FORMATS = {
    "date_long_pretty": "%A, %B {day}",
    "date_long": "%A, %B {day}, %Y",
    "date_pretty": "%B {day}, %Y",
    "date": "%B {day}, %Y",
    "date_short_pretty": "%b {day}, %Y",
    "date_short": "%b {day}, %Y",
    "time": "%H:%M",
}


def _slack_date(target: str, fallback: str, tz: ZoneInfo | None) -> str:
    """`<!date^stamp^format|fallback>` as Slack shows it in the reader's timezone."""
    parts = target.split("^")
    if tz is None or len(parts) < 3 or not parts[1].isdigit():
        return fallback
    when = datetime.fromtimestamp(int(parts[1]), tz)

    def token(match: re.Match[str]) -> str:
        pattern = _DATE_FORMATS.get(match.group(1))
        return when.strftime(pattern).format(day=when.day) if pattern else match.group(0)

    return re.sub(r"\{(\w+)\}", token, parts[2]) + f" ({when.tzname()})"


def plain(text: str, names: Mapping[str, str], tz: ZoneInfo | None = None) -> str:
    """Slack mrkdwn as Slack shows it, in plain text: mentions by name, dates, emoji as
    characters, bold, italic, strike and code marks off, entities back."""

    def token(match: re.Match[str]) -> str:
        target, _, label = match.group(1).partition("|")
        if target.startswith("@"):
            return "@" + names.get(target[1:], label or target[1:])
        if target.startswith("#"):
            return "#" + (label or names.get(target[1:], target[1:]))
        if target.startswith("!date^"):
            return _slack_date(target, label, tz)
        if target.startswith("!"):
            return "@" + target[1:]
        return label or target

    text = emoji.emojize(_TOKEN.sub(token, text), language="alias")  # :wave: → 👋
    text = _ITALIC.sub(r"\1", text.replace(ZERO_WIDTH_SPACE, ""))
    text = text.replace("*", "").replace("`", "")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def modal_summary(view: Mapping[str, Any]) -> str:
    """A modal in one line: its title and the fields it asks for."""
    labels = [b["label"]["text"] for b in view.get("blocks", []) if b.get("type") == "input"]
    return f"{view['title']['text']}: {' / '.join(labels)}"


def field_label(view: Mapping[str, Any], block_id: str) -> str:
    return next(
        (b["label"]["text"] for b in view.get("blocks", []) if b.get("block_id") == block_id),
        block_id,
    )


def _buttons(message: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    for block in message.get("blocks") or []:
        if block.get("type") == "actions":
            yield from block.get("elements", [])


def has_action(message: Mapping[str, Any], action_id: str) -> bool:
    return any(button.get("action_id") == action_id for button in _buttons(message))


def button_label(message: Mapping[str, Any], action_id: str) -> str:
    """The label a person reads on the button they click."""
    return next(
        (str(b["text"]["text"]) for b in _buttons(message) if b.get("action_id") == action_id),
        action_id,
    )


# --- the transcript --------------------------------------------------------------------------


@dataclass(order=True)
class Moment:
    """Something a person saw that Slack keeps no message for: a modal, an error in one."""

    at: float
    tag: str = field(compare=False)
    text: str = field(compare=False)


def terminal_width() -> int:
    """Up to 100 columns, fewer on a narrow terminal; 100 when stdout is not a terminal."""
    return max(60, min(MAX_WIDTH, shutil.get_terminal_size((MAX_WIDTH, 24)).columns))


@dataclass
class Transcript:
    width: int = field(default_factory=terminal_width)
    lines: list[str] = field(default_factory=list)

    def section(self, title: str, subtitle: str = "") -> None:
        self.lines += ["", title + (f" · {subtitle}" if subtitle else ""), "═" * self.width]

    def rule(self, title: str) -> None:
        """A person's header: their name on a light rule, so the rows below read as theirs."""
        self.lines.append(f"── {title} ".ljust(self.width, "─"))

    def say(self, text: str = "", indent: int = 0, hang: int | None = None) -> None:
        """Wrapped text; `hang` indents the continuation rows (default: like the first)."""
        if not text:
            self.lines.append("")
            return
        pad, rest = " " * indent, " " * (indent if hang is None else hang)
        for line in text.split("\n"):
            self.lines.append(
                textwrap.fill(line, self.width, initial_indent=pad, subsequent_indent=rest)
            )

    def verbatim(self, line: str) -> None:
        """A line never wrapped, so a command can be copied whole."""
        self.lines.append(line)

    def tagged(self, tag: str, lines: Sequence[str]) -> None:
        """`  tag        first line`, the rest hanging under it; a button is never cut."""
        first = f"  {tag:<{TAG_WIDTH - 3}} "
        hang = " " * TAG_WIDTH
        for line in lines:
            kept = _BUTTON.sub(lambda m: m.group(0).replace(" ", _GLUE), line)
            wrapped = textwrap.fill(kept, self.width, initial_indent=first, subsequent_indent=hang)
            self.lines.append(wrapped.replace(_GLUE, " "))
            first = hang

    def one_row(self, text: str) -> str:
        """Text squeezed onto one row after the tag, ending in `…` when it does not fit."""
        flat, room = " ".join(text.split()), self.width - TAG_WIDTH
        return flat if len(flat) <= room else flat[: room - 1].rstrip() + "…"

    def text(self) -> str:
        return "\n".join(self.lines).strip("\n") + "\n"


# --- the simulation --------------------------------------------------------------------------


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


@contextmanager
def quiet_logs() -> Iterator[None]:
    """Rex logs each delivery at INFO; during the demo stderr is for its progress lines."""
    logger = logging.getLogger("rex")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def run_demo(people: int = 20, keep: Path | None = None) -> int:
    """Play the loop with `people` simulated members and print the transcript on stdout;
    `keep` names a SQLite file to leave behind (with a `rex match` input beside it)."""
    if not MIN_PEOPLE <= people <= MAX_PEOPLE:
        print(f"rex demo: --people must be between {MIN_PEOPLE} and {MAX_PEOPLE}", file=sys.stderr)
        return 2
    if keep is not None and keep.exists():
        print(f"rex demo: {keep} already exists: remove it or --keep another file", file=sys.stderr)
        return 2
    database_url = f"sqlite:///{keep.resolve()}" if keep is not None else None
    started = time.perf_counter()
    rng = random.Random(SEED)
    clock = ManualClock(monday_morning(datetime.now(UTC)))
    print("starting the fake Slack and Rex in HTTP mode…", file=sys.stderr)
    with (
        quiet_logs(),
        Sandbox(
            clock=clock,
            admins=(MANAGER_ID,),
            digest_channel=DIGEST_CHANNEL,
            database_url=database_url,
        ) as sandbox,
    ):
        demo = Demo(sandbox, community(people, rng), rng)
        demo.setup()
        demo.out.say("Rex demo: an offline sandbox")
        demo.out.say(
            "A fake Slack workspace, the real Rex bot answering signed requests over HTTP, and a "
            "throwaway SQLite database. Nothing leaves this machine; the clock is simulated. "
            f"{MANAGER.name} is the community manager, a Rex admin."
        )
        demo.joining()
        demo.matching_round()
        demo.the_week()
        demo.digest()
        demo.what_each_saw()
        if keep is not None:
            demo.keep(keep)
        print(demo.out.text(), end="")  # before shutdown, so a failing teardown hides nothing
        stats = demo.stats
    elapsed = time.perf_counter() - started
    print(
        f"\nDemo finished in {elapsed:.1f} s: {stats.joined} people joined, "
        f"{counted(stats.intros, 'introduction')}, {counted(stats.evaluations, 'evaluation')}, "
        f"{'digest posted' if stats.digest_posted else 'no digest'}."
    )
    return 0
