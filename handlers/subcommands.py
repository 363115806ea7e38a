"""What `/rex <word>` does, the same whether it comes as the slash command or as words
typed to Rex in its DM: the member subcommands and the admins' ones, each a table of
word -> handler that answers ephemerally (`respond`, or a post standing in for it)."""

import json
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any, Final

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient

from bot import members, outbox, privacy, records
from bot.digest.compute import compute_digest
from bot.i18n import l10n
from bot.i18n.messages import N_, t, tn
from bot.periods import Period, last_monday
from bot.replies.commands import closest_command
from bot.rounds import preview_round, require_approval, run_round
from bot.runtime.rex import Rex
from handlers.context import language_of, rex_of, session_of
from handlers.home_tab import publish_home
from handlers.listening import Refusal, answered, committed
from handlers.outbox import delivery
from handlers.views.digest import digest_blocks, digest_title
from handlers.views.help import help_blocks
from handlers.views.kit import MENTION, escape, mention, section
from handlers.views.members import forget_blocks, join_modal, profile_blocks, status_text
from handlers.views.rounds import preview_blocks
from storage.models import MemberStatus, SkillKind

Subcommand = Callable[[str, dict[str, Any], BoltContext, WebClient, Respond], None]
DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


# Keys chosen by a value: each a literal, so the extractor finds them all.
SKILL_USAGE: Final = {
    SkillKind.TEACH: N_("skill.usage.teach"),
    SkillKind.LEARN: N_("skill.usage.learn"),
}
SKILL_ADDED: Final = {
    SkillKind.TEACH: N_("skill.added.teach"),
    SkillKind.LEARN: N_("skill.added.learn"),
}
APPROVAL: Final = {"on": N_("approval.on"), "off": N_("approval.off")}


def _say(respond: Respond, text: str) -> None:
    respond(text=text, response_type="ephemeral")


def show_help(
    unknown: str | None, command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    """The commands, after a word on the unknown one (and the closest command) if any."""
    lang = language_of(context)
    prefix = None
    if unknown:
        suggestion = closest_command(unknown)
        prefix = (
            t("did_you_mean", lang, command=escape(unknown[:40]), suggestion=suggestion)
            if suggestion
            else t("unknown_command", lang, command=escape(unknown[:40]))
        )
    is_admin = rex_of(context).is_admin(command["user_id"])
    respond(
        blocks=help_blocks(lang, is_admin=is_admin, prefix=prefix),
        text=prefix or t("help", lang),
        response_type="ephemeral",
    )


def _help(
    _: str, command: dict[str, Any], context: BoltContext, __: WebClient, respond: Respond
) -> None:
    show_help(None, command, context, respond)


def _join(
    _: str, command: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    lang = language_of(context)
    profile = members.profile(session_of(context), slack_id=command["user_id"])
    if profile is not None and profile.member.status != MemberStatus.LEFT:
        respond(
            blocks=[section(t("join.already", lang)), *profile_blocks(profile, lang)],
            text=t("join.already", lang),
            response_type="ephemeral",
        )
        return
    client.views_open(trigger_id=command["trigger_id"], view=join_modal(lang))


def _changing(
    change: Callable[[str, dict[str, Any], BoltContext, Rex], str],
) -> Subcommand:
    """A subcommand that changes the member's data and says how: once committed, its answer
    given and the Home tab republished (in the language it may just have set)."""

    def run(
        text: str,
        command: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        respond: Respond,
    ) -> None:
        refused = answered(respond, language_of(context), response_type="ephemeral")
        done = committed(context, lambda: change(text, command, context, rex_of(context)), refused)
        if done is not None:
            _say(respond, done.value)
            publish_home(session_of(context), client, command["user_id"], language_of(context))

    return run


def _add_skill(kind: SkillKind) -> Subcommand:
    def add(text: str, command: dict[str, Any], context: BoltContext, rex: Rex) -> str:
        lang = language_of(context)
        if not text:
            return t(SKILL_USAGE[kind], lang)
        label, added = members.add_skill(
            session_of(context),
            slack_id=command["user_id"],
            kind=kind,
            raw_label=text,
            now=rex.clock(),
        )
        rex.remember_labels([label])
        key = SKILL_ADDED[kind] if added else N_("skill.known")
        return t(key, lang, skill=escape(label))

    return _changing(add)


def _remove(text: str, command: dict[str, Any], context: BoltContext, rex: Rex) -> str:
    lang = language_of(context)
    if not text:
        return t("skill.usage.remove", lang)
    gone = members.remove_skill(session_of(context), slack_id=command["user_id"], raw_label=text)
    return t("skill.removed", lang, skill=escape(gone[0].label))


def _pause(text: str, command: dict[str, Any], context: BoltContext, rex: Rex) -> str:
    """`/rex pause` or `/rex pause until 2026-12-24`: resumes on that day, member's time."""
    lang = language_of(context)
    session = session_of(context)
    until = _pause_end(context, command["user_id"], text) if text else None
    members.pause(session, slack_id=command["user_id"], until=until, now=rex.clock())
    if until is not None:
        return t("paused.until", lang, date=until.date().isoformat())
    return t("paused", lang)


def _pause_end(context: BoltContext, slack_id: str, text: str) -> datetime:
    default_tz = rex_of(context).settings.rex_timezone
    return members.pause_end(
        session_of(context), slack_id=slack_id, text=text, default_tz=default_tz
    )


def _resume(_: str, command: dict[str, Any], context: BoltContext, rex: Rex) -> str:
    members.resume(session_of(context), slack_id=command["user_id"])
    return t("resumed", language_of(context))


def _leave(_: str, command: dict[str, Any], context: BoltContext, rex: Rex) -> str:
    members.leave(session_of(context), slack_id=command["user_id"], now=rex.clock())
    return t("left", language_of(context))


def _avoid(text: str, command: dict[str, Any], context: BoltContext, rex: Rex) -> str:
    """Add someone to the confidential avoid list; with nobody named, show the list."""
    lang = language_of(context)
    found = MENTION.search(text)
    if found is None:
        profile = members.profile(session_of(context), slack_id=command["user_id"])
        if profile is None or profile.member.status == MemberStatus.LEFT:
            raise members.NotMember(command["user_id"])
        listed = ", ".join(mention(p) for p in profile.avoided)
        usage = t("avoid.usage", lang)
        return f"{usage}\n{t('avoid.list', lang, people=listed)}" if listed else usage
    other = found.group(1)
    added = members.avoid(session_of(context), slack_id=command["user_id"], other=other)
    return t(N_("avoid.added") if added else N_("avoid.known"), lang, who=mention(other))


def _language(text: str, command: dict[str, Any], context: BoltContext, rex: Rex) -> str:
    """`/rex language fr`: the member's choice among Rex's languages, over their Slack
    locale."""
    choice = text.strip().lower()[:2]
    if choice not in l10n.LANGUAGES:
        choices = ", ".join(f"`{code}`" for code in l10n.LANGUAGES)
        return t("language.usage", language_of(context), languages=choices)
    members.set_language(session_of(context), slack_id=command["user_id"], language=choice)
    context["lang"] = choice
    return t("language.set", choice)


def _me(
    text: str, command: dict[str, Any], context: BoltContext, __: WebClient, respond: Respond
) -> None:
    lang = language_of(context)
    if text.strip().lower() in ("hours", "heures"):
        _say(respond, _attestation(command["user_id"], context, lang))
        return
    profile = members.profile(session_of(context), slack_id=command["user_id"])
    if profile is None or profile.member.status == MemberStatus.LEFT:
        _say(respond, t("not_member", lang))
        return
    respond(
        blocks=profile_blocks(profile, lang),
        text=t("me.title", lang, status=status_text(profile, lang)),
        response_type="ephemeral",
    )


def _attestation(slack_id: str, context: BoltContext, lang: str) -> str:
    """`/rex me hours`: the member's own learning time, per skill, to show as training."""
    lines = [
        t(
            "hours.line",
            lang,
            skill=escape(row.skill),
            taught=l10n.number(row.taught, lang),
            learned=l10n.number(row.learned, lang),
        )
        for row in records.attestation(session_of(context), slack_id=slack_id)
    ]
    return "\n".join([t("hours.title", lang), *(lines or [t("hours.none", lang)])])


def _mydata(
    _: str, command: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    """Everything Rex stores about the person, as a JSON file in their DM with Rex."""
    lang = language_of(context)
    slack_id = command["user_id"]
    refused = answered(respond, lang, response_type="ephemeral")
    exported = committed(
        context, lambda: privacy.export(session_of(context), slack_id=slack_id), refused
    )
    if exported is None:
        return
    data = exported.value
    channel = client.conversations_open(users=slack_id)["channel"]["id"]
    client.files_upload_v2(
        channel=channel,
        filename="rex-my-data.json",
        title=t("mydata.title", lang),
        content=json.dumps(data, ensure_ascii=False, indent=2),
    )
    _say(respond, t("mydata.sent", lang))


def _forget_me(
    _: str, command: dict[str, Any], context: BoltContext, __: WebClient, respond: Respond
) -> None:
    lang = language_of(context)
    if members.profile(session_of(context), slack_id=command["user_id"]) is None:
        _say(respond, t("not_member", lang))
        return
    respond(
        blocks=forget_blocks(lang),
        text=t("forget.confirm", lang),
        response_type="ephemeral",
    )


def _admin(
    text: str, command: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    """`/rex admin <word> ...`, for Rex's admins only; an unknown word gets the usage."""
    lang = language_of(context)
    if not rex_of(context).is_admin(command["user_id"]):
        _say(respond, t("admin.only", lang))
        return
    action, _, rest = text.partition(" ")
    handler = ADMIN_SUBCOMMANDS.get(action.lower())
    if handler is None:
        _say(respond, t(ADMIN_USAGE, lang))
        return
    handler(rest, command, context, client, respond)


def _round(
    _: str, command: dict[str, Any], context: BoltContext, __: WebClient, respond: Respond
) -> None:
    rex = rex_of(context)
    session = session_of(context)
    result = run_round(session, config=rex.round_config, now=rex.clock())
    session.commit()
    _say(respond, tn("round.done", len(result.exchanges), language_of(context)))
    delivery.wake(rex)


def _preview(
    _: str, command: dict[str, Any], context: BoltContext, __: WebClient, respond: Respond
) -> None:
    lang = language_of(context)
    rex = rex_of(context)
    result = preview_round(session_of(context), config=rex.round_config, now=rex.clock())
    respond(
        blocks=preview_blocks(result, lang),
        text=t("preview.title", lang),
        response_type="ephemeral",
    )


def _digest(
    text: str, command: dict[str, Any], context: BoltContext, __: WebClient, respond: Respond
) -> None:
    """Post the digest to its channel now (by the outbox), for `week|month|quarter`."""
    lang = language_of(context)
    rex = rex_of(context)
    channel = rex.settings.rex_digest_channel
    if not channel:
        _say(respond, t("digest.no_channel", lang))
        return
    session = session_of(context)
    outbox.owe_digest(
        session,
        channel=channel,
        tz=rex.settings.timezone,
        now=rex.clock(),
        weeks=_period_weeks(text),
    )
    session.commit()
    delivery.wake(rex)
    _say(respond, t("digest.posted", lang, channel=channel))


def _stats(
    text: str, command: dict[str, Any], context: BoltContext, __: WebClient, respond: Respond
) -> None:
    """The digest, shown to the admin alone."""
    lang = language_of(context)
    rex = rex_of(context)
    monday = last_monday(rex.clock(), rex.settings.timezone)
    period = Period.weeks_to(monday, weeks=_period_weeks(text), tz=rex.settings.timezone)
    report = compute_digest(session_of(context), period=period)
    respond(
        blocks=digest_blocks(report, lang),
        text=digest_title(period, lang),
        response_type="ephemeral",
    )


def _export_records(
    text: str, command: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    """`/rex admin export [csv|xapi] [since] [until]`: the learning records, as a file in
    the admin's DM (the last 30 days by default)."""
    lang = language_of(context)
    rex = rex_of(context)
    words = text.split()
    form = words[0].lower() if words and words[0].lower() in ("csv", "xapi") else "csv"
    days = [w for w in words if DATE.fullmatch(w)]
    try:
        until = date.fromisoformat(days[1]) if len(days) > 1 else rex.clock().date()
        since = date.fromisoformat(days[0]) if days else until - timedelta(days=30)
    except ValueError:
        _say(respond, t("export.usage", lang))
        return
    zone = rex.settings.timezone
    rows = records.learning_records(
        session_of(context),
        since=datetime.combine(since, time.min, tzinfo=zone),
        until=datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone),
    )
    if form == "csv":
        content = records.EXCEL_BOM + records.to_csv(
            rows, tz=zone, language=rex.settings.rex_language
        )
    else:
        workspace = str(client.auth_test()["url"]).rstrip("/")
        base = records.public_base(rex.settings.rex_public_url, workspace)
        content = records.xapi_json(rows, homepage=workspace, base=base)
    channel = client.conversations_open(users=command["user_id"])["channel"]["id"]
    name = f"rex-learning-records-{since}-{until}.{'csv' if form == 'csv' else 'json'}"
    client.files_upload_v2(channel=channel, filename=name, title=name, content=content)
    _say(respond, t("export.sent", lang, count=len(rows), format=form.upper()))


def _approval(
    text: str, command: dict[str, Any], context: BoltContext, __: WebClient, respond: Respond
) -> None:
    """Whether the managers review each round's proposals before anyone is told."""
    lang = language_of(context)
    rex = rex_of(context)
    choice = text.strip().lower()
    channel = rex.settings.rex_managers_channel
    if choice not in ("on", "off"):
        _say(respond, t(ADMIN_USAGE, lang))
        return
    if choice == "on" and not channel:
        _say(respond, t("approval.no_channel", lang))
        return
    session = session_of(context)
    require_approval(session, on=choice == "on", now=rex.clock())
    session.commit()
    _say(respond, t(APPROVAL[choice], lang, channel=channel or ""))


def _pause_someone(
    text: str, command: dict[str, Any], context: BoltContext, __: WebClient, respond: Respond
) -> None:
    lang = language_of(context)
    found = MENTION.search(text)
    if found is None:
        _say(respond, t(ADMIN_USAGE, lang))
        return
    slack_id = found.group(1)
    who = mention(slack_id)

    def pause() -> None:
        members.pause(
            session_of(context), slack_id=slack_id, until=None, now=rex_of(context).clock()
        )

    def not_member(_: Refusal) -> None:
        _say(respond, t("admin.not_member", lang, who=who))

    if committed(context, pause, not_member) is not None:
        _say(respond, t("admin.paused", lang, who=who))


PERIODS = {"week": 1, "month": 4, "quarter": 13, "semaine": 1, "mois": 4, "trimestre": 13}


def _period_weeks(text: str) -> int:
    """`digest [week|month|quarter]` (or French): how many whole weeks, one by default."""
    words = text.lower().split()
    return PERIODS.get(words[0], 1) if words else 1


def _leaderboard(text: str, command: dict[str, Any], context: BoltContext, rex: Rex) -> str:
    """`/rex leaderboard on|off`: whether the digest may name me among those who shared most."""
    lang = language_of(context)
    choice = text.strip().lower()
    if choice not in ("on", "off", "oui", "non"):
        return t("leaderboard.usage", lang)
    visible = choice in ("on", "oui")
    members.set_leaderboard(session_of(context), slack_id=command["user_id"], visible=visible)
    return t(N_("leaderboard.on") if visible else N_("leaderboard.off"), lang)


SUBCOMMANDS: dict[str, Subcommand] = {
    "help": _help,
    "join": _join,
    "teach": _add_skill(SkillKind.TEACH),
    "learn": _add_skill(SkillKind.LEARN),
    "remove": _changing(_remove),
    "me": _me,
    "pause": _changing(_pause),
    "resume": _changing(_resume),
    "leave": _changing(_leave),
    "avoid": _changing(_avoid),
    "mydata": _mydata,
    "forget-me": _forget_me,
    "language": _changing(_language),
    "leaderboard": _changing(_leaderboard),
    "admin": _admin,
}

# `/rex admin <word>`: each word's handler gets the text after it. The usage lists them all.
ADMIN_USAGE: Final = N_("admin.usage")
ADMIN_SUBCOMMANDS: dict[str, Subcommand] = {
    "round": _round,
    "preview": _preview,
    "export": _export_records,
    "digest": _digest,
    "stats": _stats,
    "approval": _approval,
    "pause": _pause_someone,
}
