"""`parse_reply`: what a DM to Rex means, given what Rex asked last there.

Commands win: a DM starting with a command word is that command (or `Unknown` pointing to
it); otherwise the reply is read as an answer to the question asked, and anything not
understood is `Unknown` with the closest command, never a guess.
"""

from __future__ import annotations

from typing import Final

from bot.replies.commands import closest_command, command_of, first_word, typed_command
from bot.replies.happened import did_it_happen
from bot.replies.intents import Expecting, Intent, Unknown
from bot.replies.numbers import read_hours, read_rating

_MAX_ANSWER_CHARS: Final = 300


def _answer(text: str, expecting: Expecting) -> Intent | None:
    if len(text) > _MAX_ANSWER_CHARS:
        return None
    if expecting is Expecting.DID_IT_HAPPEN:
        return did_it_happen(text)
    if expecting is Expecting.RATING:
        return read_rating(text, bare=True)
    if expecting is Expecting.HOURS:
        return read_hours(text, bare=True)
    if expecting is Expecting.HAPPENED_OR_EVALUATION:
        return did_it_happen(text) or _answer(text, Expecting.EVALUATION)
    if expecting is Expecting.EVALUATION:
        rating, hours = read_rating(text, bare=False), read_hours(text, bare=False)
        return None if rating is not None and hours is not None else rating or hours
    return None


def parse_reply(text: str, expecting: Expecting) -> Intent:
    """What a DM to Rex means, given what Rex asked last there. Never raises."""
    typed = typed_command(text)
    if typed is not None:
        return command_of(typed) or Unknown(typed.name)
    return _answer(text, expecting) or Unknown(closest_command(first_word(text)))
