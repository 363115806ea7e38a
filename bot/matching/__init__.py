"""The pure engines of matching (no database, no Slack): does a teach label fit a learn label
(this module and `engine`, `vocabulary/`, `lexicon`, `typos`, `text`), the round planner
(`rounds/`), who can meet (`meeting`) and type-ahead (`suggest`).

Skill matching: does a teach label fit a learn label?

Slack-free. `is_match` is the one decision every round uses; `match_labels` applies it to
whole vocabularies at once so a round compares distinct labels, never people.

A label is folded (case, accents, punctuation, plurals, fillers such as "basics of" or
"les bases de"), mapped through the shipped alias table (`bot/data/`) to canonical
skills, with single-word typos repaired against that table; the decision then compares
skills, not strings, so near misses (Java/JavaScript, SQL/NoSQL) stay apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bot.matching.engine import MATCH_THRESHOLD, NORMALIZED_MAX, Matcher, Skill, SkillKey
from bot.matching.lexicon import word_frequency
from bot.matching.vocabulary.files import ALIASES_FILE, PARTS_FILE
from bot.matching.vocabulary.loading import default_vocabulary, load_vocabulary
from bot.matching.vocabulary.lookup import Vocabulary

__all__ = [
    "MATCH_THRESHOLD",
    "NORMALIZED_MAX",
    "Matcher",
    "Skill",
    "SkillKey",
    "Vocabulary",
    "default_matcher",
    "is_match",
    "key_of",
    "load_vocabulary",
    "match_labels",
    "normalize",
    "score",
    "skill_name",
    "skill_names",
    "use_extra_vocabulary",
    "use_vocabulary",
    "warm_up",
]

_current: Matcher | None = None


def default_matcher() -> Matcher:
    """The matcher behind the module functions: the shipped vocabulary unless replaced.

    Built on first use and kept, so the vocabulary loads once and parsed labels stay cached
    from one round to the next."""
    global _current
    if _current is None:
        _current = Matcher(default_vocabulary())
    return _current


def warm_up() -> None:
    """Load the vocabulary and the word frequencies now, at start: otherwise the first label
    read (someone joining, say) pays about 1.5 s of loading inside Slack's 3-second window,
    and on a busy machine misses it."""
    default_matcher()
    word_frequency("rex")


def use_vocabulary(vocab: Vocabulary) -> Matcher:
    """Make the module functions use `vocab`, e.g. `load_vocabulary(extra_aliases=path)`
    with a community manager's aliases; returns the new matcher."""
    global _current
    _current = Matcher(vocab)
    return _current


def use_extra_vocabulary(folder: Path) -> Matcher:
    """Make the module functions use the shipped vocabulary extended by a community
    manager's `skill_aliases.csv` and/or `skill_parts.csv` in `folder` (REX_VOCABULARY_DIR).
    A folder with neither, or a file with a bad row, is a ValueError naming the file."""
    aliases, parts = folder / ALIASES_FILE, folder / PARTS_FILE
    if not aliases.is_file() and not parts.is_file():
        raise ValueError(f"{folder} has no {ALIASES_FILE} nor {PARTS_FILE}")
    return use_vocabulary(
        load_vocabulary(
            extra_aliases=aliases if aliases.is_file() else None,
            extra_parts=parts if parts.is_file() else None,
        )
    )


def normalize(label: str) -> str:
    """Canonical form of a label: equal for spellings of one skill ("k8s", "Kubernetes
    (CKA level)", "Kubernets"), empty when the label names nothing, at most NORMALIZED_MAX
    characters. Labels with the same form get the same decisions and scores, so callers
    may deduplicate on it."""
    return default_matcher().parse(label).text


def skill_names(label: str) -> dict[str, str]:
    """The canonical names of the skill `label` names, by language (see `Matcher`)."""
    return default_matcher().skill_names(label)


def skill_name(label: str, language: str) -> str:
    """How Rex names the skill `label` names for a reader of `language`: one name per
    skill and language (the taxonomy's), else the label as written."""
    return default_matcher().skill_names(label).get(language) or label


def key_of(label: str) -> str:
    """The form under which two wordings of one skill are one entry: `normalize`, or the
    folded label when it names nothing the matcher reads."""
    return normalize(label) or " ".join(label.casefold().split())


def score(teach: str, learn: str) -> float:
    """Similarity of two labels in [0, 100]; at least MATCH_THRESHOLD iff `is_match`."""
    return default_matcher().score(teach, learn)


def is_match(teach: str, learn: str) -> bool:
    """The decision rounds use: could this teacher usefully teach this learner?"""
    return default_matcher().is_match(teach, learn)


def match_labels(teach: Sequence[str], learn: Sequence[str]) -> list[tuple[int, int, float]]:
    """Every (teach index, learn index, score) pair that `is_match` accepts, computed in bulk."""
    return default_matcher().match_labels(teach, learn)
