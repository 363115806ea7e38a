"""Type-ahead skill suggestions for Slack's `external_select` menus.

Slack-free and DB-free: the caller feeds the labels people typed (the `skill` rows); the
views turn suggestions into Slack's options (`handlers.views.members.skill_options`).
Suggesting labels the network already uses makes the same skill get the same wording, which
helps people reading profiles; matching does not depend on it (it goes through `normalize`
anyway), so a person may always keep their own wording.

Labels are grouped by `normalize`; a group shows its most used wording. A query ranks:
  1. the group of the query's own canonical form ("k8s", "kubernets" → Kubernetes);
  2. groups with a word starting with the query ("prise de par" → Prise de parole en
     public), a label's first word before later words, then by popularity; then the
     same without leading fillers ("basics of ru" → Rust) and for the canonical form of
     step 1 ("exel" → Excel pivot tables);
  3. rapidfuzz `WRatio` similarity, then popularity.
A rare label that is a slip of a far more used one found too is left out. Searching runs
on folded text (case, accents, "c#" → "csharp") of a few forms per group: its canonical
form and the wordings many use, so that English canonical names find French wordings and
back, while one-off typos stay out of the index.
"""

from __future__ import annotations

import bisect
import heapq
import re
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import NamedTuple

from rapidfuzz import fuzz, process

from bot.matching import default_matcher, normalize
from bot.matching.text import prepare, words

# A longer query cannot be a skill label (nor a Slack option's value); cutting it bounds the
# work per keystroke.
QUERY_MAX = 150
# Searchable forms per group: its canonical form, its shown wording, then other wordings
# used by a share of its entries (typos stay out: `normalize` repairs those in queries).
FORMS_PER_GROUP = 8
FORM_MIN_SHARE = 0.01
FUZZY_MIN_LENGTH = 3  # shorter queries are better served by prefixes than by similarity
FUZZY_CUTOFF = 75.0  # WRatio: "exel"/"excel" 89, "kubernets"/"kubernetes networking" 85
# A label this similar (rapidfuzz ratio) to one used this many times more is taken for a slip.
SLIP_SIMILARITY = 90.0
SLIP_POPULARITY = 10

_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def clean(text: str) -> str:
    """A label as it should be shown and stored: control characters dropped, spaces
    collapsed. Wordings that differ only by spacing are counted as one."""
    return " ".join(_UNPRINTABLE.sub(" ", text).split())


def fold(text: str) -> str:
    """Searchable form: the matcher's folding (case, accents, tech symbols), as words."""
    main, notes = prepare(text)
    return " ".join(words(f"{main} {notes}"))


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A label to offer: the most used wording of one skill, how many entries use the
    skill, and whether it is the skill the query itself names."""

    label: str
    count: int
    exact: bool


@dataclass(frozen=True, slots=True)
class _Group:
    key: str
    label: str
    count: int
    forms: tuple[str, ...]

    @property
    def rank(self) -> tuple[int, str]:
        """Sort key: most used first, then alphabetical."""
        return -self.count, self.label


class _Entry(NamedTuple):
    """One word-suffix of a searchable form ("de parole en public"), for prefix search."""

    suffix: str
    later_word: bool  # False when the suffix is the whole form
    key: str


class _Choice(NamedTuple):
    """A searchable form for fuzzy search; choices are kept sorted by length."""

    length: int
    form: str
    key: str


def _entries(group: _Group) -> Iterator[_Entry]:
    for form in group.forms:
        split = form.split(" ")
        for start in range(len(split)):
            yield _Entry(" ".join(split[start:]), start > 0, group.key)


def _usage(item: tuple[str, int]) -> tuple[int, str]:
    """Sort key of (wording, times used): most used first, then alphabetical."""
    return -item[1], item[0]


def _suffix(entry: _Entry) -> str:
    return entry.suffix


def _length(choice: _Choice) -> int:
    return choice.length


@dataclass(frozen=True, slots=True)
class _Index:
    """One immutable state of the suggester: readers take it with one attribute read, so
    they never see a half-applied `add` and need no lock."""

    groups: Mapping[str, _Group]
    entries: tuple[_Entry, ...]  # sorted by suffix
    choices: tuple[_Choice, ...]  # sorted by length
    forms: tuple[str, ...]  # the form of each choice, as rapidfuzz takes them

    def updated(self, changed: Mapping[str, _Group]) -> _Index:
        """The index with `changed` groups replaced or added. Only a group whose forms
        changed (a new skill, or a wording becoming common) costs a pass over the entries;
        a count or a shown wording changing costs one dict copy."""
        groups = {**self.groups, **changed}
        old = self.groups
        stale = {k for k, g in changed.items() if k not in old or g.forms != old[k].forms}
        if not stale:
            return replace(self, groups=groups)
        if stale & old.keys():
            entries = [e for e in self.entries if e.key not in stale]
            choices = [c for c in self.choices if c.key not in stale]
        else:  # only new skills: nothing to drop
            entries, choices = list(self.entries), list(self.choices)
        entries += [e for k in stale for e in _entries(changed[k])]
        choices += [_Choice(len(f), f, k) for k in stale for f in changed[k].forms]
        entries.sort()  # timsort merges the sorted old run with the few new in linear time
        choices.sort()
        return _Index(groups, tuple(entries), tuple(choices), tuple(c.form for c in choices))

    def popular(self, limit: int) -> list[_Group]:
        return heapq.nsmallest(limit, self.groups.values(), key=lambda g: g.rank)

    def prefixed(self, folded: str, limit: int) -> list[_Group]:
        """Groups with a word starting with `folded`: first words first, then popular."""
        low = bisect.bisect_left(self.entries, folded, key=_suffix)
        high = bisect.bisect_left(self.entries, folded + "\U0010ffff", lo=low, key=_suffix)
        later: dict[str, bool] = {}
        for entry in self.entries[low:high]:
            later[entry.key] = later.get(entry.key, True) and entry.later_word
        groups = self.groups
        return heapq.nsmallest(
            limit, (groups[k] for k in later), key=lambda g: (later[g.key], g.rank)
        )

    def similar(self, folded: str, limit: int) -> list[_Group]:
        """Groups with a form similar to `folded` (typos, word order), best first; among
        equal whole-number scores, popular first.

        Forms much shorter than the query are left out: WRatio would score them as a part
        of it, so "kubernets" would find TypeScript through "ts"."""
        low = bisect.bisect_left(self.choices, 2 * len(folded) // 3 + 1, key=_length)
        found = process.extract(
            folded,
            self.forms[low:],
            scorer=fuzz.WRatio,
            processor=None,
            score_cutoff=FUZZY_CUTOFF,
            limit=None,
        )
        best: dict[str, float] = {}
        for _, similarity, position in found:
            key = self.choices[low + position].key
            best[key] = max(similarity, best.get(key, 0.0))
        groups = self.groups
        return heapq.nsmallest(
            limit, (groups[k] for k in best), key=lambda g: (-round(best[g.key]), g.rank)
        )


_EMPTY = _Index(groups={}, entries=(), choices=(), forms=())


class SkillSuggester:
    """Suggestions over the labels of a network; reads are lock-free and thread-safe.

    Build once with `from_labels` (about a second for 100,000 members), then `add` labels
    as people save them: a label of a known skill costs a dict copy, a new skill one pass
    over the index (milliseconds at 100,000 members), never a rebuild from all labels.
    Removals are not tracked (a stale count only shifts a ranking); rebuilding from the
    `skill` rows now and then fixes that, in half a second once `normalize` is warm.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()  # serialises writers only
        self._wordings: dict[str, Counter[str]] = {}  # per canonical form, as typed
        self._folded: dict[str, Counter[str]] = {}  # per canonical form, folded
        self._index = _EMPTY

    @classmethod
    def from_labels(cls, labels: Iterable[str]) -> SkillSuggester:
        """A suggester over labels as people typed them, one per entry (with repetitions:
        the counts are what makes a wording "most used" and a skill popular)."""
        suggester = cls()
        suggester.extend(labels)
        return suggester

    def add(self, label: str) -> None:
        """Count one more entry of `label`, suggestable from the next query on."""
        self.extend((label,))

    def extend(self, labels: Iterable[str]) -> None:
        """Count many entries with one index update."""
        with self._lock:
            touched: set[str] = set()
            # Cleaning and normalising each distinct spelling once, not each entry.
            for raw, times in Counter(labels).items():
                wording = clean(raw)
                key = normalize(wording) if wording else ""
                if key:  # a label naming nothing ("???") is never suggested
                    self._wordings.setdefault(key, Counter())[wording] += times
                    self._folded.setdefault(key, Counter())[fold(wording)] += times
                    touched.add(key)
            if touched:
                self._index = self._index.updated({k: self._group(k) for k in touched})

    def _group(self, key: str) -> _Group:
        """A group's shown wording and searchable forms: its canonical form, the shown
        wording, then the wordings many use ("gestion de projet", "project mgmt"), counted
        folded so that "Excel" and "EXCEL" take one place."""
        wordings = self._wordings[key]
        label = min(wordings.items(), key=_usage)[0]
        total = wordings.total()
        common = heapq.nsmallest(FORMS_PER_GROUP, self._folded[key].items(), key=_usage)
        enough = max(2, FORM_MIN_SHARE * total)
        forms = [fold(key), fold(label), *(form for form, times in common if times >= enough)]
        return _Group(key, label, total, tuple(f for f in dict.fromkeys(forms) if f))

    def stats(self) -> dict[str, int]:
        """Sizes of the index, for logs and the benchmark."""
        index = self._index
        return {
            "skills": len(index.groups),
            "prefix_entries": len(index.entries),
            "fuzzy_forms": len(index.choices),
        }

    def suggest(self, query: str, limit: int = 10) -> list[Suggestion]:
        """Up to `limit` labels for what a person is typing, best first; the most popular
        labels when nothing is typed yet."""
        if limit <= 0:
            return []
        index = self._index
        wording = clean(query)[:QUERY_MAX]
        folded = fold(wording)
        if not folded:
            return [Suggestion(g.label, g.count, False) for g in index.popular(limit)]
        own = normalize(wording)
        exact = index.groups.get(own)
        wanted = 2 * limit  # room for `_without_slips` to leave some out
        found: dict[str, _Group] = {}
        # Leading fillers are dropped, as `normalize` does: "basics of ru" offers Rust.
        prefixes = [folded, " ".join(default_matcher().vocab.strip_fillers(folded.split()))]
        if exact is not None:
            found[own] = exact
            # Its canonical form extends the query as typed: "exel" and "k8s" also offer
            # "Excel pivot tables" and "Kubernetes security".
            prefixes += exact.forms[:1]
        for prefix in dict.fromkeys(prefixes):
            for group in index.prefixed(prefix, wanted):
                found.setdefault(group.key, group)
        if len(found) < limit and len(folded) >= FUZZY_MIN_LENGTH:
            for group in index.similar(folded, wanted):
                found.setdefault(group.key, group)
        kept = _without_slips(list(found.values()), own)
        return [Suggestion(g.label, g.count, g.key == own) for g in kept[:limit]]


def _without_slips(found: list[_Group], own: str) -> list[_Group]:
    """Leave out a rarely used label that is a slip of a wording of a far more used skill
    also found ("tie management for engineers" next to time management): offering other
    people's typos invites copying them. The query's own skill always stays."""
    kept = []
    for group in found:
        bigger = [other for other in found if other.count >= SLIP_POPULARITY * group.count]
        if group.key != own and bigger:
            label = fold(group.label)
            if any(
                process.extractOne(
                    label, other.forms, scorer=fuzz.ratio, score_cutoff=SLIP_SIMILARITY
                )
                for other in bigger
            ):
                continue
        kept.append(group)
    return kept
