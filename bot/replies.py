"""What people type to Rex in a DM: commands in English or French, and answers to the
question Rex asked last there (did the exchange happen, a rating, hours).

Pure text in, a small typed intent out: no Slack, no database. Precision first: a reply
this module is not sure of comes back `Unknown`, and the caller answers with a friendly
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
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum, StrEnum, auto
from types import MappingProxyType
from typing import Final, TypeAlias

from rapidfuzz import process
from rapidfuzz.distance import OSA

MAX_HOURS: Final = 100.0


class Expecting(StrEnum):
    """What Rex asked last in a DM: it decides what a bare "4" or "no" means."""

    NOTHING = "nothing"
    DID_IT_HAPPEN = "did_it_happen"
    RATING = "rating"
    HOURS = "hours"
    EVALUATION = "evaluation"  # either a rating or hours, each with its unit
    # A partner said it happened, but this member's own "Did it happen?" still stands:
    # every answer to it stays understood ("not yet" too), and so do a rating or hours.
    HAPPENED_OR_EVALUATION = "happened_or_evaluation"


@dataclass(frozen=True, slots=True)
class Happened:
    """The exchange took place: record it and post the evaluation button."""


@dataclass(frozen=True, slots=True)
class NotYet:
    """It has not happened (yet): offer to reschedule."""


@dataclass(frozen=True, slots=True)
class WontHappen:
    """It will not happen: close it as the "Not a fit" button would."""


@dataclass(frozen=True, slots=True)
class Rating:
    """A satisfaction rating, 1 to 5."""

    value: int

    def __post_init__(self) -> None:
        if not 1 <= self.value <= 5:
            raise ValueError(f"rating out of range: {self.value}")


@dataclass(frozen=True, slots=True)
class Hours:
    """Hours spent, in quarter hours, more than 0 and at most `MAX_HOURS`."""

    value: float

    def __post_init__(self) -> None:
        if not 0 < self.value <= MAX_HOURS or self.value * 4 != int(self.value * 4):
            raise ValueError(f"hours not a positive quarter hour up to {MAX_HOURS}: {self.value}")


@dataclass(frozen=True, slots=True)
class Command:
    """A subcommand typed as text; `argument` is what follows it, trimmed (for skills,
    as typed without the leading French articles; for `pause`, the date or "")."""

    name: str
    argument: str = ""


@dataclass(frozen=True, slots=True)
class Unknown:
    """Not understood: answer kindly, suggesting `closest_command` when there is one."""

    closest_command: str | None = None


Intent: TypeAlias = Happened | NotYet | WontHappen | Rating | Hours | Command | Unknown


# ---------------------------------------------------------------------------------------
# Commands


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


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
_NO_ARGUMENT: Final = _wordset("help join me resume leave mydata forget-me")
_SKILL_ARGUMENT: Final = _wordset("teach learn remove")


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) not in ("Mn", "Me"))


def _key(word: str) -> str:
    """How a command word is compared: no case, accents, or anything but letters/digits."""
    return "".join(ch for ch in _strip_accents(word).casefold() if ch.isalnum())


def _accepted_words() -> dict[str, str]:
    words: dict[str, str] = {}
    for name, french, others in _TABLE:
        for word in (name, french, *others):
            words[word] = name
            words[_strip_accents(word)] = name
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
_FILLER: Final = _wordset(
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
class _Typed:
    name: str
    french: bool  # typed with the French word, so French grammar applies to the rest
    rest: str


def _body(text: str) -> str:
    return _LEAD.sub("", text, count=1)


def _first_word(text: str) -> str:
    words = _body(text).split(maxsplit=1)
    return words[0] if words else ""


def _typed_command(text: str) -> _Typed | None:
    """The command word a DM starts with, if any, and what follows it."""
    words = _body(text).split(maxsplit=2)
    if not words:
        return None
    if len(words) >= 2 and (name := _BY_KEY.get(_key(words[0] + words[1]))):
        # "forget me", "mes données" typed as two words
        return _Typed(name, _key(words[0] + words[1]) in _FRENCH_KEYS, " ".join(words[2:]))
    rest = " ".join(words[1:])
    if name := _BY_KEY.get(_key(words[0])):
        return _Typed(name, _key(words[0]) in _FRENCH_KEYS, rest)
    head, dash, tail = words[0].partition("-")
    if dash and (name := _BY_KEY.get(_key(head))):  # "aide-moi"
        return _Typed(name, _key(head) in _FRENCH_KEYS, f"{tail} {rest}")
    return None


def _only_filler(text: str, filler: frozenset[str]) -> bool:
    return all(word in filler for word in re.findall(r"[^\W_]+", _fold(text)))


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


def _command(typed: _Typed) -> Command | None:
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
    typed = _typed_command(text)
    return None if typed is None else _command(typed)


# ---------------------------------------------------------------------------------------
# Text folding shared by answers and numbers

_APOSTROPHES: Final = str.maketrans(dict.fromkeys("’‘`´ʼ′", "'"))
_SHORTCODE: Final = re.compile(r":([a-z+\-][a-z0-9_+\-]*):", re.IGNORECASE)
# Slack sends emoji as :shortcodes:; those that answer are kept as the character.
_SHORTCODES: Final = {
    "+1": "👍",
    "thumbsup": "👍",
    "white_check_mark": "✅",
    "heavy_check_mark": "✅",
    "ballot_box_with_check": "✅",
    "-1": "👎",
    "thumbsdown": "👎",
    "x": "❌",
    "negative_squared_cross_mark": "❌",
    "heavy_multiplication_x": "❌",
    "star": "⭐",
    "star2": "🌟",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
}
_SLACK_MARKUP: Final = re.compile(r"<[^<>]*>")  # mentions, links, channels


def _shortcode(match: re.Match[str]) -> str:
    return f" {_SHORTCODES.get(match.group(1).lower(), '')} "


def _fold(text: str) -> str:
    """Case, accents, apostrophes and Slack markup folded away; emoji kept."""
    text = _SLACK_MARKUP.sub(" ", _SHORTCODE.sub(_shortcode, text))
    return _strip_accents(text).casefold().translate(_APOSTROPHES)


# ---------------------------------------------------------------------------------------
# "Did it happen?"


class _Sense(Enum):
    YES = auto()
    HAPPENED = auto()
    NO = auto()
    NOT_HAPPENED = auto()
    LATER = auto()
    WONT = auto()
    HEDGE = auto()
    CONTRAST = auto()
    UNCLEAR = auto()


@dataclass(frozen=True, slots=True)
class _Entry:
    plain: _Sense | None  # what the words mean as they are (None: nothing by themselves)
    negated: _Sense | None  # ... after "not", "pas", "never" ...
    negated_after: bool = False  # French simple tenses put "pas" after: "ça se fera pas"


_S = _Sense
# Phrases (folded, "|"-separated) → meaning plain and negated.
_PHRASES: Final[tuple[tuple[str, _Sense | None, _Sense | None], ...]] = (
    (
        "yes|yep|yeah|yea|yup|ya|yah|yas|yay|yesh|sure|indeed|absolutely|definitely|"
        "certainly|correct|exactly|affirmative|of course|you bet|oui|ouais|ouai|ouep|ouaip|"
        "wi|ui|carrement|absolument|tout a fait|effectivement|exactement|evidemment|"
        "bien sur|bien entendu|affirmatif|👍|✅|✔|☑|✓",
        _S.YES,
        _S.UNCLEAR,
    ),
    (
        "met|happened|done|did|took place|went ahead|talked|spoke|caught up|completed|"
        "finished|had our session|had the session|had a session|had a call|had our call|"
        "had a chat|s est vu|ai vu|a vu|avons vu|vus|vue|vues|rencontre|rencontres|"
        "rencontree|rencontrees|parle|parles|fait|faits|c est fait|eu lieu|termine|terminee|"
        "fini|finie|yesterday|hier|avant hier|last week|last night|last month|ago|"
        "semaine derniere|semaine passee|dernier|derniere",
        _S.HAPPENED,
        _S.NOT_HAPPENED,
    ),
    (  # praise says it happened; "not great" says nothing clear
        "great|super|top|genial|geniale|excellent|excellente|awesome|amazing|fantastic|"
        "parfait|parfaite|went well|went great|went fine|it went|bien passe|s est bien passe|"
        "s est tres bien passe|s est passe|sympa|tres sympa|c etait bien|useful|utile|"
        "helpful|interesting|interessant|interessante|enrichissant|enrichissante|"
        "learned a lot|learnt a lot|appris plein|appris beaucoup|trop bien|not bad|pas mal",
        _S.HAPPENED,
        _S.UNCLEAR,
    ),
    (
        "no|non|nope|nop|nah|nan|naw|nn|no no|non non|pas du tout|not at all|"
        "absolutely not|certainly not|definitely not|of course not|bien sur que non|"
        "negative|negatif|👎|❌|✖|✗|✘|❎",
        _S.NO,
        _S.UNCLEAR,
    ),
    (
        "not really|pas vraiment|pas trop|not quite|no show|no one|nobody|"
        "did not|have not|has not|had not",
        _S.NOT_HAPPENED,
        _S.UNCLEAR,
    ),
    (  # verbs that say nothing alone ("Vu" is "noted") but "did not happen" once negated
        "meet|see|happen|talk|speak|call|connect|catch up|manage|make it|get together|"
        "find time|found time|time|voir|se voir|rencontrer|se rencontrer|parler|se parler|"
        "appeler|vu|eu|pu|reussi|trouve|faire|chance|occasion",
        None,
        _S.NOT_HAPPENED,
    ),
    (
        "not yet|pas encore|toujours pas|still not|postponed|postpone|pushed back|put off|"
        "delayed|rescheduled|reschedule|reporte|reportee|reportes|reporter|decale|decalee|"
        "decaler|repousse|repoussee|remis|replanifie|replanifier|scheduled|planned|planifie|"
        "planifiee|prevu|prevue|waiting|attends|en attente|no time|pas le temps|"
        "pas eu le temps|pas trouve le temps|pas eu l occasion|busy|deborde|debordee|"
        "are meeting|will meet|will happen",
        _S.LATER,
        _S.UNCLEAR,
    ),
    (  # times to come: still to come under a negation ("we didn't meet yet")
        "yet|later|plus tard|soon|bientot|tomorrow|demain|apres demain|tonight|ce soir|next|"
        "prochain|prochaine|prochainement",
        _S.LATER,
        _S.LATER,
    ),
    (  # future forms: negated they say it will not happen
        "going to meet|gonna meet|going to happen|gonna happen",
        _S.LATER,
        _S.WONT,
    ),
    (
        "cancelled|canceled|cancel|cancelling|canceling|called off|call off|annule|annulee|"
        "annules|annulees|annuler|annulation|will not|will never|not going to happen|"
        "never going to happen|not happening|no longer|plus la peine|pas la peine|"
        "plus besoin|laisse tomber|laisser tomber|laissons tomber|lache l affaire|abandon|"
        "abandonne|abandonnee|abandoned|give up|gave up|given up|drop it|dropped|"
        "aura pas lieu|aura jamais lieu|va pas se voir|va jamais se voir|plus d actualite|"
        "left the company|quitte l entreprise|not a fit|not a good fit|not a match|"
        "not a good match|mismatch|did not work out|does not work out",
        _S.WONT,
        _S.UNCLEAR,
    ),
    (
        "maybe|perhaps|probably|possibly|peut etre|peutetre|probablement|sans doute|"
        "surement|je crois|je pense|i think|i guess|i believe|i suppose|not sure|pas sur|"
        "pas sure|sais pas|idk|dunno|no idea|aucune idee|kind of|sort of|kinda|sorta|"
        "more or less|plus ou moins|a moitie|partly|partially|en partie|half|if|si|hope|"
        "hopefully|j espere|espere|normalement|supposed to|cense|censes|almost|presque|"
        "barely|hardly|a peine|hmm|hm|euh|bof",
        _S.HEDGE,
        _S.HEDGE,
    ),
    ("know|sais", None, _S.HEDGE),  # "I don't know", "je ne sais pas"
    (
        "but|mais|however|though|although|except|sauf|cependant|pourtant|par contre|"
        "quoique|bien que|even though|meme si",
        _S.CONTRAST,
        _S.CONTRAST,
    ),
    (
        "never mind|nevermind|whatever|peu importe|just kidding|jk|je rigole|not me|pas moi|"
        "wrong person|laisse",
        _S.UNCLEAR,
        _S.UNCLEAR,
    ),
    (  # said in passing; their "no" / "pas" negate nothing
        "no problem|no worries|pas de souci|pas de soucis|pas de probleme|pas grave|"
        "c est pas grave|en fait|vu que|ca fait|se fait|do not worry|ne t inquiete pas",
        None,
        None,
    ),
)
# Future forms whose French negation follows the verb.
_AFTER_NEGATED: Final[tuple[tuple[str, _Sense, _Sense], ...]] = (
    ("se fera|se verra", _S.LATER, _S.WONT),
    ("se voit|on se voit", _S.LATER, _S.UNCLEAR),
)


def _lexicon() -> dict[tuple[str, ...], _Entry]:
    lexicon: dict[tuple[str, ...], _Entry] = {}
    for phrases, plain, negated in _PHRASES:
        for phrase in phrases.split("|"):
            lexicon[tuple(phrase.split())] = _Entry(plain, negated)
    for phrases, plain, negated in _AFTER_NEGATED:
        for phrase in phrases.split("|"):
            lexicon[tuple(phrase.split())] = _Entry(plain, negated, negated_after=True)
    return lexicon


_LEXICON: Final = _lexicon()
_LONGEST: Final = max(len(phrase) for phrase in _LEXICON)
_NEGATORS: Final = _wordset("not never pas jamais rien nothing without sans neither nor ni")
_AFTER_NEGATORS: Final = _wordset("pas jamais")
_SMALL_TALK: Final = _wordset(
    "sorry desole desolee unfortunately sadly alas malheureusement helas thanks thank you "
    "merci rex hi hello hey bonjour salut coucou ok okay well oh ah eh bah ben lol mdr"
)
_NEGATION_REACH: Final = 4  # words between a negator and what it negates
# Words that start a new clause, which a negation does not reach into.
_LINKS: Final = _wordset("and et so donc then puis because car parce")
_MAX_WORDS: Final = 30  # longer replies are stories, not answers
_MAX_ANSWER_CHARS: Final = 300
_QUESTION_WORDS: Final = _wordset(
    "what when where why how who which quand comment pourquoi quoi qui quel quelle quels quelles"
)
_AUXILIARIES: Final = _wordset(
    "did do does is are was were have has had can could should would will shall"
)
_PRONOUNS: Final = _wordset("we i you it they he she that this")
_CONTRACTIONS: Final[tuple[tuple[re.Pattern[str], str], ...]] = (
    (re.compile(r"\bwon'?t\b"), "will not"),
    (re.compile(r"\bcan'?t\b"), "can not"),
    (re.compile(r"\bain'?t\b"), "is not"),
    (
        re.compile(r"\b(do|does|did|have|has|had|is|are|was|were|could|would|should)n'?t\b"),
        r"\1 not",
    ),
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"'m\b"), " am"),
)
_CLAUSE_BREAK: Final = re.compile(r"[.,;:!?¿¡\n\r()\[\]{}…—–|/]+")
_WORD: Final = re.compile(r"[^\W_]+|[👍👎✅✔☑✓❌✖✗✘❎]")
_KNOWN: Final = (
    frozenset(word for phrase in _LEXICON for word in phrase)
    | _NEGATORS
    | _wordset("ouf out our noon now")  # real words a letter away from an answer
)
_COLLAPSIBLE: Final = {_S.YES, _S.NO, _S.HAPPENED, _S.LATER, _S.WONT}
_REPEATS: Final = re.compile(r"(.)\1+")


def _collapsed_targets() -> dict[str, str]:
    """Answer words keyed by their form without doubled letters, when unambiguous."""
    targets: dict[str, str] = {}
    clashes: set[str] = set()
    for phrase, entry in _LEXICON.items():
        if len(phrase) == 1 and entry.plain in _COLLAPSIBLE:
            key = _REPEATS.sub(r"\1", phrase[0])
            known = targets.get(key)
            if known is not None and _LEXICON[(known,)].plain != entry.plain:
                clashes.add(key)
            targets[key] = phrase[0]
    return {key: word for key, word in targets.items() if key not in clashes}


_COLLAPSED: Final = _collapsed_targets()
_STRETCHED: Final = re.compile(r"(.)\1\1|(.)\2$")  # "yesss", "nooon", "ouii"
# Single-word replies a typo away from these are read as them ("yse", "oiu").
_TYPO_TARGETS: Final = ("yes", "yeah", "yep", "yup", "oui", "ouais", "nope")
_SINGLE_LETTERS: Final = {"y": "yes", "n": "no"}


def _spelled(word: str) -> str:
    """A word with a stretched spelling ("ouiii", "nooon") brought back to the answer."""
    if word in _KNOWN or not _STRETCHED.search(word):
        return word
    return _COLLAPSED.get(_REPEATS.sub(r"\1", word), word)


def _single_typo(word: str) -> str:
    """The answer word a lone, unknown word is one slip away from, if only one sense."""
    if word in _SINGLE_LETTERS:
        return _SINGLE_LETTERS[word]
    if word in _KNOWN or len(word) < 3:
        return word
    close = [
        target
        for target in _TYPO_TARGETS
        if target[0] == word[0] and OSA.distance(word, target, score_cutoff=1) <= 1
    ]
    senses = {_LEXICON[(target,)].plain for target in close}
    return close[0] if len(senses) == 1 else word


def _clauses(text: str) -> list[list[str]]:
    """The reply as words, split where punctuation ends the reach of a negation."""
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    text = re.sub(r"['\-‐‑]", " ", text)
    clauses = [[_spelled(w) for w in _WORD.findall(part)] for part in _CLAUSE_BREAK.split(text)]
    clauses = [words for words in clauses if words]
    if len(clauses) == 1 and len(clauses[0]) == 1:
        clauses[0][0] = _single_typo(clauses[0][0])
    return clauses


def _matches(words: list[str]) -> Iterator[tuple[int, int, _Entry]]:
    """Longest known phrases, left to right, without overlap."""
    start = 0
    while start < len(words):
        for size in range(min(_LONGEST, len(words) - start), 0, -1):
            entry = _LEXICON.get(tuple(words[start : start + size]))
            if entry is not None:
                yield start, start + size, entry
                start += size
                break
        else:
            start += 1


def _senses(words: list[str]) -> tuple[set[_Sense], list[str]]:
    """What a clause says, and its words that no phrase explains."""
    found = list(_matches(words))
    in_passing = {
        i
        for start, end, entry in found
        if entry.plain is None and entry.negated is None
        for i in range(start, end)
    }
    negators = [i for i, word in enumerate(words) if word in _NEGATORS and i not in in_passing]
    breaks = [start for start, _, entry in found if entry.plain is _S.CONTRAST] + [
        i for i, word in enumerate(words) if word in _LINKS
    ]
    senses: set[_Sense] = set()
    for start, end, entry in found:
        negated = any(
            start - _NEGATION_REACH <= i < start and not any(i < b < start for b in breaks)
            for i in negators
        ) or (entry.negated_after and end < len(words) and words[end] in _AFTER_NEGATORS)
        sense = entry.negated if negated else entry.plain
        if sense is not None:
            senses.add(sense)
    explained = {i for start, end, _ in found for i in range(start, end)}
    return senses, [word for i, word in enumerate(words) if i not in explained]


def _is_question(folded: str, words: list[str]) -> bool:
    if "?" in folded or "¿" in folded:
        return True
    if words[0] in _QUESTION_WORDS or words[:2] == ["est", "ce"]:
        return True
    return (
        len(words) >= 2
        and words[0] in _AUXILIARIES
        and words[1] in _PRONOUNS
        and words != ["did", "it"]
    )


def _did_it_happen(text: str) -> Intent | None:
    folded = _fold(text)
    clauses = _clauses(folded)
    words = [word for clause in clauses for word in clause]
    if not words or len(words) > _MAX_WORDS or _is_question(folded, words):
        return None
    senses: set[_Sense] = set()
    unexplained: list[str] = []
    for clause in clauses:
        clause_senses, clause_rest = _senses(clause)
        senses |= clause_senses
        unexplained += clause_rest
    if _S.UNCLEAR in senses:
        return None
    if senses & {_S.YES, _S.HAPPENED}:
        against = {_S.LATER, _S.WONT, _S.NO, _S.NOT_HAPPENED, _S.HEDGE, _S.CONTRAST}
        return None if senses & against else Happened()
    if _S.WONT in senses:
        return None if senses & {_S.LATER, _S.HEDGE} else WontHappen()
    if senses & {_S.LATER, _S.NOT_HAPPENED}:
        return NotYet()
    # A bare "no" closes; "no, he is sick" may only mean "not yet".
    if senses == {_S.NO} and set(unexplained) <= _SMALL_TALK:
        return WontHappen()
    return None


# ---------------------------------------------------------------------------------------
# Ratings and hours

_COUNTS: Final = {
    word: count
    for count, words in enumerate(
        (
            "one un une",
            "two deux",
            "three trois",
            "four quatre",
            "five cinq",
            "six",
            "seven sept",
            "eight huit",
            "nine neuf",
            "ten dix",
        ),
        start=1,
    )
    for word in words.split()
}
_NUMBER_WORDS: Final = {**_COUNTS, "a": 1, "an": 1}  # "an hour", "a half hour"
# A number of at most three digits, not part of a longer number, a decimal or a fraction.
_NUM: Final = r"(?<![0-9/])(?<![0-9][.,])[0-9]{1,3}(?:[.,][0-9]{1,2})?(?![0-9]|[.,][0-9])"
_COUNT_WORD: Final = rf"\b(?:{'|'.join(sorted(_COUNTS, key=len, reverse=True))})\b"
_NUM_WORD: Final = rf"\b(?:{'|'.join(sorted(_NUMBER_WORDS, key=len, reverse=True))})\b"
_H: Final = r"(?:hours?|hrs?|heures?|h)"
_HW: Final = r"(?:hours?|heures?)"
_MIN: Final = r"(?:minutes?|mins?|mn)"
# A number then an hour unit: digits take "h", words need the word ("an hour").
_NUM_UNIT: Final = rf"(?:(?P<d>{_NUM})\s*{_H}|(?P<w>{_NUM_WORD})\s+{_HW})"
_NUM_H: Final = rf"{_NUM_UNIT}\b"
_STAR_GLYPHS: Final = "★⭐🌟"


def _number(text: str) -> float:
    return float(_NUMBER_WORDS[text]) if text in _NUMBER_WORDS else float(text.replace(",", "."))


def _hours_of(match: re.Match[str]) -> float:
    return _number(match.group("d") or match.group("w"))


def _hours_minutes(match: re.Match[str]) -> float | None:
    minutes = int(match.group("m"))
    if minutes >= 60 or (match.group("d") and not match.group("d").isdigit()):
        return None
    return _hours_of(match) + minutes / 60


_HOUR_FORMS: Final[tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], float | None]], ...]] = (
    (  # one and a half hours
        re.compile(rf"(?P<w>{_NUM_WORD}|{_NUM})\s+and\s+a\s+half\s+{_HW}\b"),
        lambda m: _number(m.group("w")) + 0.5,
    ),
    (  # une heure et demie, 2h et quart, an hour and a half
        re.compile(
            rf"{_NUM_H}\s*(?:(?P<half>and\s+a\s+half|and\s+half|et\s+demie?)"
            rf"|and\s+a\s+quarter|et\s+quart)\b"
        ),
        lambda m: _hours_of(m) + (0.5 if m.group("half") else 0.25),
    ),
    (  # 1h30, 1 h 30, 2 hours 15 minutes, 1 heure et 30 minutes
        re.compile(
            rf"{_NUM_UNIT}\s*(?:and\s+|et\s+)?(?P<m>[0-9]{{1,2}})(?![0-9])"
            rf"(?!\s*(?:/|{_H}\b|x\b|fois\b|times\b|sessions?\b|seances?\b))\s*(?:{_MIN}\b)?"
        ),
        _hours_minutes,
    ),
    (  # trois quarts d'heure, three quarters of an hour, 3/4 h
        re.compile(
            rf"\b(?:trois|three|3)\s*quarts?\s+(?:d\s+|of\s+an\s+)?{_HW}\b"
            rf"|\bthree\s+quarters\s+of\s+an\s+{_HW}\b|(?<![0-9])3/4\s*(?:d\s+)?{_H}\b"
        ),
        lambda _: 0.75,
    ),
    (  # un quart d'heure, a quarter of an hour
        re.compile(
            rf"\b(?:(?:un|a|one)\s+)?quart(?:er)?\s+(?:d\s+|of\s+an\s+)?{_HW}\b"
            rf"|(?<![0-9])1/4\s*(?:d\s+)?{_H}\b"
        ),
        lambda _: 0.25,
    ),
    (  # half an hour, une demi-heure
        re.compile(
            rf"\b(?:(?:a|an|one)\s+)?half\s+(?:an\s+)?{_HW}\b"
            rf"|\b(?:une\s+)?demi\s*{_HW}\b|(?<![0-9])1/2\s*{_H}\b"
        ),
        lambda _: 0.5,
    ),
    (re.compile(_NUM_H), _hours_of),  # 2h, 1,5 h, deux heures, an hour
    (  # 90 min
        re.compile(rf"(?P<n>{_NUM}|{_NUM_WORD})\s*{_MIN}\b"),
        lambda m: _number(m.group("n")) / 60,
    ),
    (  # 1:30
        re.compile(r"(?<![0-9:])(?P<h>[0-9]{1,2}):(?P<m>[0-5][0-9])(?![0-9:])"),
        lambda m: int(m.group("h")) + int(m.group("m")) / 60,
    ),
)
_RATING_FORMS: Final[tuple[re.Pattern[str], ...]] = (
    # 3 stars out of 5, 3 étoiles sur 5
    re.compile(
        rf"(?P<n>{_NUM}|{_COUNT_WORD})\s*(?:stars?|etoiles?)\s*(?:/|\bsur\b|\bout\s+of\b|\bof\b)"
        r"\s*(?:5|five|cinq)(?![0-9]|[.,][0-9]|/)"
    ),
    # 4/5, 4 sur 5, four out of five
    re.compile(
        rf"(?P<n>{_NUM}|{_COUNT_WORD})\s*"
        r"(?:/|\bsur\b|\bout\s+of\b|\bof\b)\s*(?:5|five|cinq)(?![0-9]|[.,][0-9]|/)"
    ),
    # 4 stars, quatre étoiles, 4*
    re.compile(
        rf"(?P<n>{_NUM}|{_COUNT_WORD})\s*(?:(?:stars?|etoiles?)\b|[*{_STAR_GLYPHS}](?![*{_STAR_GLYPHS}☆]))"
    ),
)
_STAR_RUN: Final = re.compile(rf"[{_STAR_GLYPHS}☆](?:\s*[{_STAR_GLYPHS}☆])*")
# After the rating or hours are taken out, any of these left means another number.
_OTHER_NUMBER: Final = re.compile(
    r"[0-9½¼¾]|\b(?:two|three|four|five|six|seven|eight|nine|ten|deux|trois|quatre|cinq|six|"
    r"sept|huit|neuf|dix|half|demie?|quarts?|quarters?)\b|\b(?:one|un|une)\s*(?:-|\bto\b|\ba\b|\bor\b|\bou\b)"
    rf"|[{_STAR_GLYPHS}☆]"
)
# Bounds, ranges and clock times: a number is there, but not the duration.
_NOT_A_DURATION: Final = re.compile(
    r"\b(?:more|less|fewer)\s+than\b|\b(?:plus|moins)\s+(?:de|d|que)\b|\bat\s+(?:least|most)\b"
    r"|\bau\s+(?:moins|plus)\b|\b(?:over|under|or|ou|between|entre|jusqu)\b"
    r"|\b(?:at|vers|from|until|till|des|depuis|since)\s+[0-9]|[<>+]"
)
_CLOCK_TIME: Final = re.compile(r"(?<!\w)à\s*[0-9]")  # "à 14h": a time, checked before folding
_IN_PASSING: Final = re.compile(
    r"\b(?:pas mal|not bad|no problem|no worries|pas de soucis?|pas de probleme)\b"
)
_NEGATED: Final = re.compile(r"\b(?:not|no|never|pas|jamais|aucun|aucune)\b")
_BARE_NUMBER: Final = re.compile(rf"\s*(?P<n>{_NUM}|{_COUNT_WORD})\s*")
_BARE_HOURS_MAX: Final = 12.0


def _numeric_text(text: str) -> str | None:
    """Folded text for numbers, or None when it is a question or a negation."""
    folded = re.sub(r"['\-‐‑]", " ", _fold(text))
    if "?" in folded:
        return None
    folded = _IN_PASSING.sub(" ", folded)
    # Keep letters, digits, what numbers are written with, and stars; drop other emoji.
    folded = "".join(
        ch if ch.isalnum() or ch.isspace() or ch in f"/.,:*+<>~≈☆{_STAR_GLYPHS}" else " "
        for ch in folded
    )
    return None if _NEGATED.search(folded) else folded


def _blank(text: str, match: re.Match[str]) -> str:
    return text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]


def _rating(text: str, bare: bool) -> Rating | None:
    folded = _numeric_text(text)
    if folded is None:
        return None
    if bare and (number := _BARE_NUMBER.fullmatch(folded.strip(" .!"))):
        value = _number(number.group("n"))
        return Rating(int(value)) if value in (1, 2, 3, 4, 5) else None
    if bare and re.fullmatch(r"\s*\*{1,5}\s*", folded):
        return Rating(folded.count("*"))
    values: set[float] = set()
    for pattern in _RATING_FORMS:
        while match := pattern.search(folded):
            values.add(_number(match.group("n")))
            folded = _blank(folded, match)
    for run in list(_STAR_RUN.finditer(folded)):
        filled = sum(run.group().count(glyph) for glyph in _STAR_GLYPHS)
        empty = run.group().count("☆")
        values.add(float(filled) if empty == 0 or filled + empty == 5 else 0.0)
        folded = _blank(folded, run)
    if len(values) != 1 or _OTHER_NUMBER.search(folded):
        return None
    value = values.pop()
    return Rating(int(value)) if value in (1, 2, 3, 4, 5) else None


def _quarter_hours(value: float | None) -> Hours | None:
    if value is None:
        return None
    rounded = math.floor(value * 4 + 0.5) / 4
    return Hours(rounded) if 0 < rounded <= MAX_HOURS else None


def _hours(text: str, bare: bool) -> Hours | None:
    folded = _numeric_text(text)
    if folded is None or _NOT_A_DURATION.search(folded) or _CLOCK_TIME.search(text.casefold()):
        return None
    if bare and (number := _BARE_NUMBER.fullmatch(folded.strip(" .!"))):
        value = _number(number.group("n"))
        return _quarter_hours(value) if value <= _BARE_HOURS_MAX else None
    values: list[float | None] = []
    for pattern, value_of in _HOUR_FORMS:
        while match := pattern.search(folded):
            values.append(value_of(match))
            folded = _blank(folded, match)
    if len(values) != 1 or _OTHER_NUMBER.search(folded):
        return None
    return _quarter_hours(values[0])


# ---------------------------------------------------------------------------------------


def _answer(text: str, expecting: Expecting) -> Intent | None:
    if len(text) > _MAX_ANSWER_CHARS:
        return None
    if expecting is Expecting.DID_IT_HAPPEN:
        return _did_it_happen(text)
    if expecting is Expecting.RATING:
        return _rating(text, bare=True)
    if expecting is Expecting.HOURS:
        return _hours(text, bare=True)
    if expecting is Expecting.HAPPENED_OR_EVALUATION:
        return _did_it_happen(text) or _answer(text, Expecting.EVALUATION)
    if expecting is Expecting.EVALUATION:
        rating, hours = _rating(text, bare=False), _hours(text, bare=False)
        return None if rating is not None and hours is not None else rating or hours
    return None


def parse_reply(text: str, expecting: Expecting) -> Intent:
    """What a DM to Rex means, given what Rex asked last there. Never raises."""
    typed = _typed_command(text)
    if typed is not None:
        return _command(typed) or Unknown(typed.name)
    return _answer(text, expecting) or Unknown(closest_command(_first_word(text)))
