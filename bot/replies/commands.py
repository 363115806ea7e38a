"""Subcommands typed as text, in English or French: "teach Python", "/rex me", "aide svp".

One table of subcommands (canonical English name, French word, other spellings); case,
accents, hyphens and underscores never matter. A DM that starts with a command word is that
command, so `parse` checks commands before answers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.replies.folding import fold, strip_accents, wordset
from bot.replies.intents import Command

# The one table of subcommands: canonical (English) name, French word, other spellings.
# Case, accents, hyphens and underscores never matter ("Éviter", "eviter", "mesdonnees").
_TABLE: Final[tuple[tuple[str, str, tuple[str, ...]], ...]] = (
    ("help", "aide", ("aidez",)),
    ("join", "rejoindre", ()),
    ("teach", "enseigner", ()),
    ("learn", "apprendre", ()),
    ("remove", "retirer", ()),
    ("me", "moi", ()),
    ("pause", "pause", ()),
    ("resume", "reprendre", ()),
    ("leave", "quitter", ()),
    ("avoid", "éviter", ()),
    ("mydata", "mes-données", ()),
    ("forget-me", "oublie-moi", ("oubliez-moi",)),
    ("language", "langue", ()),
    ("leaderboard", "classement", ()),
    ("admin", "admin", ()),
)
_NO_ARGUMENT: Final = wordset("help join me resume leave mydata forget-me")
_SKILL_ARGUMENT: Final = wordset("teach learn remove")


def _key(word: str) -> str:
    """How a command word is compared: no case, accents, or anything but letters/digits."""
    return "".join(ch for ch in strip_accents(word).casefold() if ch.isalnum())


def _accepted_words() -> dict[str, str]:
    words: dict[str, str] = {}
    for name, french, others in _TABLE:
        for word in (name, french, *others):
            words[word] = name
            words[strip_accents(word)] = name
    return words


# Every accepted word (English, French, with and without accents) → canonical name.
COMMANDS: Final[Mapping[str, str]] = MappingProxyType(_accepted_words())
_BY_KEY: Final = {_key(word): name for word, name in COMMANDS.items()}
_FRENCH_KEYS: Final = frozenset(_key(french) for name, french, _ in _TABLE if french != name)
_FRENCH_WORD: Final = {name: french for name, french, _ in _TABLE}


def resolve_command(word: str) -> str | None:
    """The canonical subcommand a typed word names (any language, case or accents)."""
    return _BY_KEY.get(_key(word))


def closest_command(word: str) -> str | None:
    """The subcommand a slip of the keyboard most likely meant ("lern" → learn), or None
    when nothing is close enough to be worth suggesting."""
    key = _key(word)
    exact = _BY_KEY.get(key)
    if exact is not None or len(key) < 3:
        return exact
    limit = 1 if len(key) <= 5 else 2
    found = process.extractOne(key, _BY_KEY.keys(), scorer=OSA.distance, score_cutoff=limit)
    return None if found is None else _BY_KEY[found[0]]


def command_word(name: str, language: str) -> str:
    """The word to show for a canonical subcommand in the member's language."""
    return _FRENCH_WORD[name] if language == "fr" else name


# What may precede a command: a mention of Rex, "/rex", a greeting, a slash.
_LEAD: Final = re.compile(
    r"^(?:\s|[,:;!.]|<@[^<>\s]*>|/?@?rex\b|/(?=\w)"
    r"|(?:hi|hello|hey|yo|bonjour|salut|coucou|please|svp|stp)\b)*",
    re.IGNORECASE,
)
# Politeness that may follow a command with no argument.
_FILLER: Final = wordset(
    "please pls plz svp stp merci thanks thank you thx rex s il te vous plait now maintenant"
)
_HELP_FILLER: Final = _FILLER | {"me", "moi"}  # "help me", "aide-moi"
_POLITE_END: Final = re.compile(
    r"(?:^|[\s,])(?:please|pls|plz|svp|stp|merci|thanks|thank\s+you"
    r"|s['’]il\s+(?:te|vous)\s+pla[iî]t)$",
    re.IGNORECASE,
)
_TRAILING_PUNCTUATION: Final = " \t\r\n,;:.!?…"
# French articles and prepositions dropped in front of a skill ("apprendre la photo").
_ARTICLE: Final = re.compile(r"(?:de\s+la|du|des|les|le|la|au|à|a)\s+|l['’]\s*", re.IGNORECASE)
_ISO_DATE: Final = re.compile(r"(?<![0-9])[0-9]{4}-[0-9]{2}-[0-9]{2}(?![0-9])")


@dataclass(frozen=True, slots=True)
class TypedCommand:
    name: str
    french: bool  # typed with the French word, so French grammar applies to the rest
    rest: str


def _body(text: str) -> str:
    return _LEAD.sub("", text, count=1)


def first_word(text: str) -> str:
    words = _body(text).split(maxsplit=1)
    return words[0] if words else ""


def typed_command(text: str) -> TypedCommand | None:
    """The command word a DM starts with, if any, and what follows it."""
    words = _body(text).split(maxsplit=2)
    if not words:
        return None
    if len(words) >= 2 and (name := _BY_KEY.get(_key(words[0] + words[1]))):
        # "forget me", "mes données" typed as two words
        return TypedCommand(name, _key(words[0] + words[1]) in _FRENCH_KEYS, " ".join(words[2:]))
    rest = " ".join(words[1:])
    if name := _BY_KEY.get(_key(words[0])):
        return TypedCommand(name, _key(words[0]) in _FRENCH_KEYS, rest)
    head, dash, tail = words[0].partition("-")
    if dash and (name := _BY_KEY.get(_key(head))):  # "aide-moi"
        return TypedCommand(name, _key(head) in _FRENCH_KEYS, f"{tail} {rest}")
    return None


def _only_filler(text: str, filler: frozenset[str]) -> bool:
    return all(word in filler for word in re.findall(r"[^\W_]+", fold(text)))


def _trim(text: str) -> str:
    """The argument without the punctuation and politeness around it."""
    while True:
        text = text.strip().rstrip(_TRAILING_PUNCTUATION)
        polite = _POLITE_END.search(text)
        if polite is None:
            return text
        text = text[: polite.start()]


def _strip_articles(skill: str) -> str:
    """Drop leading French articles/prepositions, never the last word."""
    while (article := _ARTICLE.match(skill)) and skill[article.end() :].strip():
        skill = skill[article.end() :]
    return skill


def command_of(typed: TypedCommand) -> Command | None:
    if typed.name in _NO_ARGUMENT:
        filler = _HELP_FILLER if typed.name == "help" else _FILLER
        return Command(typed.name) if _only_filler(typed.rest, filler) else None
    if typed.name == "pause":
        if _only_filler(typed.rest, _FILLER):
            return Command("pause")
        dates = _ISO_DATE.findall(typed.rest)
        return Command("pause", dates[0]) if len(dates) == 1 else None
    argument = _trim(typed.rest)
    if typed.name in _SKILL_ARGUMENT and typed.french:
        argument = _strip_articles(argument)
    return Command(typed.name, argument)


def parse_command(text: str) -> Command | None:
    """A subcommand typed as text ("teach Python", "/rex me", "aide svp"), or None."""
    typed = typed_command(text)
    return None if typed is None else command_of(typed)
