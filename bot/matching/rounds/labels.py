"""Skill labels as small integer ids, so a round compares each distinct label only once.

Members write the same skill many ways; every wording is normalised once, wordings that
normalise alike share one id, and the rest of the round works with ids.
"""

from __future__ import annotations

from bot.matching import normalize


class LabelIds:
    """Ids of distinct normalised labels, with the smallest wording of each for comparing.

    Incomplete members' labels are never collected, so they cost nothing in the comparison.
    """

    def __init__(self, reps: list[str], keys: dict[str, str]) -> None:
        self.reps = reps
        self.keys = keys  # normalised wordings, shared by both sides
        self.by_key: dict[str, int] = {}
        self.by_raw: dict[str, int] = {}  # -1: the wording normalises to nothing

    def key(self, raw: str) -> str:
        key = self.keys.get(raw)
        if key is None:
            key = self.keys[raw] = normalize(raw)
        return key

    def label(self, raw: str) -> int:
        label = self.by_raw.get(raw)
        if label is None:
            key = self.key(raw)
            if not key:
                label = -1
            else:
                label = self.by_key.get(key)
                if label is None:
                    label = self.by_key[key] = len(self.reps)
                    self.reps.append(raw)
                elif raw < self.reps[label]:
                    self.reps[label] = raw  # independent of input order
            self.by_raw[raw] = label
        return label

    def any_label(self, raws: tuple[str, ...]) -> bool:
        return any(self.key(raw) for raw in raws)

    def collect(self, raws: tuple[str, ...]) -> tuple[list[int], list[str]]:
        """A member's distinct labels in their order, with their own wording of each."""
        mine: list[int] = []
        words: list[str] = []
        by_raw = self.by_raw
        for raw in raws:
            label = by_raw.get(raw)
            if label is None:
                label = self.label(raw)
            if label >= 0 and label not in mine:
                mine.append(label)
                words.append(raw)
        return mine, words
