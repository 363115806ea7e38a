"""Text folding shared by skill labels and vocabulary entries.

Labels and the alias table go through the same functions, so an entry written with
accents, capitals or plurals in the data still meets what people type.
"""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"})
# Symbols that carry meaning in tech names, rewritten before punctuation is dropped:
# c++ → cpp, c# → csharp, node.js → nodejs, asp.net → aspdotnet, q&a → qanda; version
# numbers dropped; French elisions (l' d' qu' ...) → full article, so that stopwords and
# fillers see them.
_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"([a-z])\+\+"), r"\1pp"),
    (re.compile(r"\b([a-z]) ?#"), r"\1sharp"),
    (re.compile(r"([a-z0-9])\.js\b"), r"\1js"),
    (re.compile(r"([a-z0-9])\.net\b"), r"\1dotnet"),
    (re.compile(r"(?<![a-z0-9])\.net\b"), "dotnet"),
    (re.compile(r"\b([a-z]) ?& ?([a-z])\b"), r"\1and\2"),
    (re.compile(r"\bv?\d+(?:\.(?:\d+|x))+\b"), " "),  # versions: 3.11, v2.0, 3.x
    (re.compile(r"\b([ldjmnstc]|qu)'"), r"\1e "),
    (re.compile(r"'s\b"), ""),
    (re.compile(r"'"), ""),
)
# Combining marks (accents once NFKD has split them off), as one character class.
_COMBINING = re.compile(
    "[" + "".join(chr(c) for c in range(0x300, 0x10000) if unicodedata.combining(chr(c))) + "]"
)
_PLAIN = re.compile(r"[a-z0-9 ,;/|-]*")  # nothing for _REWRITES to do
_PARENS = re.compile(r"[(\[{]([^)\]}]*)[)\]}]?")
_NON_WORD = re.compile(r"[\W_]+")  # letters of any script are kept: "русский", "日本語"
# How a label lists several skills ("HTML/CSS", "Excel & PowerPoint", "C, C++").
_SEPARATORS = re.compile(r"\s*(?:[/,;|+&]|\band\b|\bet\b)\s*")


def prepare(label: str) -> tuple[str, str]:
    """Fold case, accents and tech symbols; return (main text, parenthesised notes)."""
    text = label.casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
        text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
        text = _COMBINING.sub("", text)
    if not _PLAIN.fullmatch(text):
        for pattern, replacement in _REWRITES:
            text = pattern.sub(replacement, text)
    notes = " ".join(_PARENS.findall(text))
    return _PARENS.sub(" ", text), notes


def words(text: str) -> list[str]:
    """Split prepared text into raw words: every run of non-letters, non-digits separates."""
    return [w for w in _NON_WORD.split(text) if w]


def segments(text: str) -> list[str]:
    """The parts of a prepared text that may each name one skill of a list."""
    return [s for s in _SEPARATORS.split(text) if s.strip()]


def fold_plural(word: str, keep: frozenset[str]) -> str:
    """Light English/French plural folding; consistent rather than linguistically exact."""
    if len(word) < 4 or word in keep:
        return word
    if word.endswith(("eaux", "eux")):
        return word[:-1]
    if word.endswith("aux") and len(word) > 4:
        return word[:-3] + "al"
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith(("ss", "us", "is")) or not word.endswith("s"):
        return word
    return word[:-1]
