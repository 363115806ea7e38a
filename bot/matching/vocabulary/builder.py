"""What the vocabulary files are read into, before it is frozen into a `Vocabulary`.

The curated tables (`loading`) and the ESCO concepts (`esco`) both add names here, so
the rules that settle a name two skills share live in one place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.matching.lexicon import LANGUAGES as STEM_LANGUAGES

RESERVED = ("~", " + ", "|")  # marks no skill name may use: the tables give them a meaning


@dataclass(slots=True)
class VocabularyBuilder:
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

    def add_orders(self, tokens: Sequence[str], canonical: str) -> None:
        """Let the tokens name `canonical` in any order, unless another skill's do too."""
        shuffled = " ".join(sorted(tokens))
        previous = self.by_sorted.setdefault(shuffled, canonical)
        if previous != canonical:
            self.by_sorted[shuffled] = None  # two skills: only their own order counts

    def note_stems(self, language: str, key: str, canonical: str) -> None:
        """Let a stem key name `canonical`, unless it names another skill too."""
        previous = self.stems[language].setdefault(key, canonical)
        if previous != canonical:
            self.stems[language][key] = None  # two skills share the stems: neither by them

    def strip_task_verb(self, raw: list[str]) -> list[str] | None:
        """A label's words without the task verb it starts with ("perform", "réaliser"), or
        None if it starts with none or nothing would be left."""
        for verb in self.task_verbs.get(raw[0], ()) if raw else ():
            if tuple(raw[: len(verb)]) == verb and len(raw) > len(verb):
                return raw[len(verb) :]  # the longest verb: "faire preuve de", not "faire"
        return None
