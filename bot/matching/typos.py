"""When two words are one word: a slip of the keyboard, another form, another spelling.

The rules every comparison of words shares (skill labels, sites): a typo only where it
rarely makes another word, a long common start (`root`), British or American spelling, a
numeronym ("i18n"). Two real words are never typos of each other.
"""

from __future__ import annotations

from rapidfuzz.distance import OSA

from bot.matching.lexicon import (
    american_spelling,
    is_real_word,
)


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


def slip_rank(typed: str, word: str) -> int:
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
