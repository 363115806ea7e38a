"""The skill vocabulary: aliases, sub-skills and filler words, loaded from shipped data.

Why data and not code: community managers extend the vocabulary (a new tool, a local
abbreviation, a French wording) without a release, by passing their own files to
`load_vocabulary`. The shipped files live in `bot/data/` and are described in its README.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import logging
import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.matching.lexicon import LANGUAGES as STEM_LANGUAGES
from bot.matching.lexicon import (
    american_spelling,
    is_real_word,
    stem_key,
    stem_words,
    word_frequency,
)
from bot.matching.text import fold_plural, prepare, words

ALIASES_FILE = "skill_aliases.csv"
PARTS_FILE = "skill_parts.csv"
WORDS_FILE = "skill_words.toml"
ESCO_SKILLS_FILE = "esco_skills.csv"
ESCO_PARTS_FILE = "esco_parts.csv"
ESCO_KEYS_FILE = "esco_keys.csv"
ESCO_WORDS_FILE = "esco_words.csv"
# Bump when prepare/clean fold text differently: the shipped ESCO keys are then refolded.
FOLDING_VERSION = 2
DISPLAY_LANGUAGES = ("en", "fr", "es")
_RESERVED = ("~", " + ", "|")
log = logging.getLogger(__name__)
# "i18n", "l10n", "a11y": first letter, how many letters between, last letter.
_NUMERONYM = re.compile(r"([a-z])(\d{1,2})([a-z])")
AMBIGUOUS = "?"  # prefix of a name several skills share: "?ats"


def _neighbour_keys() -> frozenset[tuple[str, str]]:
    """Letter pairs next to each other on a QWERTY or AZERTY keyboard."""
    pairs: set[tuple[str, str]] = set()
    for rows in (("qwertyuiop", "asdfghjkl", "zxcvbnm"), ("azertyuiop", "qsdfghjklm", "wxcvbn")):
        place = {
            ch: (r, c + (0.0, 0.3, 0.8)[r])
            for r, row in enumerate(rows)
            for c, ch in enumerate(row)
        }
        for a, (ra, ca) in place.items():
            for b, (rb, cb) in place.items():
                if a != b and abs(ra - rb) <= 1 and abs(ca - cb) <= 1.1:
                    pairs.add((a, b))
    return frozenset(pairs)


_NEIGHBOURS = _neighbour_keys()


def is_typo(typed: str, word: str) -> bool:
    """Whether `typed` is `word` with one slip of the keyboard (two for long words).

    Short names are where distinct skills sit one letter apart (Perl/Pearl, Flask/Flash,
    Ruby/Rugby, Spring/String), so short words only get the slips that rarely make
    another word: two letters swapped, a letter dropped, a letter doubled; from six
    letters also a neighbouring key (Kanbam), from eight any letter. Another first letter
    is never a typo.
    """
    shortest = min(len(typed), len(word))
    if shortest < 4 or typed[0] != word[0] or typed == word:
        return False
    if shortest >= 12:
        return OSA.distance(typed, word, score_cutoff=2) <= 2
    if OSA.distance(typed, word, score_cutoff=1) > 1:
        return False
    if len(typed) < len(word):
        return True  # a letter dropped
    if len(typed) > len(word):  # a letter added: fine in long words, or if doubled
        extra = next((k for k in range(len(word)) if typed[k] != word[k]), len(word))
        return shortest >= 6 or typed[extra] == typed[extra - 1]
    changed = [(a, b) for a, b in zip(typed, word, strict=True) if a != b]
    if len(changed) == 2 or shortest >= 8:  # swapped letters, or a long word
        return True
    return shortest >= 6 and changed[0] in _NEIGHBOURS


# Two words with a long common start are one word in another form ("identify" /
# "identification", "administer" / "administration"): at least ROOT letters in common,
# and most of the shorter word ("accounting" / "accountability" share only 7 of 10).
ROOT = 7
_ROOT_SHARE = 0.75


def root(word: str) -> str:
    """The start two forms of a word share at least: its first ROOT letters."""
    return word[:ROOT]


def same_root(a: str, b: str) -> bool:
    """Whether `a` and `b` are forms of one word by the rule above."""
    shorter = min(len(a), len(b))
    if shorter < ROOT or a[:ROOT] != b[:ROOT]:
        return False
    common = next((i for i in range(shorter) if a[i] != b[i]), shorter)
    return common >= _ROOT_SHARE * shorter


def numeronym(word: str) -> str:
    """A long word's numeronym ("internationalization" → "i18n"), else ""."""
    return f"{word[0]}{len(word) - 2}{word[-1]}" if len(word) >= 5 and word.isalpha() else ""


def words_close(a: str, b: str) -> bool:
    """Same word (British or American, or another form of it: "calibrate" /
    "calibration"), or one a typo of the other (neither is known, so either may be
    typed); two real words are never typos of each other ("carving" / "caving")."""
    if a == b or american_spelling(a) == american_spelling(b):
        return True
    if numeronym(a) == b or numeronym(b) == a or same_root(a, b):
        return True
    if not (is_typo(a, b) or is_typo(b, a)):
        return False
    return not (is_real_word(a) and is_real_word(b))


@dataclass(slots=True)
class _Builder:
    """Mutable state while files are read; frozen into a `Vocabulary` at the end."""

    stopwords: set[str] = field(default_factory=set)
    generic: set[str] = field(default_factory=set)
    fillers: set[tuple[str, ...]] = field(default_factory=set)
    keep_plural: set[str] = field(default_factory=set)
    expansions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    category: dict[str, str] = field(default_factory=dict)
    by_words: dict[str, str] = field(default_factory=dict)
    by_compact: dict[str, str] = field(default_factory=dict)
    by_sorted: dict[str, str | None] = field(default_factory=dict)
    parts: dict[str, dict[str, bool]] = field(default_factory=lambda: defaultdict(dict))
    # light task verbs by their first word, longest first ("faire preuve de" before "faire")
    task_verbs: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    # canonical skill → its label per language (ESCO's preferred labels), for display
    display: dict[str, dict[str, str]] = field(default_factory=dict)
    # a name several skills share ("ATS") → those skills; used only against one of them
    ambiguous: dict[str, frozenset[str]] = field(default_factory=dict)
    # language → stem key ("negoti contract") → the one skill with that key, else None
    stems: dict[str, dict[str, str | None]] = field(
        default_factory=lambda: {lang: {} for lang in STEM_LANGUAGES}
    )
    esco: dict[str, str] = field(default_factory=dict)  # ESCO short id → canonical
    english: dict[str, str] = field(default_factory=dict)  # French/Spanish word → English


class Vocabulary:
    """Alias lookup, typo correction and the sub-skill relation over canonical skills."""

    def __init__(self, built: _Builder) -> None:
        self.stopwords = frozenset(built.stopwords)
        self.generic = frozenset(built.generic)
        fillers: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for filler in sorted(built.fillers, key=len, reverse=True):
            fillers[filler[0]].append(filler)
        self.fillers = {first: tuple(found) for first, found in fillers.items()}
        self.keep_plural = frozenset(built.keep_plural)
        self.expansions = dict(built.expansions)
        self.category = dict(built.category)
        self.by_words = dict(built.by_words)
        self.by_compact = dict(built.by_compact)
        self.by_sorted = {k: c for k, c in built.by_sorted.items() if c is not None}
        self.max_words = max((k.count(" ") + 1 for k in self.by_words), default=1)
        self.set_parts(built.parts)
        alias_words = {w for key in self.by_words for w in key.split(" ")}
        compacts = {key for key in self.by_compact if key not in alias_words}
        self.known = frozenset(alias_words | self.stopwords | self.generic | compacts)
        self.known |= {w for filler in built.fillers for w in filler}
        # Typo targets by first letter and length, each with its neighbours two letters
        # shorter or longer: all a word of that length can be a typo of.
        by_size: dict[tuple[str, int], list[str]] = defaultdict(list)
        for word in sorted((alias_words | self.generic | compacts) - self.stopwords):
            if len(word) >= 4:
                by_size[word[0], len(word)].append(word)
        sizes = {(first, n + d) for first, n in by_size for d in range(-2, 3)}
        self._targets = {
            (first, size): [
                t for n in range(size - 2, size + 3) for t in by_size.get((first, n), ())
            ]
            for first, size in sizes
        }
        self.display = {c: dict(labels) for c, labels in built.display.items()}
        self.ambiguous = dict(built.ambiguous)
        self.english = dict(built.english)
        self.senses = {AMBIGUOUS + k: v for k, v in built.ambiguous.items()}
        self.stems = {
            lang: {k: c for k, c in found.items() if c is not None}
            for lang, found in built.stems.items()
        }
        self.correct = functools.lru_cache(maxsize=1 << 16)(self._correct)
        # Windows of words recur from label to label: each is looked up once.
        self._lookup = functools.lru_cache(maxsize=1 << 18)(self._lookup_words)
        self._lookup_stems = functools.lru_cache(maxsize=1 << 18)(self._stems_of)
        self._tokens = functools.lru_cache(maxsize=1 << 16)(self._fold_word)

    @functools.cached_property
    def compose(self) -> dict[str, frozenset[str]]:
        """Skills named by two or three skills' own one-word names, and those skills
        ("email marketing" → email, marketing; so "marketing par courriel" is it). Only
        words that are a skill's id count ("email"), not any alias a word happens to be
        ("corporate" in some translation), and not skills in the core-part relation."""
        related = self.parts.keys() | self.broads_of.keys()
        found: dict[str, set[frozenset[str]]] = defaultdict(set)
        for key, canonical in self.by_words.items():
            tokens = key.split(" ")
            if not 2 <= len(tokens) <= 3 or canonical in related:
                continue
            if all(self.by_words.get(t) == t and t != canonical for t in tokens):
                found[canonical].add(frozenset(tokens))
        return {c: next(iter(ways)) for c, ways in found.items() if len(ways) == 1}

    def composed(self, concepts: frozenset[str]) -> frozenset[str]:
        """`concepts` with each skill of `compose` replaced by the skills it is named by."""
        if not any(c in self.compose for c in concepts):
            return concepts
        return frozenset().union(*(self.compose.get(c, frozenset({c})) for c in concepts))

    def set_parts(self, parts: dict[str, dict[str, bool]]) -> None:
        """Broad skill → {core part → whether a learner may name the part alone}."""
        self.parts = {broad: dict(found) for broad, found in parts.items() if found}
        broads: dict[str, set[str]] = defaultdict(set)
        for broad, found in self.parts.items():
            for name in found:
                broads[name].add(broad)
        self.broads_of = {name: frozenset(b) for name, b in broads.items()}
        self.__dict__.pop("compose", None)  # depends on the relation

    def clean(self, raw: Iterable[str]) -> list[str]:
        """Raw words → comparable tokens: abbreviations expanded, stopwords out, plurals in."""
        return [token for word in raw for token in self._tokens(word)]

    def _fold_word(self, word: str) -> tuple[str, ...]:
        parts = self.expansions.get(word, (word,))
        return tuple(fold_plural(p, self.keep_plural) for p in parts if p not in self.stopwords)

    def phrase(self, text: str) -> list[str]:
        """A vocabulary entry folded exactly like a label."""
        main, notes = prepare(text)
        return self.clean(words(f"{main} {notes}"))

    def lookup(self, window: Sequence[str], any_order: bool = True) -> str | None:
        """The canonical skill these tokens name: as written, run together, or (if
        `any_order`) in another word order, unless that order belongs to two skills
        ("system design"/"design systems"); then in American spelling."""
        return self._lookup(tuple(window), any_order)

    def _lookup_words(self, window: tuple[str, ...], any_order: bool) -> str | None:
        joined = " ".join(window)
        found = self.by_words.get(joined) or self.by_compact.get("".join(window))
        if found is None and any_order:
            found = self.by_sorted.get(" ".join(sorted(window)))
        if found is None and joined in self.ambiguous:
            found = AMBIGUOUS + joined
        if found is None and any(american_spelling(t) != t for t in window):
            found = self._lookup(tuple(american_spelling(t) for t in window), any_order)
        return found

    def lookup_stems(self, window: Sequence[str]) -> str | None:
        """The one skill whose name has these words' stems in some language: a verb meets
        its noun ("negotiate contracts" / "contract negotiation", "manage projects" /
        "project management"). Callers use it for two words or more: one word's stem is
        too loose ("accountability" / "accounting")."""
        return self._lookup_stems(tuple(window))

    def _stems_of(self, window: tuple[str, ...]) -> str | None:
        for language in STEM_LANGUAGES:
            found = self.stems[language].get(stem_key(window, language))
            if found is not None:
                return found
        return None

    def meaningful(self, token: str) -> bool:
        """Whether a token says something about the skill (not a level or a number)."""
        return token not in self.generic and not token.isdigit()

    def strip_fillers(self, raw: list[str]) -> list[str]:
        """Drop leading fillers ("how to", "les bases de"), unless they start a known skill
        ("giving feedback", "learning management system") or nothing would be left; and a
        trailing one word long ("press release writing" is "write press releases"), unless
        the label ends in a known skill with it ("creative writing")."""
        raw = self._strip_leading(raw)
        if len(raw) < 2 or (raw[-1],) not in self.fillers.get(raw[-1], ()):
            return raw
        tokens = self.clean(raw)
        top = min(len(tokens), self.max_words)
        if any(self.lookup(tokens[-size:]) for size in range(2, top + 1)):
            return raw
        rest = raw[:-1]
        return rest if any(self.meaningful(t) for t in self.clean(rest)) else raw

    def _strip_leading(self, raw: list[str]) -> list[str]:
        for filler in self.fillers.get(raw[0], ()) if raw else ():
            n = len(filler)
            if tuple(raw[:n]) != filler or len(raw) <= n:
                continue
            rest = raw[n:]
            if not any(self.meaningful(t) for t in self.clean(rest)):
                continue
            tokens = self.clean(raw)
            top = min(len(tokens), self.max_words)
            if any(self.lookup(tokens[:size]) for size in range(2, top + 1)):
                return raw
            return self._strip_leading(rest)
        return raw

    def _correct(self, word: str) -> str | None:
        """The one vocabulary word `word` is a typo of, if unambiguous. Plural folding may
        have kept or eaten an -s that the typo hid ("ergonomcis", "promethue(s)"), so the
        word is also tried without and with it. A real word of its own ("caving",
        "flask") is never a typo of another."""
        if word in self.known or len(word) < 4:
            return None
        numeronym = _NUMERONYM.fullmatch(word)
        if numeronym is not None:
            return self._spelled_out(numeronym[1], int(numeronym[2]), numeronym[3])
        if is_real_word(word):
            return None
        found = self._closest(word)
        if found is None:
            found = self._closest(word[:-1] if word.endswith("s") else word + "s")
        return found

    def _spelled_out(self, first: str, inner: int, last: str) -> str | None:
        """The one vocabulary word a numeronym abbreviates ("i18n": i, 18 letters, n)."""
        size = inner + 2
        found = {
            t for t in self._targets.get((first, size), ()) if len(t) == size and t.endswith(last)
        }
        return found.pop() if len(found) == 1 else None

    def _closest(self, word: str) -> str | None:
        choices = self._targets.get((word[0], len(word)))
        if choices is None:
            return None
        found = process.extract(word, choices, scorer=OSA.distance, score_cutoff=2, limit=None)
        close = [(dist, target) for target, dist, _ in found if is_typo(word, target)]
        if not close:
            return None
        best = min(dist for dist, _ in close)
        winners = sorted({target for dist, target in close if dist == best})
        if len(winners) == 1:
            return winners[0]
        # Equally close: the likelier slip first (a doubled letter dropped or added,
        # two letters swapped: "payrol" is "payroll", not "patrol"), then the word people
        # use most ("pyton" is "python", not "pyston"); a tie stays unrepaired.
        ranked = sorted(((_slip(word, t), word_frequency(t), t) for t in winners), reverse=True)
        return ranked[0][2] if ranked[0][:2] > ranked[1][:2] else None


def _slip(typed: str, word: str) -> int:
    """How likely a slip turns `word` into `typed`: 2 for a doubled letter lost or
    repeated, or two letters swapped; 1 for any other."""
    longer, shorter = (typed, word) if len(typed) > len(word) else (word, typed)
    if len(longer) == len(shorter) + 1:
        at = next((i for i in range(len(shorter)) if longer[i] != shorter[i]), len(shorter))
        doubled = at > 0 and longer[at] == longer[at - 1]
        return 2 if doubled and longer[:at] + longer[at + 1 :] == shorter else 1
    changed = [i for i in range(len(typed)) if typed[i] != word[i]]
    swapped = len(changed) == 2 and changed[1] == changed[0] + 1
    return 2 if swapped and typed[changed[0]] == word[changed[1]] else 1


def _rows(text: str) -> Iterator[list[str]]:
    """CSV rows without blank lines, `#` comments or the header."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    for number, row in enumerate(csv.reader(lines)):
        if number:
            yield [cell.strip() for cell in row]


def new_builder() -> _Builder:
    """A builder holding the shipped word lists, ready to fold names."""
    built = _Builder()
    _add_words(built, _shipped(WORDS_FILE))
    return built


def _add_words(built: _Builder, text: str) -> None:
    data = tomllib.loads(text)

    def raw(entry: str) -> tuple[str, ...]:
        main, _ = prepare(entry)
        return tuple(words(main))

    built.stopwords.update(w for entry in data.get("stopwords", []) for w in raw(entry))
    built.keep_plural.update(w for entry in data.get("no_plural_folding", []) for w in raw(entry))
    built.generic.update(w for entry in data.get("generic", []) for w in raw(entry))
    built.fillers.update(raw(entry) for entry in data.get("leading_fillers", []) if raw(entry))
    verbs = {raw(entry) for entry in data.get("task_verbs", []) if raw(entry)}
    for verb in sorted(verbs, key=lambda verb: (-len(verb), verb)):
        built.task_verbs.setdefault(verb[0], []).append(verb)
    built.fillers.update(verbs)
    for short, long_ in data.get("expansions", {}).items():
        built.expansions[raw(short)[0]] = raw(long_)
    keep = frozenset(built.keep_plural)
    built.generic = {fold_plural(w, keep) for w in built.generic}  # compared folded, as tokens


def _add_aliases(built: _Builder, vocab: Vocabulary, text: str, source: str) -> None:
    """Rows `canonical,category,aliases`; an alias already taken in this file is an error."""
    taken: dict[tuple[str, str], str] = {}
    for row in _rows(text):
        if len(row) != 3 or not row[0]:
            raise ValueError(f"{source}: expected canonical,category,aliases in {row!r}")
        canonical, category, aliases = row
        if any(mark in canonical for mark in _RESERVED):
            raise ValueError(f"{source}: {canonical!r} uses a reserved character (~ + |)")
        built.category[canonical] = category or built.category.get(canonical, "")
        for alias in [canonical, *aliases.split("|")]:
            tokens = vocab.phrase(alias)
            if not tokens:
                if alias.strip():
                    raise ValueError(f"{source}: alias {alias!r} of {canonical!r} is empty")
                continue
            keys = [("words", " ".join(tokens)), ("compact", "".join(tokens))]
            for key in keys:
                owner = taken.setdefault(key, canonical)
                if owner != canonical:
                    raise ValueError(f"{source}: {alias!r} names both {owner!r} and {canonical!r}")
            built.by_words[keys[0][1]] = canonical
            built.by_compact[keys[1][1]] = canonical
            built.ambiguous.pop(keys[0][1], None)
            _add_orders(built, tokens, canonical)
            for language in STEM_LANGUAGES:
                _note_stems(built, language, stem_key(tokens, language), canonical)


def _add_orders(built: _Builder, tokens: Sequence[str], canonical: str) -> None:
    shuffled = " ".join(sorted(tokens))
    previous = built.by_sorted.setdefault(shuffled, canonical)
    if previous != canonical:
        built.by_sorted[shuffled] = None  # two skills: only their own order counts


def _note_stems(built: _Builder, language: str, key: str, canonical: str) -> None:
    previous = built.stems[language].setdefault(key, canonical)
    if previous != canonical:
        built.stems[language][key] = None  # two skills share the stems: neither by them


def _strip_task_verb(built: _Builder, raw: list[str]) -> list[str] | None:
    """A label's words without the task verb it starts with ("perform", "réaliser"), or
    None if it starts with none or nothing would be left."""
    for verb in built.task_verbs.get(raw[0], ()) if raw else ():
        if tuple(raw[: len(verb)]) == verb and len(raw) > len(verb):
            return raw[len(verb) :]  # the longest verb: "faire preuve de", not "faire"
    return None


class EscoLabel(NamedTuple):
    """One folded name of an ESCO concept, as `esco_keys.csv` stores it (a tuple: 71,000
    of them are read at each start)."""

    concept: str
    rank: int  # 0 English preferred, 1 other preferred, 2 alternative, 3 without its verb
    language: str
    key: str  # folded tokens, space-separated
    stems: str = ""  # their stems in alphabetical order (`stem_key`)


def fold_esco(built: _Builder, vocab: Vocabulary, text: str) -> list[EscoLabel]:
    """Every name of every concept of `esco_skills.csv`, folded like a member's label."""
    found: list[EscoLabel] = []
    stems = {lang: stem_words(lang) for lang in STEM_LANGUAGES}

    def named(concept: str, rank: int, language: str, tokens: list[str]) -> EscoLabel:
        key = " ".join(sorted(map(stems[language], tokens)))
        return EscoLabel(concept, rank, language, " ".join(tokens), key)

    for row in _esco_rows(text):
        concept = row["id"]
        for language in DISPLAY_LANGUAGES:
            for n, label in enumerate(row[language].split("|") if row[language] else []):
                main, notes = prepare(label)
                raw = words(f"{main} {notes}")
                tokens = vocab.clean(raw)
                if not tokens:
                    continue
                found.append(named(concept, 2 if n else int(language != "en"), language, tokens))
                bare = _strip_task_verb(built, raw)
                if bare is not None and (rest := vocab.clean(bare)):
                    found.append(named(concept, 3, language, rest))
        for acronym in row["acronyms"].split("|") if row["acronyms"] else []:
            found.append(named(concept, 2, "en", vocab.phrase(acronym)))
    return found


def _esco_rows(text: str) -> list[dict[str, str]]:
    columns = ["id", "type", *DISPLAY_LANGUAGES, "acronyms"]
    return [dict(zip(columns, row, strict=True)) for row in _rows(text)]


def folding_fingerprint(words_text: str) -> str:
    """What folded ESCO keys depend on: the word lists and the folding code's version."""
    digest = hashlib.sha256(f"{FOLDING_VERSION}\n{words_text}".encode()).hexdigest()
    return digest[:16]


def write_esco_keys(labels: Iterable[EscoLabel], fingerprint: str) -> str:
    """`esco_keys.csv`'s text: the folded names, behind the fingerprint they were made with."""
    lines = [f"# fingerprint {fingerprint}", "# derived from esco_skills.csv"]
    lines.append("id,rank,lang,key,stems")
    lines += [f"{lb.concept},{lb.rank},{lb.language},{lb.key},{lb.stems}" for lb in labels]
    return "\n".join(lines) + "\n"


def read_esco_keys(text: str, fingerprint: str) -> list[EscoLabel] | None:
    """The shipped folded names, or None when they were folded by other rules."""
    first, _, rest = text.partition("\n")
    if first != f"# fingerprint {fingerprint}":
        return None
    found = []
    for line in rest.splitlines()[2:]:
        concept, rank, language, key, stems = line.split(",")
        found.append(EscoLabel(concept, int(rank), language, key, stems))
    return found


# A French or Spanish word is read as the English word it goes with in ESCO when it is
# each other's best partner across the concepts' labels (Dice coefficient), in two
# concepts at least: "entrepôt" → "warehouse", "renouvelable" → "renewable".
_MIN_CONCEPTS = 2
_MIN_DICE = 0.45


def word_translations(labels: Sequence[EscoLabel]) -> dict[str, str]:
    """French and Spanish words → the English word ESCO's parallel labels pair them with.

    ESCO names each concept in several languages: over 13,000 concepts, a word and its
    translation keep appearing in the same concepts' labels. Only mutual best partners
    are kept, and a word that French and Spanish translate differently is left out."""
    words: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for lb in labels:
        if lb.rank < 3:
            words[lb.concept][lb.language].update(lb.key.split(" "))
    found: dict[str, str | None] = {}
    for other in DISPLAY_LANGUAGES[1:]:
        english: Counter[str] = Counter()
        foreign: Counter[str] = Counter()
        both: Counter[tuple[str, str]] = Counter()
        for by_language in words.values():
            ours, theirs = by_language.get("en"), by_language.get(other)
            if not ours or not theirs:
                continue
            english.update(ours)
            foreign.update(theirs)
            both.update((e, f) for e in ours for f in theirs)
        best_for_foreign: dict[str, tuple[float, str]] = {}
        best_for_english: dict[str, tuple[float, str]] = {}
        for (e, f), n in sorted(both.items()):
            if n < _MIN_CONCEPTS:
                continue
            dice = 2 * n / (english[e] + foreign[f])
            if dice > best_for_foreign.get(f, (0.0, ""))[0]:
                best_for_foreign[f] = (dice, e)
            if dice > best_for_english.get(e, (0.0, ""))[0]:
                best_for_english[e] = (dice, f)
        for f, (dice, e) in best_for_foreign.items():
            mutual = dice >= _MIN_DICE and best_for_english[e][1] == f and e != f
            if mutual and found.setdefault(f, e) != e:
                found[f] = None  # French and Spanish disagree: neither
    return {f: e for f, e in sorted(found.items()) if e is not None}


def write_esco_words(translations: dict[str, str], fingerprint: str) -> str:
    """`esco_words.csv`'s text: each word and its English, behind the folding fingerprint."""
    lines = [f"# fingerprint {fingerprint}", "# derived from esco_skills.csv", "word,english"]
    lines += [f"{word},{english}" for word, english in sorted(translations.items())]
    return "\n".join(lines) + "\n"


def read_esco_words(text: str, fingerprint: str) -> dict[str, str] | None:
    """The shipped translations, or None when they were folded by other rules."""
    first, _, rest = text.partition("\n")
    if first != f"# fingerprint {fingerprint}":
        return None
    return dict(line.split(",", 1) for line in rest.splitlines()[2:])


def _add_esco(built: _Builder, rows: list[dict[str, str]], labels: list[EscoLabel]) -> None:
    """ESCO concepts as skills: every label of one concept, in every language, names one
    skill. A concept that shares a name with a curated skill joins it (the curated table
    wins: its names stay its own); a name two concepts share goes to the one whose
    preferred label it is, else to neither (an ambiguous name, see `Matcher`); a task
    phrased with a light verb ("perform market research") is the skill its object names
    when that is a concept of its own ("market research"); and a concept whose English
    or French name has the stems of a curated skill's name is that skill ("manage
    budgets" / "budget management")."""
    curated = dict(built.by_words)
    curated_stems = {
        lang: {k: c for k, c in found.items() if c is not None}
        for lang, found in built.stems.items()
    }
    by_concept: dict[str, list[EscoLabel]] = defaultdict(list)
    for lb in labels:
        by_concept[lb.concept].append(lb)
    # Which skill each concept is: a curated one it names, else its own English label.
    preferred: dict[str, str] = {}
    canonical_of: dict[str, str] = {}
    named_by: set[str] = set()  # concepts whose preferred label is their skill's name
    for row in rows:
        found = by_concept[row["id"]]
        if any(lb.rank < 2 and lb.key in curated for lb in found):
            named_by.add(row["id"])
        hit = next((curated[lb.key] for lb in found if lb.rank < 3 and lb.key in curated), None)
        if hit is None:
            hit = next(
                (
                    curated_stems[lb.language][lb.stems]
                    for lb in found
                    if lb.rank != 2 and lb.stems in curated_stems[lb.language]
                ),
                None,
            )
        name = hit or _canonical_name(row["en"].split("|")[0])
        canonical_of[row["id"]] = name
        for lb in found:
            if lb.rank < 2:
                preferred.setdefault(lb.key, name)
    for row in rows:
        bare = next((lb.key for lb in by_concept[row["id"]] if lb.rank == 3), None)
        if bare is None or canonical_of[row["id"]] in built.category:
            continue
        if bare in curated:  # a light verb around a skill: "perform risk analysis"
            canonical_of[row["id"]] = curated[bare]
        elif bare in preferred:
            canonical_of[row["id"]] = preferred[bare]
    for row in rows:
        name = canonical_of[row["id"]]
        built.esco[row["id"]] = name
        own = name not in built.category
        built.category.setdefault(name, "esco")
        if own or row["id"] in named_by:  # not a curated skill it only resembles
            shown = built.display.setdefault(name, {})
            for language in DISPLAY_LANGUAGES:
                if row[language]:
                    shown.setdefault(language, row[language].split("|")[0])
    owners: dict[str, tuple[int, set[str]]] = {}  # name → (best rank, skills at it)
    for lb in labels:
        name = canonical_of[lb.concept]
        rank, skills = owners.setdefault(lb.key, (lb.rank, set()))
        if lb.rank < rank:
            owners[lb.key] = (lb.rank, {name})
        elif lb.rank == rank:
            skills.add(name)
        if lb.stems:
            _note_stems(built, lb.language, lb.stems, name)
    for key, (_, best) in owners.items():
        if key in curated:
            continue
        if len(best) > 1:
            built.ambiguous[key] = frozenset(best)
            continue
        (name,) = best
        tokens = key.split(" ")
        built.by_words[key] = name
        built.by_compact.setdefault("".join(tokens), name)
        _add_orders(built, tokens, name)


def _canonical_name(english: str) -> str:
    """A concept's id in Rex: its English label, lowercase, free of reserved marks."""
    name = english.casefold()
    for mark in _RESERVED:
        name = name.replace(mark, " ")
    return " ".join(name.split())


def _add_esco_parts(built: _Builder, text: str) -> None:
    for row in _rows(text):
        broad, part = built.esco.get(row[0]), built.esco.get(row[1])
        if broad and part and broad != part:
            built.parts[broad].setdefault(part, True)


def _add_parts(built: _Builder, vocab: Vocabulary, text: str, source: str) -> None:
    """Rows `skill,part,standalone`; `@category` as skill means every skill of it."""
    by_category: dict[str, list[str]] = defaultdict(list)
    for canonical, category in built.category.items():
        by_category[category].append(canonical)
    for row in _rows(text):
        if len(row) != 3 or row[2] not in ("yes", "no"):
            raise ValueError(f"{source}: expected skill,part,yes|no in {row!r}")
        skill, part_name, standalone = row
        part = vocab.lookup(vocab.phrase(part_name))
        if part is None:
            raise ValueError(f"{source}: part {part_name!r} is not in the alias table")
        if skill.startswith("@"):
            broads = by_category.get(skill[1:], [])
            if not broads:
                raise ValueError(f"{source}: no skill has category {skill[1:]!r}")
        else:
            found = vocab.lookup(vocab.phrase(skill))
            if found is None:
                raise ValueError(f"{source}: skill {skill!r} is not in the alias table")
            broads = [found]
        for broad in broads:
            if broad != part:
                built.parts[broad][part] = standalone == "yes"


def _shipped(name: str) -> str:
    return resources.files("bot").joinpath("data", name).read_text(encoding="utf-8")


def load_vocabulary(
    extra_aliases: Path | None = None, extra_parts: Path | None = None
) -> Vocabulary:
    """The shipped vocabulary, extended by a community manager's own files if given.

    Extra alias rows add aliases to existing skills or new skills (and override a shipped
    alias they repeat); extra part rows add sub-skills. Both use the shipped formats.
    """
    built = new_builder()
    words_only = Vocabulary(built)
    _add_aliases(built, words_only, _shipped(ALIASES_FILE), ALIASES_FILE)
    skills_text = _shipped(ESCO_SKILLS_FILE)
    fingerprint = folding_fingerprint(_shipped(WORDS_FILE))
    labels = read_esco_keys(_shipped(ESCO_KEYS_FILE), fingerprint)
    translations = read_esco_words(_shipped(ESCO_WORDS_FILE), fingerprint)
    if labels is None or translations is None:
        log.warning("esco_keys_stale", extra={"fingerprint": fingerprint})
        labels = fold_esco(built, words_only, skills_text)
        translations = word_translations(labels)
    _add_esco(built, _esco_rows(skills_text), labels)
    built.english.update(translations)
    if extra_aliases is not None:
        text = extra_aliases.read_text(encoding="utf-8")
        _add_aliases(built, words_only, text, str(extra_aliases))
    vocab = Vocabulary(built)
    _add_esco_parts(built, _shipped(ESCO_PARTS_FILE))
    _add_parts(built, vocab, _shipped(PARTS_FILE), PARTS_FILE)
    if extra_parts is not None:
        _add_parts(built, vocab, extra_parts.read_text(encoding="utf-8"), str(extra_parts))
    vocab.set_parts(built.parts)
    return vocab


@functools.cache
def default_vocabulary() -> Vocabulary:
    """The shipped vocabulary, loaded once per process."""
    return load_vocabulary()
