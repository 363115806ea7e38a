"""The one shape of a listener that changes something: run the domain call as one
transaction, committed when the domain accepts it, rolled back (nothing half-written) and
answered kindly when it refuses.

A refusal is one of the domain's own errors: `InvalidInput` (what someone typed),
`ExchangeGone` (a closed exchange, or not theirs) and `NotMember`; a modal also shows a form's
`FormErrors` under its fields. Anything else is a bug and reaches Bolt's error handler.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from slack_bolt import Ack, BoltContext
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.exchanges import ExchangeGone
from bot.i18n.messages import N_
from bot.members import FormErrors, NotMember
from bot.text import InvalidInput
from handlers.context import field_errors, form_errors, language_of, said, session_of

T = TypeVar("T")
Refusal = InvalidInput | ExchangeGone | NotMember
REFUSALS = (InvalidInput, ExchangeGone, NotMember)


@dataclass(frozen=True)
class Done(Generic[T]):
    """A change the domain accepted, committed, with what it returned (which may be None)."""

    value: T


class ShowAgain(Exception):
    """Raised while a modal's submission is handled to show the modal again, changed,
    instead of closing it (Slack's `response_action: update`); nothing is written."""

    def __init__(self, view: dict[str, Any]) -> None:
        super().__init__("show again")
        self.view = view


def refusal_key(error: Refusal) -> str:
    """The catalogue message that explains a refusal."""
    if isinstance(error, NotMember):
        return N_("not_member")
    return error.key


def refusal_text(error: Refusal, lang: str) -> str:
    """A refusal as the person reads it (what they typed, quoted back, escaped)."""
    params = error.params if isinstance(error, InvalidInput) else {}
    return said(refusal_key(error), lang, params)


def committed(
    context: BoltContext, change: Callable[[], T], refused: Callable[[Refusal], object]
) -> Done[T] | None:
    """Run `change` in the request's transaction: committed and returned when the domain
    accepts it; rolled back, `refused` told why, and None when it refuses.

    A unique constraint broken on the way means the same change was committed at the same
    instant by another request (a double click, two replicas): it won, so `change` runs once
    more on what it wrote, and finds it there ("already in your profile")."""
    session = session_of(context)
    try:
        return _attempt(session, change, refused)
    except IntegrityError:
        session.rollback()
        return _attempt(session, change, refused)


def _attempt(
    session: Session, change: Callable[[], T], refused: Callable[[Refusal], object]
) -> Done[T] | None:
    try:
        value = change()
        session.flush()
    except REFUSALS as error:
        session.rollback()
        refused(error)
        return None
    session.commit()
    return Done(value)


def answered(say: Callable[..., object], lang: str, **how: object) -> Callable[[Refusal], None]:
    """Refusals answered as a message by `say` (a respond, or a post), sent `how` (ephemeral,
    replacing the original message or not)."""

    def answer(error: Refusal) -> None:
        say(text=refusal_text(error, lang), **how)

    return answer


@dataclass(frozen=True)
class Fields:
    """Where a modal shows a refusal: under the block named for its message, else `default`."""

    default: str
    by_key: Mapping[str, str] = field(default_factory=dict)

    def block_for(self, error: Refusal) -> str:
        return self.by_key.get(refusal_key(error), self.default)


def submitted(
    ack: Ack, context: BoltContext, change: Callable[[], T], fields: Fields
) -> Done[T] | None:
    """A modal's submission, acked once within Slack's 3 s: empty (the modal closes) once
    `change` is committed; with errors under the fields on a refusal, or the modal
    `ShowAgain` asks for, after a rollback. Returns what `change` returned, when committed."""
    lang = language_of(context)

    def show_errors(error: Refusal) -> None:
        ack(form_errors({fields.block_for(error): refusal_text(error, lang)}))

    try:
        done = committed(context, change, show_errors)
    except FormErrors as errors:
        session_of(context).rollback()
        ack(field_errors(errors, lang))
        return None
    except ShowAgain as again:
        session_of(context).rollback()
        ack(response_action="update", view=again.view)
        return None
    if done is not None:
        ack()
    return done
