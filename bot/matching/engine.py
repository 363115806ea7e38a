"""The matching decision: a label becomes a set of canonical skills, then simple rules.

Why concepts and not string similarity: "Java"/"JavaScript", "SQL"/"NoSQL" or "Spanish"/
"Spanish cooking" are closer as strings than "k8s"/"Kubernetes". Fuzzy matching therefore
only repairs typos of single words against the vocabulary; two labels match when they
name the same skills, or when the teacher's broad skill has the learner's as a core part.
"""

from __future__ import annotations

import functools
import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz import fuzz

from bot.matching.lexicon import is_real_word
from bot.matching.text import prepare, segments, words
from bot.matching.typos import numeronym, root, words_close
from bot.matching.vocabulary.lookup import Vocabulary

MATCH_THRESHOLD = 85.0
# Longest canonical form: it is stored next to each label (twice a label's 80 characters).
NORMALIZED_MAX = 160
# Score bands of accepted pairs, refined inside each band by string similarity (0-5 points):
_SAME = 95.0  # the same skills, whatever the wording
_TYPO = 90.0  # the same skills, unknown words equal up to typos
_PART = MATCH_THRESHOLD  # the learner's skill is a core part of the teacher's
_REFINE = 0.05
_REJECTED = 0.8  # a rejected pair scores at most 80, below the threshold
_MAX_READINGS = 16  # senses tried for a label with ambiguous names in it


class SkillKey(NamedTuple):
    """Canonical skills a label names, plus its words the vocabulary does not know."""

    concepts: frozenset[str]
    residual: tuple[str, ...]

    def text(self) -> str:
        items = sorted(self.concepts)
        if self.residual:
            items.append("~" + " ".join(self.residual))
        return " + ".join(items)


_EMPTY = SkillKey(frozenset(), ())


@dataclass(frozen=True, slots=True)
class Skill:
    """A label as the matcher understands it.

    `options` are what a teacher with this label can teach from: the whole label, then
    each skill of a list such as "HTML/CSS". `text` is the canonical form (`normalize`);
    everything the decision uses derives from it, so labels with one text are one label.
    """

    key: SkillKey
    options: tuple[SkillKey, ...]
    text: str
    # For acronyms nobody listed: the initials of a label of 3-6 words ("building
    # information modelling" → "bim"), and a label that is one unknown short word
    # that may be an acronym ("BIM").
    initials: str = ""
    acronym: str = ""


class Matcher:
    """The decision over one vocabulary, with a cache of parsed labels."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.parse = functools.lru_cache(maxsize=1 << 18)(self._parse)

    # -- labels -------------------------------------------------------------------------

    def _parse(self, label: str) -> Skill:
        """A label as skills. One that lists skills ("HTML/CSS", "Excel & PowerPoint") is
        also each of them for a teacher, but only when every item is a known skill: "CI/CD"
        or "UI/UX" name one skill, and "Python / data stuff" is not a list of skills."""
        main, notes = prepare(label)
        note_tokens = self.vocab.clean(words(notes))
        key = self._analyse(words(main), note_tokens)
        initials, acronym = self._acronym_forms(label, main, key)
        parts = segments(main)
        if len(parts) > 1 and (len(key.concepts) != 1 or key.residual):
            items = [self._analyse(words(p), []) for p in parts]
            noted = self._scan(note_tokens)[0] if note_tokens else frozenset()
            if not noted and all(i.concepts and not i.residual for i in items):
                alternatives = tuple(sorted(set(items), key=SkillKey.text))
                union = SkillKey(frozenset().union(*(i.concepts for i in items)), ())
                text = " | ".join(a.text() for a in alternatives)
                return Skill(union, (union, *alternatives), _bounded(text))
        return Skill(key, (key,), _bounded(key.text()), initials, acronym)

    def _acronym_forms(self, label: str, main: str, key: SkillKey) -> tuple[str, str]:
        """(initials, acronym) of a label, see `Skill`. A lowercase common word ("golf")
        is not taken for an acronym; "SEO", "FinOps" or "bim" are."""
        raw = [w for w in words(main) if w not in self.vocab.stopwords]
        # Words typed in capitals are acronyms themselves: "SAP ABAP" spells nothing.
        spelled_out = not any(len(w) > 1 and w.isupper() for w in label.split())
        initials = "".join(w[0] for w in raw) if 3 <= len(raw) <= 6 and spelled_out else ""
        if not initials.isalpha():
            initials = ""
        acronym = ""
        typed = [w for w in words(main) if w not in self.vocab.stopwords]
        if len(typed) == 1 and 3 <= len(typed[0]) <= 6 and typed[0].isalpha():
            # A known name counts when typed in capitals ("HACCP" beside the concept
            # its letters stand for), an unknown one unless it is a common word.
            known = bool(key.concepts)
            upper = label.strip().isupper() or (not known and any(c.isupper() for c in label))
            if upper or (not known and not is_real_word(typed[0])):
                acronym = typed[0]
        return initials, acronym

    def _analyse(self, raw: list[str], note_tokens: list[str]) -> SkillKey:
        """Parenthesised notes only disambiguate ("Go (board game)") or add named skills."""
        tokens = self.vocab.clean(self.vocab.strip_fillers(raw))
        if note_tokens:
            whole = self._whole(tokens + note_tokens)
            if whole is not None:
                return SkillKey(frozenset({whole}), ())
        if not tokens:
            tokens, note_tokens = note_tokens, []
        concepts, residual = self._scan(tokens)
        if residual:
            concepts, residual = self._in_english(tokens, concepts, residual)
        if note_tokens:
            concepts |= self._scan(note_tokens)[0]
        if not concepts and not residual:
            return _EMPTY
        return SkillKey(concepts, residual)

    def _in_english(
        self, tokens: list[str], concepts: frozenset[str], residual: tuple[str, ...]
    ) -> tuple[frozenset[str], tuple[str, ...]]:
        """A label with words the vocabulary does not know, read again with its French or
        Spanish words in English ("énergies renouvelables" → "renewable energy"), kept
        when that leaves no more unknown words and no fewer skills."""
        english = self.vocab.english
        translated = [english.get(t, t) for t in tokens]
        if translated == tokens:
            return concepts, residual
        found, left = self._scan(translated)
        if len(left) <= len(residual) and len(found) >= len(concepts):
            return found, left
        return concepts, residual

    def _whole(self, tokens: list[str]) -> str | None:
        """The skill the whole token list names, possibly after typo repair."""
        if not tokens or len(tokens) > self.vocab.max_words:
            return None
        found = self.vocab.lookup(tokens)
        if found is None:
            fixed = [self.vocab.correct(t) or t for t in tokens]
            if fixed != tokens:
                found = self.vocab.lookup(fixed)
            if found is None and len(fixed) > 1:
                found = self.vocab.lookup_stems(fixed)
        return found

    def _scan(self, tokens: list[str]) -> tuple[frozenset[str], tuple[str, ...]]:
        """Longest known phrases first, in their own word order before any other (as
        typed, then typo-repaired); what no phrase covers is residual."""
        vocab = self.vocab
        whole = self._whole(tokens)
        if whole is not None:
            return frozenset({whole}), ()
        fixed = [vocab.correct(t) or t for t in tokens]
        used = [False] * len(tokens)
        concepts: set[str] = set()
        for size in range(min(len(tokens), vocab.max_words), 0, -1):
            for any_order in (False, True) if size > 1 else (False,):
                for start in range(len(tokens) - size + 1):
                    stop = start + size
                    window = tokens[start:stop]
                    if any(used[start:stop]) or all(t in vocab.generic for t in window):
                        continue
                    found = vocab.lookup(window, any_order)
                    if found is None and fixed[start:stop] != window:
                        found = vocab.lookup(fixed[start:stop], any_order)
                    if found is None and any_order:
                        found = vocab.lookup_stems(fixed[start:stop])
                    if found is not None:
                        concepts.add(found)
                        used[start:stop] = [True] * size
        left = [fixed[i] for i in range(len(tokens)) if not used[i]]
        if concepts or any(vocab.meaningful(t) for t in left):
            left = [t for t in left if vocab.meaningful(t)]
        return frozenset(concepts), tuple(left)

    def skill_names(self, label: str) -> dict[str, str]:
        """The names of the one skill `label` names, by language ("en", "fr", "es"): the
        taxonomy's preferred label, so a digest lists "Thermodynamics" once whatever
        members typed (a curated skill ESCO lacks has its English id only). Empty when
        the label names no single known skill."""
        key = self.parse(label).key
        if len(key.concepts) != 1 or key.residual:
            return {}
        (concept,) = key.concepts
        if concept in self.vocab.senses:
            return {}
        names = dict(self.vocab.display.get(concept, {}))
        if names.get("en", "").casefold() != concept:  # a curated id is its English name
            names["en"] = concept
        return {language: name[:1].upper() + name[1:] for language, name in names.items()}

    # -- decision -----------------------------------------------------------------------

    def _relate(self, teach: SkillKey, learn: SkillKey) -> float | None:
        """The band of a teacher option against a learner label, or None. A skill named
        by other skills' names is those skills (see `Vocabulary.compose`). A name several
        skills share ("ATS") stands for the one the other side names, and only when the
        other side is unambiguous: two bare ambiguous names match only if they are the
        same name."""
        band = self._relate_plain(teach, learn)
        if band is not None:
            return band
        composed = self.vocab.composed
        if teach.residual == learn.residual and composed(teach.concepts) == composed(
            learn.concepts
        ):
            return _SAME  # "rédaction de courriels" (writing, email) / "email writing"
        senses = self.vocab.senses
        teach_marked = any(c in senses for c in teach.concepts)
        learn_marked = any(c in senses for c in learn.concepts)
        if teach_marked == learn_marked:
            return None
        bands = (
            (
                self._relate_plain(SkillKey(reading, teach.residual), learn)
                for reading in self.readings(teach.concepts)
            )
            if teach_marked
            else (
                self._relate_plain(teach, SkillKey(reading, learn.residual))
                for reading in self.readings(learn.concepts)
            )
        )
        return max((b for b in bands if b is not None), default=None)

    def readings(self, concepts: frozenset[str]) -> list[frozenset[str]]:
        """The skill sets a label may mean, one sense for each ambiguous name in it."""
        senses = self.vocab.senses
        found = [frozenset(c for c in concepts if c not in senses)]
        for name in sorted(c for c in concepts if c in senses):
            found = [r | {sense} for r in found for sense in sorted(senses[name])]
            if len(found) > _MAX_READINGS:
                return [concepts]
        return found

    def _relate_plain(self, teach: SkillKey, learn: SkillKey) -> float | None:
        if teach.concepts == learn.concepts:
            if teach.residual == learn.residual:
                return _SAME
            return _TYPO if _residual_equivalent(teach.residual, learn.residual) else None
        if teach.residual or learn.residual:
            return None
        for broad in teach.concepts:
            if self._teaches_part(broad, teach.concepts, learn.concepts):
                return _PART
        return None

    def _teaches_part(self, broad: str, teach: frozenset[str], learn: frozenset[str]) -> bool:
        """`broad` (maybe narrowed to some of its parts) covers the learner's parts.

        The learner must name at least one part, only parts, and only parts the teacher
        narrowed to if any; a part that means little alone ("conversation", "hooks")
        counts only when the learner also names the broad skill.
        """
        parts = self.vocab.parts.get(broad)
        if parts is None:
            return False
        taught = teach - {broad}
        wanted = learn - {broad}
        if not wanted or not taught <= parts.keys() or not wanted <= parts.keys():
            return False
        if taught and not wanted <= taught:
            return False
        return broad in learn or all(parts[p] for p in wanted)

    def _band(self, teach: Skill, learn: Skill) -> float | None:
        if not learn.key.concepts and not learn.key.residual:
            return None
        bands = (self._relate(option, learn.key) for option in teach.options)
        band = max((b for b in bands if b is not None), default=None)
        if band is None and _spells(teach, learn):
            return _TYPO
        return band

    def _score(self, teach: Skill, learn: Skill) -> float:
        similarity = fuzz.token_sort_ratio(teach.text, learn.text)
        band = self._band(teach, learn)
        if band is None:
            return _REJECTED * similarity
        return band + _REFINE * similarity

    def score(self, teach: str, learn: str) -> float:
        """How well a teach label fits a learn label, in [0, 100]; ≥ MATCH_THRESHOLD iff
        `is_match`. Bands: same skill ≥ 95, typo-equal ≥ 90, core part ≥ 85."""
        return self._score(self.parse(teach), self.parse(learn))

    def is_match(self, teach: str, learn: str) -> bool:
        """Could someone who wrote `teach` usefully teach someone who wrote `learn`?"""
        return self._band(self.parse(teach), self.parse(learn)) is not None

    def match_labels(
        self, teach: Sequence[str], learn: Sequence[str]
    ) -> list[tuple[int, int, float]]:
        """Every (teach index, learn index, score) pair `is_match` accepts, in (i, j) order.

        Decisions and scores depend only on a label's canonical form, so labels are grouped
        by it and distinct forms compared once. Learner forms are indexed by exact key, by
        (skills, first letters of unknown words) and (skills, unknown words run together)
        for typo-equal pairs, and by the broad skills that could teach them; each teacher
        option looks up only those buckets, and candidates are checked with `_score`, the
        very decision `is_match` uses.
        """
        t_skills, t_members = self._group(teach)
        l_skills, l_members = self._group(learn)
        index = _LearnerIndex(self, l_skills)
        accepted: list[list[tuple[int, float]]] = []
        for teacher in t_skills:
            found: list[tuple[int, float]] = []
            for g in sorted(index.candidates(teacher)):
                score = self._score(teacher, l_skills[g])
                if score >= MATCH_THRESHOLD:
                    found.extend((j, score) for j in l_members[g])
            found.sort()
            accepted.append(found)
        by_label = [0] * len(teach)
        for g, members in enumerate(t_members):
            for i in members:
                by_label[i] = g
        return [(i, j, score) for i, g in enumerate(by_label) for j, score in accepted[g]]

    def _group(self, labels: Sequence[str]) -> tuple[list[Skill], list[list[int]]]:
        """Distinct canonical forms of `labels`, and the label indexes of each."""
        position: dict[str, int] = {}
        skills: list[Skill] = []
        members: list[list[int]] = []
        for i, label in enumerate(labels):
            skill = self.parse(label)
            g = position.setdefault(skill.text, len(skills))
            if g == len(skills):
                skills.append(skill)
                members.append([])
            members[g].append(i)
        return skills, members

    def _broads_for(self, concepts: frozenset[str]) -> set[str]:
        """Broad skills that might have all of `concepts` (but themselves) as parts."""
        broads = {c for c in concepts if c in self.vocab.parts}
        for concept in concepts:
            broads |= self.vocab.broads_of.get(concept, frozenset())
        return broads


def _spells(teach: Skill, learn: Skill) -> bool:
    """One label is an acronym of the other's words ("BIM" / "building information
    modelling"), in either direction."""
    return bool(
        (teach.acronym and teach.acronym == learn.initials)
        or (learn.acronym and learn.acronym == teach.initials)
    )


def _bounded(text: str) -> str:
    """`text`, or its start and a digest when too long to store: still one text per form."""
    if len(text) <= NORMALIZED_MAX:
        return text
    digest = hashlib.blake2b(text.encode(), digest_size=6).hexdigest()
    return f"{text[: NORMALIZED_MAX - 13]}#{digest}"


class _LearnerIndex:
    """Buckets of learner forms that a teacher option can possibly match (see `_relate`).

    Typo-equal unknown words share their first letter and a spelling with at most one
    letter deleted from each (two for long words). So a learner's unknown words are
    indexed under those spellings of its anchor words (those with the alphabetically
    first initial), in a block of (skills, initials); a teacher's first anchor word must
    pair with one of them, so looking up its own spellings finds every candidate.
    """

    def __init__(self, matcher: Matcher, learners: Sequence[Skill]) -> None:
        self.parts = matcher.vocab.parts
        self.exact: dict[SkillKey, list[int]] = defaultdict(list)
        self.blocks: dict[tuple[frozenset[str], tuple[str, ...]], int] = {}
        self.loose: dict[tuple[int, str], set[int]] = defaultdict(set)
        self.joined: dict[tuple[frozenset[str], str], list[int]] = defaultdict(list)
        # (skills, the unknown words' roots in order): other forms of the same words
        self.rooted: dict[tuple[frozenset[str], tuple[str, ...]], list[int]] = defaultdict(list)
        self.by_broad: dict[str, list[int]] = defaultdict(list)
        self.by_initials: dict[str, list[int]] = defaultdict(list)
        self.by_acronym: dict[str, list[int]] = defaultdict(list)
        # (skills, "i18n") → learners whose one unknown word is that long word, or it
        self.by_numeronym: dict[tuple[frozenset[str], str], list[int]] = defaultdict(list)
        self.readings = matcher.readings
        self.composed = matcher.vocab.composed
        for g, skill in enumerate(learners):
            key = skill.key
            if not key.concepts and not key.residual:
                continue
            self.exact[key].append(g)
            for reading in self.readings(key.concepts)[1:] if key.concepts else ():
                self.exact[SkillKey(reading, key.residual)].append(g)
            composed = matcher.vocab.composed(key.concepts)
            if composed != key.concepts:
                self.exact[SkillKey(composed, key.residual)].append(g)
            if len(key.residual) == 1:
                for form in {key.residual[0], numeronym(key.residual[0])} - {""}:
                    self.by_numeronym[key.concepts, form].append(g)
            if skill.initials:
                self.by_initials[skill.initials].append(g)
            if skill.acronym:
                self.by_acronym[skill.acronym].append(g)
            if key.residual:
                block = self.blocks.setdefault(_block(key), len(self.blocks))
                for word in _anchors(key.residual):
                    for variant in _deletions(word):
                        self.loose[block, variant].add(g)
                self.joined[key.concepts, "".join(key.residual)].append(g)
                self.rooted[_rooted(key)].append(g)
            else:
                for broad in matcher._broads_for(key.concepts):
                    self.by_broad[broad].append(g)

    def candidates(self, teacher: Skill) -> set[int]:
        found: set[int] = set(self.by_initials.get(teacher.acronym, ()))
        found.update(self.by_acronym.get(teacher.initials, ()))
        for option in teacher.options:
            for reading in self.readings(option.concepts):
                found.update(self.exact.get(SkillKey(reading, option.residual), ()))
            composed = SkillKey(self.composed(option.concepts), option.residual)
            found.update(self.exact.get(composed, ()))
            if len(option.residual) == 1:
                (word,) = option.residual
                found.update(self.by_numeronym.get((option.concepts, numeronym(word)), ()))
                found.update(self.by_numeronym.get((option.concepts, word), ()))
            if option.residual:
                block = self.blocks.get(_block(option))
                if block is not None:
                    for variant in _deletions(_anchors(option.residual)[0]):
                        found.update(self.loose.get((block, variant), ()))
                found.update(self.joined.get((option.concepts, "".join(option.residual)), ()))
                found.update(self.rooted.get(_rooted(option), ()))
            else:
                for broad in option.concepts & self.parts.keys():
                    found.update(self.by_broad.get(broad, ()))
        return found


def _rooted(key: SkillKey) -> tuple[frozenset[str], tuple[str, ...]]:
    """Unknown words that are forms of each other share their roots (see `same_root`)."""
    return key.concepts, tuple(sorted(root(w) for w in key.residual))


def _block(key: SkillKey) -> tuple[frozenset[str], tuple[str, ...]]:
    """Typo-equal residuals pair words with the same first letter: same sorted initials."""
    return key.concepts, tuple(sorted(w[0] for w in key.residual))


def _anchors(words: tuple[str, ...]) -> list[str]:
    """The words with the alphabetically first initial."""
    first = min(w[0] for w in words)
    return [w for w in words if w[0] == first]


def _deletions(word: str) -> set[str]:
    """`word` with up to one letter (two from 12 letters) deleted, never the first."""
    found = {word}
    for _ in range(2 if len(word) >= 12 else 1):
        found |= {w[:i] + w[i + 1 :] for w in found for i in range(1, len(w))}
    return found


def _residual_equivalent(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Unknown words equal up to order and typos, or equal once run together."""
    if "".join(a) == "".join(b):
        return True
    if len(a) != len(b):
        return False
    remaining = list(b)
    for word in sorted(a):
        match = (
            word
            if word in remaining
            else next((other for other in remaining if words_close(word, other)), None)
        )
        if match is None:
            return False
        remaining.remove(match)
    return True
