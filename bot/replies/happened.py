"""Answers to "Did it happen?": yes, not yet, or it won't happen, in English or French.

Phrases carry a meaning plain and negated; a negation reaches a few words into its clause.
Precision first: any question, hedge or mixed signal is not an answer (None), except that a
hedge does not stop "not yet". A bare "no" closes the exchange; "no" with a reason Rex
cannot follow does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum, auto
from typing import Final

from rapidfuzz.distance import OSA

from bot.replies.folding import fold, wordset
from bot.replies.intents import Happened, Intent, NotYet, WontHappen


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
_NEGATORS: Final = wordset("not never pas jamais rien nothing without sans neither nor ni")
_AFTER_NEGATORS: Final = wordset("pas jamais")
_SMALL_TALK: Final = wordset(
    "sorry desole desolee unfortunately sadly alas malheureusement helas thanks thank you "
    "merci rex hi hello hey bonjour salut coucou ok okay well oh ah eh bah ben lol mdr"
)
_NEGATION_REACH: Final = 4  # words between a negator and what it negates
# Words that start a new clause, which a negation does not reach into.
_LINKS: Final = wordset("and et so donc then puis because car parce")
_MAX_WORDS: Final = 30  # longer replies are stories, not answers
_QUESTION_WORDS: Final = wordset(
    "what when where why how who which quand comment pourquoi quoi qui quel quelle quels quelles"
)
_AUXILIARIES: Final = wordset(
    "did do does is are was were have has had can could should would will shall"
)
_PRONOUNS: Final = wordset("we i you it they he she that this")
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
    | wordset("ouf out our noon now")  # real words a letter away from an answer
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


def did_it_happen(text: str) -> Intent | None:
    folded = fold(text)
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
