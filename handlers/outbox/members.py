"""What Rex owes one member about themselves: why a round left them out, that it paused them."""

import logging
from datetime import datetime

from sqlmodel import Session

from bot import outbox
from bot.i18n.l10n import language_of_member
from bot.runtime.rex import Rex
from handlers.outbox.post import Sender, post
from handlers.views.members import auto_paused_blocks
from handlers.views.rounds import unmatched_text
from storage import repo
from storage.models import DueWork, Member, MemberStatus, WorkKind

log = logging.getLogger("rex.delivery")


def _addressee(session: Session, work: DueWork) -> Member | None:
    """The member a row is owed to."""
    return repo.get_members(session, ids=[work.member_id or -1]).get(work.member_id or -1)


def _send_auto_paused(rex: Rex, session: Session, work: DueWork, now: datetime) -> str:
    member = _addressee(session, work)
    if member is None or member.status != MemberStatus.PAUSED:
        return "skipped"
    notice = outbox.AutoPaused.of(work)
    content = auto_paused_blocks(notice.count, language_of_member(member))
    post(
        rex,
        work,
        channel=None,
        user=member.slack_id,
        text=content[0]["text"]["text"],
        blocks=content,
    )
    log.info("member.auto_paused member=%s", member.id)
    return "sent"


def _send_unmatched(rex: Rex, session: Session, work: DueWork, now: datetime) -> str:
    """Tell a member left out of a round why, once; not if they have paused or left since."""
    member = _addressee(session, work)
    if member is None or member.status != MemberStatus.ACTIVE:
        return "skipped"
    notice = outbox.UnmatchedNotice.of(work)
    text = unmatched_text(
        notice.reason,
        notice.skill,
        notice.demand,
        language_of_member(member),
        languages=notice.languages,
        sites=notice.sites,
        teachers=notice.teachers,
    )
    post(rex, work, channel=None, user=member.slack_id, text=text)
    log.info(
        "unmatched.sent round=%s member=%s reason=%s",
        work.round_id,
        member.id,
        notice.reason,
    )
    return "sent"


MEMBER_SENDERS: dict[WorkKind, Sender] = {
    WorkKind.UNMATCHED: _send_unmatched,
    WorkKind.AUTO_PAUSED: _send_auto_paused,
}
