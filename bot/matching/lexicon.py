"""Which words are real words, and their stems: the language data matching leans on.

Why libraries and not word lists: typo repair must never rewrite a real word into a skill
("caving" is not a typo of "carving"), and a verb must meet its noun ("négocier" /
"négociation", "manage projects" / "project management") in every language Rex reads.
`wordfreq` ships word frequencies, `breame` British and American spellings and
`PyStemmer` the Snowball stemmers for English, French and Spanish (in C: the whole
vocabulary is stemmed at load); the frequencies load on first use, so importing Rex
stays fast.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence

import Stemmer  # PyStemmer
from breame.data.spelling_constants import BRITISH_ENGLISH_SPELLINGS

LANGUAGES = ("en", "fr", "es")
_SNOWBALL = {"en": "english", "fr": "french", "es": "spanish"}
# Zipf frequency (log10 of uses per billion words) from which a word counts as real:
# "tilling" 2.4, "caving" 2.8 and "flask" 3.2 are words; "managment" 2.2 and "excell"
# 2.0 are common slips.
REAL_WORD_ZIPF = 2.3
_lock = threading.Lock()  # a stemmer object is not safe to share between threads


@functools.lru_cache(maxsize=1 << 16)
def word_frequency(word: str) -> float:
    """How common `word` (folded: lowercase, no accents) is in the most common of English,
    French and Spanish, as a Zipf value (0 for a word never seen)."""
    from wordfreq import zipf_frequency

    return float(max(zipf_frequency(word, lang) for lang in LANGUAGES))


def is_real_word(word: str) -> bool:
    """Whether `word` is a word of English, French or Spanish in its own right, so never
    a typo of another."""
    return word_frequency(word) >= REAL_WORD_ZIPF


_STEMMERS = {lang: Stemmer.Stemmer(name) for lang, name in _SNOWBALL.items()}


@functools.lru_cache(maxsize=1 << 17)
def stem(word: str, language: str) -> str:
    """The Snowball stem of a folded word in `language` ("negociation" → "negoci")."""
    with _lock:
        return str(_STEMMERS[language].stemWord(word))


def american_spelling(word: str) -> str:
    """The American spelling of a British English word ("modelling", "organisation" →
    "modeling", "organization"), from breame's word lists: ESCO writes American English,
    people write both, and both spellings are real words that typo repair must leave.
    Tried only when a name is unknown as typed: "analyse" is also French."""
    return _AMERICAN.get(word, word)


# The lists hold words with their plural or inflection; Rex compares folded words.
_AMERICAN: dict[str, str] = dict(BRITISH_ENGLISH_SPELLINGS)


def stem_words(language: str) -> Callable[[str], str]:
    """A stemmer for many words in one thread (a bulk load): no lock, a plain memo."""
    stemmer = Stemmer.Stemmer(_SNOWBALL[language])
    memo: dict[str, str] = {}

    def stem_one(word: str) -> str:
        found = memo.get(word)
        if found is None:
            found = memo[word] = str(stemmer.stemWord(word))
        return found

    return stem_one


def stem_key(tokens: Sequence[str], language: str) -> str:
    """Stems in alphabetical order: one key for a verb phrase and its noun phrase."""
    return " ".join(sorted(stem(t, language) for t in tokens))
