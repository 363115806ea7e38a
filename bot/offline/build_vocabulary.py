"""Derive Rex's ESCO vocabulary files from the ESCO skills pillar.

Usage: python -m bot.offline.build_vocabulary ../shared/data/esco [--output bot/data]
       python -m bot.offline.build_vocabulary    (refold esco_keys.csv only)

Reads the ESCO CSV download (`skills_en-us.csv`, `skills_fr.csv`, `skills_es.csv`,
`broaderRelationsSkillPillar.csv`) and writes two compact files that ship with Rex, so the
product installs and runs without the download:

- `esco_skills.csv`: one row per concept: a short id, its type (`k` knowledge, `s` skill),
  then its English, French and Spanish labels (preferred first, `|`-separated) and the
  acronyms its English description spells out ("building information modelling (BIM)").
- `esco_parts.csv`: the hierarchy edges where a teacher of the broader concept can teach
  the narrower one, judged by `core_part` (the rule is in its docstring and bot/data/README).
- `esco_words.csv`: French and Spanish words and the English word ESCO's parallel labels
  pair them with (see `bot.matching.vocabulary.esco.word_translations`), derived from the keys;
- `esco_keys.csv`: every name folded as Rex folds members' labels, so loading is fast;
  it depends on `skill_words.toml`, and is refolded without the download when that
  changes (Rex refolds at start, slowly, if it finds it stale; a test checks it is not).

ESCO © European Union, https://esco.ec.europa.eu, free reuse with attribution (Commission
Decision 2011/833/EU). The output is deterministic: the same download gives the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

LANGUAGES = ("en", "fr", "es")
_FILES = {"en": "skills_en-us.csv", "fr": "skills_fr.csv", "es": "skills_es.csv"}
_RELATIONS = "broaderRelationsSkillPillar.csv"
SKILLS_FILE = "esco_skills.csv"
PARTS_FILE = "esco_parts.csv"
_ID_LENGTH = 8
# "long form (ACRONYM)" in a description; the acronym must spell the long form's initials.
_ACRONYM = re.compile(r"((?:[\w-]+[ ,]+){1,8})\((?P<short>[A-Z][A-Za-z]{1,6}[A-Z])\)")
_MINOR = frozenset({"of", "and", "for", "the", "in", "on", "to", "a", "an", "&"})
# Labels of a language's own skills under the language (ESCO: "write Spanish").
_LANGUAGE_SKILL = re.compile(
    r"^(understand (written|spoken)|write|interact verbally in|speak|read) \S+$"
)
# Broader labels that name a category of things, not a subject one teaches as a whole.
_CATEGORY_WORDS = frozenset(
    [
        "types",
        "kinds",
        "tools",
        "software",
        "systems",
        "products",
        "processes",
        "process",
        "methods",
        "methodologies",
        "languages",
        "techniques",
        "principles",
        "procedures",
        "legislation",
        "regulations",
        "standards",
        "law",
        "laws",
        "comprehension",
        "industry",
        "materials",
        "equipment",
        "functionalities",
        "characteristics",
        "conditions",
        "manufacturing",
        "regimes",
        "factors",
        "properties",
        "games",
    ]
)


@dataclass(slots=True)
class Concept:
    """One ESCO concept with its labels per language."""

    uri: str
    knowledge: bool
    labels: dict[str, list[str]] = field(default_factory=dict)
    acronyms: list[str] = field(default_factory=list)

    @property
    def short_id(self) -> str:
        return self.uri.rsplit("/", 1)[-1][:_ID_LENGTH]

    @property
    def english(self) -> str:
        return self.labels["en"][0]


def _clean(label: str) -> str:
    """One line, single spaces, no `|` (the file's separator)."""
    return " ".join(label.replace("|", "/").split())


def _labels(row: dict[str, str]) -> list[str]:
    found: list[str] = []
    for label in [row["preferredLabel"], *row["altLabels"].splitlines()]:
        text = _clean(label)
        if text and text not in found:
            found.append(text)
    return found


def acronyms_in(description: str, labels: Sequence[str]) -> list[str]:
    """Acronyms a description gives for the concept itself: "building information
    modelling (BIM)" where the words before the parenthesis end one of its labels and
    their initials spell the acronym (a description also names other things' acronyms)."""
    found: list[str] = []
    endings = [" " + " ".join(_words(label)) for label in labels]
    for match in _ACRONYM.finditer(description):
        short = match["short"]
        content = [w for w in _words(match.group(1)) if w not in _MINOR]
        if len(content) < len(short) or short in found:
            continue
        long_form = content[-len(short) :]
        if "".join(w[0] for w in long_form) != short.lower():
            continue
        if any(end.endswith(" " + " ".join(long_form)) for end in endings):
            found.append(short)
    return found


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^\w]+", text.lower()) if w]


def read_concepts(folder: Path) -> dict[str, Concept]:
    """Every concept with an English label, with its labels in each language."""
    concepts: dict[str, Concept] = {}
    for language in LANGUAGES:
        with (folder / _FILES[language]).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                labels = _labels(row)
                if language == "en":
                    if not labels:
                        continue
                    concept = Concept(row["conceptUri"], row["skillType"] == "knowledge")
                    concept.acronyms = acronyms_in(row.get("description", ""), labels)
                    concepts[row["conceptUri"]] = concept
                elif row["conceptUri"] not in concepts:
                    continue
                concepts[row["conceptUri"]].labels[language] = labels
    return concepts


def read_edges(folder: Path, concepts: dict[str, Concept]) -> list[tuple[str, str]]:
    """(broader uri, narrower uri) between concepts (skill groups left out)."""
    with (folder / _RELATIONS).open(encoding="utf-8", newline="") as handle:
        return sorted(
            (row["broaderUri"], row["conceptUri"])
            for row in csv.DictReader(handle)
            if row["broaderUri"] in concepts and row["conceptUri"] in concepts
        )


def _stems(label: str) -> set[str]:
    """Content words cut to five letters: "pediatrics"/"pediatric", "database(s)" meet."""
    return {w[:5] for w in _words(label) if w not in _MINOR}


def core_part(broad: Concept, part: Concept) -> bool:
    """Whether a teacher of `broad` can teach a learner who asks for `part`.

    ESCO's hierarchy mostly groups skills by the work they serve ("lead others" → "manage
    musical staff"), lists tools under a category ("computer programming" → "Haskell") or
    specialties under a field ("history" → "sport history"): none is a core part. Kept:
    - a language → understanding, writing, speaking it ("Spanish" → "write Spanish");
    - a knowledge subject → a knowledge branch of it with a name of its own ("social
      sciences" → "sociology", "linguistics" → "semantics"), when the broad label names
      a subject in at most two words (not "types of ...", "... tools", "manufacturing of
      small metal parts"), the narrow label is not a product or standard (no capital
      letter), names no category either, and shares no word with the subject: "sport
      history", "pediatric surgery", "museum databases" combine the subject with another
      field, and are specialties built on it.
    Precision first: a wrong edge introduces two people for nothing, a missing one only
    leaves the pair to a curated row in skill_parts.csv.
    """
    english = part.english
    if _LANGUAGE_SKILL.match(english) and english.split()[-1] == broad.english:
        return True
    if not (broad.knowledge and part.knowledge) or any(ch.isupper() for ch in english):
        return False
    broad_words, part_words = set(_words(broad.english)), set(_words(english))
    if len(broad_words - _MINOR) > 2 or (broad_words | part_words) & _CATEGORY_WORDS:
        return False
    return not _stems(broad.english) & _stems(english)


def _ids(concepts: Iterable[Concept]) -> dict[str, str]:
    ids = {c.uri: c.short_id for c in concepts}
    if len(set(ids.values())) != len(ids):
        raise SystemExit("build_vocabulary: two concepts share a short id; lengthen it")
    return ids


def write_files(concepts: dict[str, Concept], edges: Sequence[tuple[str, str]], out: Path) -> None:
    """Write the two shipped files, sorted by id so a rebuild gives the same bytes."""
    ids = _ids(concepts.values())
    header = (
        "# ESCO skills pillar, (c) European Union, free reuse with attribution (2011/833/EU).\n"
    )
    header += "# Built by `python -m bot.offline.build_vocabulary`; do not edit by hand.\n"
    with (out / SKILLS_FILE).open("w", encoding="utf-8", newline="") as handle:
        handle.write(header)
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id", "type", *LANGUAGES, "acronyms"])
        for concept in sorted(concepts.values(), key=lambda c: ids[c.uri]):
            writer.writerow(
                [
                    ids[concept.uri],
                    "k" if concept.knowledge else "s",
                    *("|".join(concept.labels.get(lang, [])) for lang in LANGUAGES),
                    "|".join(concept.acronyms),
                ]
            )
    kept = sorted({(ids[b], ids[p]) for b, p in edges if core_part(concepts[b], concepts[p])})
    with (out / PARTS_FILE).open("w", encoding="utf-8", newline="") as handle:
        handle.write(header)
        handle.write("# broad,part: a teacher of broad can teach part (see core_part).\n")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["broad", "part"])
        writer.writerows(kept)


def write_keys(out: Path) -> None:
    """Fold every ESCO name once, here, so Rex loads them in well under a second."""
    from bot.matching.vocabulary.esco import (
        fold_esco,
        folding_fingerprint,
        word_translations,
        write_esco_keys,
        write_esco_words,
    )
    from bot.matching.vocabulary.files import ESCO_KEYS_FILE, ESCO_WORDS_FILE, WORDS_FILE, shipped
    from bot.matching.vocabulary.loading import new_builder
    from bot.matching.vocabulary.lookup import Vocabulary

    built = new_builder()
    words_text = shipped(WORDS_FILE)
    labels = fold_esco(built, Vocabulary(built), (out / SKILLS_FILE).read_text("utf-8"))
    fingerprint = folding_fingerprint(words_text)
    (out / ESCO_KEYS_FILE).write_text(write_esco_keys(labels, fingerprint), encoding="utf-8")
    words = write_esco_words(word_translations(labels), fingerprint)
    (out / ESCO_WORDS_FILE).write_text(words, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("esco", type=Path, nargs="?", help="folder of the ESCO CSV download")
    default_out = Path(__file__).resolve().parents[1] / "data"
    parser.add_argument("--output", type=Path, default=default_out, help="where to write")
    args = parser.parse_args(argv)
    if args.esco is None:
        write_keys(args.output)
        print(f"build_vocabulary: refolded {args.output / 'esco_keys.csv'}", file=sys.stderr)
        return 0
    missing = [n for n in [*_FILES.values(), _RELATIONS] if not (args.esco / n).is_file()]
    if missing:
        print(f"build_vocabulary: {args.esco} lacks {', '.join(missing)}", file=sys.stderr)
        return 2
    print("build_vocabulary: reading ESCO", file=sys.stderr)
    concepts = read_concepts(args.esco)
    edges = read_edges(args.esco, concepts)
    write_files(concepts, edges, args.output)
    write_keys(args.output)
    parts = sum(1 for _ in (args.output / PARTS_FILE).open()) - 4
    print(
        f"build_vocabulary: {len(concepts)} concepts, {parts} of {len(edges)} edges kept"
        f" as core parts → {args.output}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
