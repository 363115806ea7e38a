"""The transcript `rex demo` prints: sections, wrapped prose, and each person's Slack by row.

Lines fit the terminal (at most 100 columns); a button's words are never cut across rows.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field

MAX_WIDTH = 100
TAG_WIDTH = 14

_BUTTON = re.compile(r"\[ [^\]\n]+ \]")  # a button as message_paragraphs shows it
_GLUE = "\u2060"  # holds a button's words together while lines are wrapped


def counted(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


@dataclass(order=True)
class Moment:
    """Something a person saw that Slack keeps no message for: a modal, an error in one."""

    at: float
    tag: str = field(compare=False)
    text: str = field(compare=False)


def terminal_width() -> int:
    """Up to 100 columns, fewer on a narrow terminal; 100 when stdout is not a terminal."""
    return max(60, min(MAX_WIDTH, shutil.get_terminal_size((MAX_WIDTH, 24)).columns))


@dataclass
class Transcript:
    width: int = field(default_factory=terminal_width)
    lines: list[str] = field(default_factory=list)

    def section(self, title: str, subtitle: str = "") -> None:
        self.lines += ["", title + (f" · {subtitle}" if subtitle else ""), "═" * self.width]

    def rule(self, title: str) -> None:
        """A person's header: their name on a light rule, so the rows below read as theirs."""
        self.lines.append(f"── {title} ".ljust(self.width, "─"))

    def say(self, text: str = "", indent: int = 0, hang: int | None = None) -> None:
        """Wrapped text; `hang` indents the continuation rows (default: like the first)."""
        if not text:
            self.lines.append("")
            return
        pad, rest = " " * indent, " " * (indent if hang is None else hang)
        for line in text.split("\n"):
            self.lines.append(
                textwrap.fill(line, self.width, initial_indent=pad, subsequent_indent=rest)
            )

    def verbatim(self, line: str) -> None:
        """A line never wrapped, so a command can be copied whole."""
        self.lines.append(line)

    def tagged(self, tag: str, lines: Sequence[str]) -> None:
        """`  tag        first line`, the rest hanging under it; a button is never cut."""
        first = f"  {tag:<{TAG_WIDTH - 3}} "
        hang = " " * TAG_WIDTH
        for line in lines:
            kept = _BUTTON.sub(lambda m: m.group(0).replace(" ", _GLUE), line)
            wrapped = textwrap.fill(kept, self.width, initial_indent=first, subsequent_indent=hang)
            self.lines.append(wrapped.replace(_GLUE, " "))
            first = hang

    def one_row(self, text: str) -> str:
        """Text squeezed onto one row after the tag, ending in `…` when it does not fit."""
        flat, room = " ".join(text.split()), self.width - TAG_WIDTH
        return flat if len(flat) <= room else flat[: room - 1].rstrip() + "…"

    def text(self) -> str:
        return "\n".join(self.lines).strip("\n") + "\n"
