"""What people type: cleaned, bounded, and escaped before Slack renders it."""

import re
import unicodedata

from storage.models import LABEL_MAX

_SPACE = re.compile(r"\s+")
# Bidirectional overrides can make a label display as something else; refused with controls.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class InvalidInput(ValueError):
    """User input Rex refuses; `key` names the catalogue message that explains why."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn gives meaning to, so `<!channel>`,
    `<@U123>` or a link typed by someone shows as text and pings nobody."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clean_label(raw: str) -> str:
    """One skill label: trimmed, spaces folded, no control characters, bounded length."""
    text = unicodedata.normalize("NFC", raw)
    if any(
        (unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\t\n\r") or ch in _BIDI_CONTROLS
        for ch in text
    ):
        raise InvalidInput("error.label_control")
    text = _SPACE.sub(" ", text).strip()
    if not text:
        raise InvalidInput("error.label_empty")
    if len(text) > LABEL_MAX:
        raise InvalidInput("error.label_too_long", max=LABEL_MAX)
    return text


def clean_labels(raw: str | None) -> list[str]:
    """Labels typed one per line (or separated by commas or semicolons), duplicates dropped."""
    labels: list[str] = []
    seen: set[str] = set()
    for part in re.split(r"[\n,;]", raw or ""):
        if not part.strip():
            continue
        label = clean_label(part)
        key = label.casefold()
        if key not in seen:
            seen.add(key)
            labels.append(label)
    return labels
