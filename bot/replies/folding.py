"""Text folding shared by the reply parser: case, accents, apostrophes and Slack markup away.

Slack sends emoji as :shortcodes: and mentions as <markup>; folding keeps the emoji that
answer ("👍", "⭐", "5") and drops the rest, so every reader compares the same text.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final


def wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) not in ("Mn", "Me"))


_APOSTROPHES: Final = str.maketrans(dict.fromkeys("’‘`´ʼ′", "'"))
_SHORTCODE: Final = re.compile(r":([a-z+\-][a-z0-9_+\-]*):", re.IGNORECASE)
# Slack sends emoji as :shortcodes:; those that answer are kept as the character.
_SHORTCODES: Final = {
    "+1": "👍",
    "thumbsup": "👍",
    "white_check_mark": "✅",
    "heavy_check_mark": "✅",
    "ballot_box_with_check": "✅",
    "-1": "👎",
    "thumbsdown": "👎",
    "x": "❌",
    "negative_squared_cross_mark": "❌",
    "heavy_multiplication_x": "❌",
    "star": "⭐",
    "star2": "🌟",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
}
_SLACK_MARKUP: Final = re.compile(r"<[^<>]*>")  # mentions, links, channels


def _shortcode(match: re.Match[str]) -> str:
    return f" {_SHORTCODES.get(match.group(1).lower(), '')} "


def fold(text: str) -> str:
    """Case, accents, apostrophes and Slack markup folded away; emoji kept."""
    text = _SLACK_MARKUP.sub(" ", _SHORTCODE.sub(_shortcode, text))
    return strip_accents(text).casefold().translate(_APOSTROPHES)
