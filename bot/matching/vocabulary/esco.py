"""ESCO's skills as Rex skills: every name of a concept, in English, French and Spanish.

The ESCO pillar names 13,000 concepts; their names are folded once (`fold_esco`, by
`bot.offline.build_vocabulary`) and shipped behind a fingerprint of the folding rules, so
Rex loads them in well under a second and refolds them only when the rules changed. The
concepts' parallel labels also give French and Spanish words their English
(`word_translations`).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from bot.matching.lexicon import LANGUAGES as STEM_LANGUAGES
from bot.matching.lexicon import (
    stem_words,
)
from bot.matching.text import prepare, words
from bot.matching.vocabulary.builder import RESERVED, VocabularyBuilder
from bot.matching.vocabulary.files import data_rows
from bot.matching.vocabulary.lookup import Vocabulary

# Bump when prepare/clean fold text differently: the shipped ESCO keys are then refolded.
FOLDING_VERSION = 2
DISPLAY_LANGUAGES = ("en", "fr", "es")


class EscoLabel(NamedTuple):
    """One folded name of an ESCO concept, as `esco_keys.csv` stores it (a tuple: 71,000
    of them are read at each start)."""

    concept: str
    rank: int  # 0 English preferred, 1 other preferred, 2 alternative, 3 without its verb
    language: str
    key: str  # folded tokens, space-separated
    stems: str = ""  # their stems in alphabetical order (`stem_key`)


def fold_esco(built: VocabularyBuilder, vocab: Vocabulary, text: str) -> list[EscoLabel]:
    """Every name of every concept of `esco_skills.csv`, folded like a member's label."""
    found: list[EscoLabel] = []
    stems = {lang: stem_words(lang) for lang in STEM_LANGUAGES}

    def named(concept: str, rank: int, language: str, tokens: list[str]) -> EscoLabel:
        key = " ".join(sorted(map(stems[language], tokens)))
        return EscoLabel(concept, rank, language, " ".join(tokens), key)

    for row in esco_rows(text):
        concept = row["id"]
        for language in DISPLAY_LANGUAGES:
            for n, label in enumerate(row[language].split("|") if row[language] else []):
                main, notes = prepare(label)
                raw = words(f"{main} {notes}")
                tokens = vocab.clean(raw)
                if not tokens:
                    continue
                found.append(named(concept, 2 if n else int(language != "en"), language, tokens))
                bare = built.strip_task_verb(raw)
                if bare is not None and (rest := vocab.clean(bare)):
                    found.append(named(concept, 3, language, rest))
        for acronym in row["acronyms"].split("|") if row["acronyms"] else []:
            found.append(named(concept, 2, "en", vocab.phrase(acronym)))
    return found


def esco_rows(text: str) -> list[dict[str, str]]:
    columns = ["id", "type", *DISPLAY_LANGUAGES, "acronyms"]
    return [dict(zip(columns, row, strict=True)) for row in data_rows(text)]


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


def add_esco(built: VocabularyBuilder, rows: list[dict[str, str]], labels: list[EscoLabel]) -> None:
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
            built.note_stems(lb.language, lb.stems, name)
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
        built.add_orders(tokens, name)


def _canonical_name(english: str) -> str:
    """A concept's id in Rex: its English label, lowercase, free of reserved marks."""
    name = english.casefold()
    for mark in RESERVED:
        name = name.replace(mark, " ")
    return " ".join(name.split())


def add_esco_parts(built: VocabularyBuilder, text: str) -> None:
    for row in data_rows(text):
        broad, part = built.esco.get(row[0]), built.esco.get(row[1])
        if broad and part and broad != part:
            built.parts[broad].setdefault(part, True)
