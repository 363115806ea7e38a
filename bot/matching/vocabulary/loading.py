"""Load the vocabulary: the shipped word lists, curated aliases and parts, ESCO, a manager's own.

Why data and not code: community managers extend the vocabulary (a new tool, a local
abbreviation, a French wording) without a release, by passing their own files to
`load_vocabulary`.
"""

from __future__ import annotations

import functools
import logging
import tomllib
from collections import defaultdict
from pathlib import Path

from bot.matching.lexicon import LANGUAGES as STEM_LANGUAGES
from bot.matching.lexicon import (
    stem_key,
)
from bot.matching.text import fold_plural, prepare, words
from bot.matching.vocabulary.builder import RESERVED, VocabularyBuilder
from bot.matching.vocabulary.esco import (
    add_esco,
    add_esco_parts,
    esco_rows,
    fold_esco,
    folding_fingerprint,
    read_esco_keys,
    read_esco_words,
    word_translations,
)
from bot.matching.vocabulary.files import (
    ALIASES_FILE,
    ESCO_KEYS_FILE,
    ESCO_PARTS_FILE,
    ESCO_SKILLS_FILE,
    ESCO_WORDS_FILE,
    PARTS_FILE,
    WORDS_FILE,
    data_rows,
    shipped,
)
from bot.matching.vocabulary.lookup import Vocabulary

log = logging.getLogger(__name__)


def new_builder() -> VocabularyBuilder:
    """A builder holding the shipped word lists, ready to fold names."""
    built = VocabularyBuilder()
    _add_words(built, shipped(WORDS_FILE))
    return built


def _add_words(built: VocabularyBuilder, text: str) -> None:
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


def _add_aliases(built: VocabularyBuilder, vocab: Vocabulary, text: str, source: str) -> None:
    """Rows `canonical,category,aliases`; an alias already taken in this file is an error."""
    taken: dict[tuple[str, str], str] = {}
    for row in data_rows(text):
        if len(row) != 3 or not row[0]:
            raise ValueError(f"{source}: expected canonical,category,aliases in {row!r}")
        canonical, category, aliases = row
        if any(mark in canonical for mark in RESERVED):
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
            built.add_orders(tokens, canonical)
            for language in STEM_LANGUAGES:
                built.note_stems(language, stem_key(tokens, language), canonical)


def _add_parts(built: VocabularyBuilder, vocab: Vocabulary, text: str, source: str) -> None:
    """Rows `skill,part,standalone`; `@category` as skill means every skill of it."""
    by_category: dict[str, list[str]] = defaultdict(list)
    for canonical, category in built.category.items():
        by_category[category].append(canonical)
    for row in data_rows(text):
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


def load_vocabulary(
    extra_aliases: Path | None = None, extra_parts: Path | None = None
) -> Vocabulary:
    """The shipped vocabulary, extended by a community manager's own files if given.

    Extra alias rows add aliases to existing skills or new skills (and override a shipped
    alias they repeat); extra part rows add sub-skills. Both use the shipped formats.
    """
    built = new_builder()
    words_only = Vocabulary(built)
    _add_aliases(built, words_only, shipped(ALIASES_FILE), ALIASES_FILE)
    skills_text = shipped(ESCO_SKILLS_FILE)
    fingerprint = folding_fingerprint(shipped(WORDS_FILE))
    labels = read_esco_keys(shipped(ESCO_KEYS_FILE), fingerprint)
    translations = read_esco_words(shipped(ESCO_WORDS_FILE), fingerprint)
    if labels is None or translations is None:
        log.warning("esco_keys_stale", extra={"fingerprint": fingerprint})
        labels = fold_esco(built, words_only, skills_text)
        translations = word_translations(labels)
    add_esco(built, esco_rows(skills_text), labels)
    built.english.update(translations)
    if extra_aliases is not None:
        text = extra_aliases.read_text(encoding="utf-8")
        _add_aliases(built, words_only, text, str(extra_aliases))
    vocab = Vocabulary(built)
    add_esco_parts(built, shipped(ESCO_PARTS_FILE))
    _add_parts(built, vocab, shipped(PARTS_FILE), PARTS_FILE)
    if extra_parts is not None:
        _add_parts(built, vocab, extra_parts.read_text(encoding="utf-8"), str(extra_parts))
    vocab.set_parts(built.parts)
    return vocab


@functools.cache
def default_vocabulary() -> Vocabulary:
    """The shipped vocabulary, loaded once per process."""
    return load_vocabulary()
