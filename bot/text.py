"""What people type: cleaned and bounded before Rex keeps it (views escape it for Slack:
`handlers.views.kit.escape`)."""

import re
import unicodedata

from bot.i18n.messages import N_
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


def _refuse_controls(text: str, key: str) -> str:
    """NFC text, refused when it holds control characters (other than line breaks and tabs)
    or bidirectional overrides that would make it display as something else."""
    text = unicodedata.normalize("NFC", text)
    if any(
        (unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\t\n\r") or ch in _BIDI_CONTROLS
        for ch in text
    ):
        raise InvalidInput(key)
    return text


def clean_text(raw: str, *, max_length: int) -> str:
    """Free text (a bio, a note): trimmed, line breaks kept, bounded; may be empty."""
    text = _refuse_controls(raw, N_("error.text_control")).strip()
    if len(text) > max_length:
        raise InvalidInput("error.text_too_long", max=max_length)
    return text


def clean_label(raw: str) -> str:
    """One skill label: trimmed, spaces folded, no control characters, bounded length."""
    text = _SPACE.sub(" ", _refuse_controls(raw, N_("error.label_control"))).strip()
    if not text:
        raise InvalidInput("error.label_empty")
    if len(text) > LABEL_MAX:
        raise InvalidInput("error.label_too_long", max=LABEL_MAX)
    return text
