"""The vocabulary's shipped data files (`bot/data/`, described in its README) and their CSV form."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from importlib import resources

ALIASES_FILE = "skill_aliases.csv"
PARTS_FILE = "skill_parts.csv"
WORDS_FILE = "skill_words.toml"
ESCO_SKILLS_FILE = "esco_skills.csv"
ESCO_PARTS_FILE = "esco_parts.csv"
ESCO_KEYS_FILE = "esco_keys.csv"
ESCO_WORDS_FILE = "esco_words.csv"


def data_rows(text: str) -> Iterator[list[str]]:
    """CSV rows without blank lines, `#` comments or the header."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    for number, row in enumerate(csv.reader(lines)):
        if number:
            yield [cell.strip() for cell in row]


def shipped(name: str) -> str:
    return resources.files("bot").joinpath("data", name).read_text(encoding="utf-8")
