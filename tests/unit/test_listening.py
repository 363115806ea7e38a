"""The listeners' one shape (handlers.listening), without Slack: what is committed or rolled
back, and how each domain refusal is answered."""

from typing import Any

import pytest
from slack_bolt import BoltContext
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.exchanges import ExchangeGone
from bot.i18n.messages import t
from bot.members import FormErrors, NotMember
from bot.text import InvalidInput
from handlers.ids import BlockId
from handlers.listening import (
    Done,
    Fields,
    ShowAgain,
    answered,
    committed,
    refusal_text,
    submitted,
)


class RecordingSession(Session):
    """A session that only notes whether the listener committed or rolled back."""

    def __init__(self) -> None:
        super().__init__()
        self.ended: list[str] = []

    def commit(self) -> None:
        self.ended.append("commit")

    def rollback(self) -> None:
        self.ended.append("rollback")


class Recorder:
    """Stands in for ack()/respond(), remembering what it was called with."""

    def __init__(self) -> None:
        self.calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        self.calls.append((args, kwargs))


@pytest.fixture
def session() -> RecordingSession:
    return RecordingSession()


@pytest.fixture
def context(session: RecordingSession) -> BoltContext:
    return BoltContext({"session": session, "lang": "en"})


def test_refusals_read_as_their_catalogue_texts() -> None:
    assert refusal_text(ExchangeGone("exchange.closed"), "en") == t("exchange.closed", "en")
    assert refusal_text(NotMember("U1"), "en") == t("not_member", "en")
    typed = refusal_text(InvalidInput("error.place", reason="<!channel>"), "en")
    assert typed == t("error.place", "en", reason="&lt;!channel&gt;")


def test_an_accepted_change_is_committed_and_returned(
    context: BoltContext, session: RecordingSession
) -> None:
    refused = Recorder()
    assert committed(context, lambda: 42, refused) == Done(42)
    assert committed(context, lambda: None, refused) == Done(None)
    assert session.ended == ["commit", "commit"]
    assert refused.calls == []


@pytest.mark.parametrize(
    "refusal", [InvalidInput("error.level"), ExchangeGone("exchange.closed"), NotMember("U1")]
)
def test_a_refused_change_is_rolled_back_and_told(
    context: BoltContext, session: RecordingSession, refusal: Exception
) -> None:
    refused = Recorder()

    def change() -> None:
        raise refusal

    assert committed(context, change, refused) is None
    assert session.ended == ["rollback"]
    assert refused.calls == [((refusal,), {})]


def test_a_bug_is_no_refusal(context: BoltContext, session: RecordingSession) -> None:
    """Neither committed nor answered: it reaches Bolt's error handler."""

    def change() -> None:
        raise KeyError("bug")

    with pytest.raises(KeyError):
        committed(context, change, Recorder())
    assert session.ended == []


def test_a_refusal_is_answered_as_a_message_sent_as_asked(context: BoltContext) -> None:
    respond = Recorder()

    def change() -> None:
        raise ExchangeGone("exchange.not_yours")

    committed(context, change, answered(respond, "en", response_type="ephemeral"))
    text = t("exchange.not_yours", "en")
    assert respond.calls == [((), {"text": text, "response_type": "ephemeral"})]


def test_a_submission_accepted_is_committed_then_acked_empty(
    context: BoltContext, session: RecordingSession
) -> None:
    ack: Any = Recorder()
    assert submitted(ack, context, lambda: "label", Fields(BlockId.SKILL_LABEL)) == Done("label")
    assert session.ended == ["commit"]
    assert ack.calls == [((), {})]


SKILL_FIELDS = Fields(BlockId.SKILL_LABEL, {"error.level": BlockId.SKILL_LEVEL})


@pytest.mark.parametrize(
    ("refusal", "block", "key"),
    [
        (InvalidInput("error.level"), BlockId.SKILL_LEVEL, "error.level"),
        (InvalidInput("error.label_empty"), BlockId.SKILL_LABEL, "error.label_empty"),
        (ExchangeGone("exchange.closed"), BlockId.SKILL_LABEL, "exchange.closed"),
        (NotMember("U1"), BlockId.SKILL_LABEL, "not_member"),
    ],
)
def test_a_submission_refused_shows_the_error_under_its_field(
    context: BoltContext, session: RecordingSession, refusal: Exception, block: str, key: str
) -> None:
    ack: Any = Recorder()

    def change() -> None:
        raise refusal

    assert submitted(ack, context, change, SKILL_FIELDS) is None
    assert session.ended == ["rollback"]
    errors = {"response_action": "errors", "errors": {block: t(key, "en")}}
    assert ack.calls == [((errors,), {})]


def test_a_form_refused_shows_each_error_under_its_own_field(
    context: BoltContext, session: RecordingSession
) -> None:
    ack: Any = Recorder()
    refusal = FormErrors()
    refusal.add("learn", "error.label_empty")
    refusal.add("agree", "error.level")

    def change() -> None:
        raise refusal

    assert submitted(ack, context, change, Fields(BlockId.TEACH_SKILLS)) is None
    assert session.ended == ["rollback"]
    errors = {
        BlockId.LEARN_SKILLS: t("error.label_empty", "en"),
        BlockId.JOIN_AGREE: t("error.level", "en"),
    }
    assert ack.calls == [(({"response_action": "errors", "errors": errors},), {})]


def test_a_submission_may_show_its_modal_again_instead(
    context: BoltContext, session: RecordingSession
) -> None:
    ack: Any = Recorder()
    again = {"type": "modal", "blocks": []}

    def change() -> None:
        raise ShowAgain(again)

    assert submitted(ack, context, change, Fields(BlockId.SCHEDULE_DATE)) is None
    assert session.ended == ["rollback"]
    assert ack.calls == [((), {"response_action": "update", "view": again})]


def _unique_violation() -> IntegrityError:
    return IntegrityError("INSERT INTO skill …", {}, Exception("UNIQUE constraint failed"))


def test_a_change_that_lost_a_race_runs_again_on_what_the_winner_wrote(
    context: BoltContext, session: RecordingSession
) -> None:
    """Two identical `/rex teach X` at once: the second breaks the unique constraint, is
    rolled back and runs again, now finding the skill the first one added."""
    attempts: list[IntegrityError | str] = [_unique_violation(), "already in your profile"]

    def change() -> str:
        outcome = attempts.pop(0)
        if isinstance(outcome, IntegrityError):
            raise outcome
        return outcome

    assert committed(context, change, Recorder()) == Done("already in your profile")
    assert session.ended == ["rollback", "commit"]


def test_a_constraint_broken_twice_is_a_bug_not_a_race(
    context: BoltContext, session: RecordingSession
) -> None:
    def change() -> None:
        raise _unique_violation()

    with pytest.raises(IntegrityError):
        committed(context, change, Recorder())
    assert session.ended == ["rollback"]
