"""`Vocabulary`: which canonical skill a label's words name, with typos repaired.

Built from a `VocabularyBuilder` (`loading.load_vocabulary`) and read-only after, with the
lookups a label makes again and again cached.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.matching.lexicon import LANGUAGES as STEM_LANGUAGES
from bot.matching.lexicon import (
    american_spelling,
    is_real_word,
    stem_key,
    word_frequency,
)
from bot.matching.text import fold_plural, prepare, words
from bot.matching.typos import is_typo, slip_rank
from bot.matching.vocabulary.builder import VocabularyBuilder

_NUMERONYM = re.compile(r"([a-z])(\d{1,2})([a-z])")
AMBIGUOUS = "?"  # prefix of a name several skills share: "?ats"


class Vocabulary:
    """Alias lookup, typo correction and the sub-skill relation over canonical skills."""

    def __init__(self, built: VocabularyBuilder) -> None:
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
        ranked = sorted(((slip_rank(word, t), word_frequency(t), t) for t in winners), reverse=True)
        return ranked[0][2] if ranked[0][:2] > ranked[1][:2] else None
