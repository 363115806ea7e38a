"""What end-to-end tests look up on the Slack side of a sandbox, and the steps most of them
take: two members who can swap, a round that introduces them, a follow-up answered."""

from typing import Any, TypeVar

from sqlmodel import Session, select

from bot.offline.fakeslack import FakeSlack, Response
from bot.offline.sandbox import Sandbox
from handlers.ids import ActionId, BlockId
from storage.models import Exchange, Member

Row = TypeVar("Row")


def group_dms(fake: FakeSlack) -> list[str]:
    """The group DMs Rex opened (Slack answered), each once, in id order."""
    return sorted(
        {
            c.response["channel"]["id"]
            for c in fake.calls_to("conversations.open")
            if c.response.get("ok") and c.response["channel"]["id"].startswith("G")
        }
    )


def opened_intro(sandbox: Sandbox) -> tuple[str, dict[str, Any]]:
    """The one group DM Rex opened and its intro message."""
    [channel] = group_dms(sandbox.fake)
    return channel, sandbox.fake.messages(channel)[0]


def join_pair(sandbox: Sandbox, *, learner: str = "UBOB") -> tuple[Response, Response]:
    """Ada (Python) and `learner` join, each teaching what the other wants to learn; their
    answers, unchecked (some tests slow Slack down on purpose)."""
    return (
        sandbox.join("UADA", ["Python"], ["Public speaking"]),
        sandbox.join(learner, ["public speaking"], ["python"]),
    )


def join_ada_and_bob(sandbox: Sandbox) -> None:
    """Ada (Python, Excel) and Bob join as a swap, both accepted: the profile tests' start."""
    assert sandbox.join("UADA", ["Python", "Excel"], ["Public speaking"]).status == 200
    assert sandbox.join("UBOB", ["public speaking"], ["python"]).status == 200


def introduce_pair(sandbox: Sandbox, *, learner: str = "UBOB") -> tuple[str, dict[str, Any]]:
    """`join_pair`, then an admin's round: their group DM and its intro."""
    join_pair(sandbox, learner=learner)
    sandbox.command("UADMIN", "admin round")
    return opened_intro(sandbox)


def dm_texts(sandbox: Sandbox, user_id: str) -> list[str]:
    """The texts Rex sent in its DM with this person, oldest first."""
    return [m.get("text", "") for m in sandbox.fake.messages(sandbox.fake.dm_channel(user_id))]


def evaluate_follow_up(sandbox: Sandbox, user_id: str, values: dict[str, Any]) -> Response:
    """Open the evaluation from the follow-up in this person's DM and submit `values`."""
    channel = sandbox.fake.dm_channel(user_id)
    [message] = [
        m
        for m in sandbox.fake.messages(channel)
        if m.get("blocks") and "Did your session" in m["text"]
    ]
    sandbox.click(user_id, ActionId.EVALUATE, channel, message["ts"])
    return sandbox.submit(user_id, values)


def rows(sandbox: Sandbox, model: type[Row]) -> list[Row]:
    """Every stored row of a table, in primary-key order."""
    table: Any = model
    with Session(sandbox.rex.engine) as session:
        query = select(table).order_by(*table.__table__.primary_key.columns)
        return list(session.exec(query).all())


def member(sandbox: Sandbox, slack_id: str) -> Member:
    """The stored member with this Slack id."""
    with Session(sandbox.rex.engine) as session:
        return session.exec(select(Member).where(Member.slack_id == slack_id)).one()


def exchange(sandbox: Sandbox) -> Exchange:
    """The one stored exchange."""
    with Session(sandbox.rex.engine) as session:
        return session.exec(select(Exchange)).one()


def save_profile(
    sandbox: Sandbox, user_id: str, teach: list[str], learn: list[str], **values: Any
) -> Response:
    """Open `/rex` and save the profile with these skills and other fields."""
    sandbox.driver.command(user_id, "")
    sandbox.settle()
    return sandbox.submit(
        user_id, {BlockId.TEACH_SKILLS: teach, BlockId.LEARN_SKILLS: learn, **values}
    )
