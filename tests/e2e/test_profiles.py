"""End to end: profiles people keep, the App Home, and their data rights (issue 5)."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect, text
from sqlmodel import Session, select

from bot import members
from bot.digest.compute import compute_digest
from bot.i18n import l10n
from bot.offline.sandbox import Sandbox
from bot.periods import Period
from bot.serve import jobs
from handlers.ids import ActionId, BlockId, CallbackId
from storage import repo
from storage.models import Avoidance, Exchange, MemberStatus, Skill, SkillKind
from tests.support.slack import (
    dm_texts,
    evaluate_follow_up,
    join_ada_and_bob,
    member,
    opened_intro,
    rows,
    save_profile,
)

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _home_text(sandbox: Sandbox, slack_id: str) -> str:
    home = sandbox.fake.home(slack_id)
    assert home is not None
    return json.dumps(home["blocks"], ensure_ascii=False)


def test_suggestions_offer_network_labels_and_the_typed_wording(sandbox: Sandbox) -> None:
    sandbox.join("UADA", ["Kubernetes", "Excel"], ["Public speaking"])
    sandbox.driver.command("UBOB", "join")
    sandbox.settle()
    answer = sandbox.driver.options(
        "UBOB", ActionId.SKILL_SEARCH, "kubernets", block_id=BlockId.LEARN_SKILLS
    )
    assert answer.status == 200 and answer.json is not None
    values = [o["value"] for o in answer.json["options"]]
    assert values[0] == "kubernets" and "Kubernetes" in values[:3]
    answer = sandbox.driver.options(
        "UBOB", ActionId.SKILL_SEARCH, "<!channel>", block_id=BlockId.LEARN_SKILLS
    )
    assert answer.json is not None
    assert answer.json["options"][0]["text"]["type"] == "plain_text"


def test_rex_alone_opens_the_profile_and_saving_updates_it_and_the_home(sandbox: Sandbox) -> None:
    sandbox.driver.command("UCLE", "")
    sandbox.settle()
    join_view = sandbox.fake.last_view("UCLE")
    assert join_view is not None and join_view["callback_id"] == CallbackId.JOIN
    join_ada_and_bob(sandbox)
    sandbox.driver.command("UADA", "")
    sandbox.settle()
    view = sandbox.fake.last_view("UADA")
    assert view is not None and view["callback_id"] == CallbackId.PROFILE
    answer = sandbox.submit(
        "UADA",
        {
            BlockId.TEACH_SKILLS: ["Python", "Excel", "SQL"],
            BlockId.LEARN_SKILLS: [],
            BlockId.PROFILE_BIO: "Data analyst, Lyon. Café first!",
            BlockId.PROFILE_LANGUAGES: ["fr", "en"],
            BlockId.PROFILE_PREFERENCE: "in_person",
        },
    )
    assert answer.status == 200 and not answer.body
    ada = member(sandbox, "UADA")
    assert (ada.bio, ada.languages, ada.preference) == (
        "Data analyst, Lyon. Café first!",
        "en,fr",
        "in_person",
    )
    home = _home_text(sandbox, "UADA")
    assert "*SQL*" in home and "incomplete" in home and "nothing to learn yet" in home
    sandbox.driver.command("UADA", "")
    sandbox.settle()
    too_long = sandbox.submit("UADA", {BlockId.PROFILE_BIO: "x" * 501})
    assert too_long.json == {
        "response_action": "errors",
        "errors": {BlockId.PROFILE_BIO: "At most 500 characters here."},
    }
    assert member(sandbox, "UADA").bio == "Data analyst, Lyon. Café first!"


def test_remove_and_its_refusals(sandbox: Sandbox) -> None:
    join_ada_and_bob(sandbox)
    assert sandbox.command("UADA", "remove excel") == ["Removed *Excel* from your profile."]
    assert sandbox.command("UADA", "remove <b>Go</b>") == [
        "*&lt;b&gt;Go&lt;/b&gt;* isn't in your profile."
    ]
    assert sandbox.command("UADA", "remove") == ["Tell me the skill: `/rex remove Excel`"]
    assert sandbox.command("UCLE", "remove Excel") == [
        "You haven't joined Rex yet: type `/rex join` to start."
    ]


def test_sixteenth_skill_and_bad_input_are_refused(sandbox: Sandbox) -> None:
    join_ada_and_bob(sandbox)
    for skill in (
        "SQL",
        "Git",
        "Docker",
        "Kubernetes",
        "Java",
        "Rust",
        "Go",
        "Figma",
        "Scrum",
        "Photoshop",
        "Spanish",
        "German",
        "Negotiation",
    ):
        assert sandbox.command("UADA", f"teach {skill}")[0].startswith("Added")
    assert sandbox.command("UADA", "teach One too many") == ["At most 15 skills here."]
    assert sandbox.command("UADA", "teach \u202eevil") == [
        "A skill can't contain control characters."
    ]
    assert sandbox.command("UADA", "learn Café crème ☕") == [
        "Added *Café crème ☕* to what you want to learn."
    ]


def test_two_identical_teach_at_once_add_one_skill_and_both_are_answered(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race a double submit (or two replicas) makes: the other request adds the skill
    between this one's read and its insert. This one breaks the unique constraint, runs
    again, and says the skill is already there."""
    join_ada_and_bob(sandbox)
    read_skills = repo.skills_of

    def the_other_request_wins(session: Session, *, member_id: int) -> list[Skill]:
        stale = read_skills(session, member_id=member_id)
        monkeypatch.setattr(repo, "skills_of", read_skills)  # only the first read races
        with Session(sandbox.rex.engine) as other:
            members.add_skill(
                other, slack_id="UADA", kind=SkillKind.TEACH, raw_label="SQL", now=NOW
            )
            other.commit()
        return stale

    monkeypatch.setattr(repo, "skills_of", the_other_request_wins)
    assert sandbox.command("UADA", "teach sql") == ["*SQL* is already in your profile."]
    with Session(sandbox.rex.engine) as session:
        labels = session.exec(select(Skill.label).where(Skill.kind == SkillKind.TEACH)).all()
    assert sorted(labels) == ["Excel", "Python", "SQL", "public speaking"]


def test_pause_until_a_date_then_resume_automatically(sandbox: Sandbox) -> None:
    join_ada_and_bob(sandbox)
    until = (sandbox.clock() + timedelta(days=10)).date().isoformat()
    [answer] = sandbox.command("UBOB", f"pause until {until}")
    assert answer.startswith(f"Paused until {until}.")
    assert sandbox.command("UBOB", "pause until 1999-01-01") == [
        "Pick a date in the future, within 366 days."
    ]
    assert "paused until" in _home_text(sandbox, "UBOB")
    sandbox.command("UADMIN", "admin round")
    assert sandbox.fake.calls_to("conversations.open") == []
    sandbox.clock.advance(days=11)
    jobs.resume_paused(sandbox.rex)
    assert member(sandbox, "UBOB").status == MemberStatus.ACTIVE
    sandbox.command("UADMIN", "admin round")
    assert len(sandbox.fake.calls_to("conversations.open")) == 1


def test_avoid_is_confidential_and_respected_by_rounds(sandbox: Sandbox) -> None:
    join_ada_and_bob(sandbox)
    assert sandbox.command("UADA", "avoid <@UADA|ada>") == ["You can't avoid yourself."]
    [added] = sandbox.command("UADA", "avoid <@UBOB|bob>")
    assert added.startswith("Noted, confidentially: I'll never match you with <@UBOB>.")
    assert sandbox.command("UADA", "avoid <@UBOB>") == ["<@UBOB> is already on your list."]
    [listed] = sandbox.command("UADA", "avoid")
    assert "Only you can see this list: <@UBOB>" in listed
    assert "UADA" not in json.dumps(
        [
            c.body
            for c in sandbox.fake.calls_to("chat.postMessage")
            if c.body.get("channel") == "UBOB"
        ]
    )
    sandbox.command("UADMIN", "admin round")
    assert sandbox.fake.calls_to("conversations.open") == []


def test_mydata_sends_a_json_file_of_everything(sandbox: Sandbox) -> None:
    join_ada_and_bob(sandbox)
    sandbox.command("UADA", "avoid <@UCLE>")
    assert sandbox.command("UADA", "mydata") == [
        "I've sent you everything Rex stores about you as a JSON file, in our DM."
    ]
    [stored] = sandbox.fake.files.values()
    assert stored.name == "rex-my-data.json" and stored.channel == sandbox.fake.dm_channel("UADA")
    assert stored.data is not None
    data = json.loads(stored.data)
    assert data["member"]["slack_id"] == "UADA"
    assert sorted(s["label"] for s in data["skills"]) == ["Excel", "Public speaking", "Python"]
    assert data["avoid"] == ["UCLE"]


def _click_ephemeral(sandbox: Sandbox, user_id: str, action_id: str) -> None:
    message = next(
        m
        for m in reversed(sandbox.fake.ephemerals(user_id))
        if action_id in json.dumps(m.get("blocks", []))
    )
    sandbox.click(user_id, action_id, message["channel"], message["ts"])


def _every_value(sandbox: Sandbox) -> str:
    """Every cell of every table, as text, to search for someone's traces."""
    cells: list[str] = []
    with sandbox.rex.engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            for row in connection.execute(text(f"SELECT * FROM {table}")):
                cells.extend(str(value) for value in row)
    return "\n".join(cells)


def test_forget_me_leaves_no_personal_data_and_keeps_totals(sandbox: Sandbox) -> None:
    join_ada_and_bob(sandbox)
    sandbox.command("UBOB", "avoid <@UCLE>")
    sandbox.join("UCLE", ["Cooking"], ["Rust"])
    sandbox.command("UCLE", "avoid <@UBOB>")
    sandbox.command("UADMIN", "admin round")
    sandbox.clock.advance(days=8)
    from handlers.outbox import delivery

    delivery.sweep(sandbox.rex)
    for user_id, hours in (("UBOB", "2"), ("UADA", "1.5")):
        values: dict[str, Any] = {
            BlockId.EVAL_SATISFACTION: "4",
            BlockId.EVAL_HOURS: hours,
            BlockId.EVAL_COMMENT: "Bob was great",
        }
        if user_id == "UBOB":
            values[BlockId.EVAL_GOAL] = "yes"
        evaluate_follow_up(sandbox, user_id, values)
    window = Period(sandbox.clock() - timedelta(days=30), sandbox.clock() + timedelta(days=1))
    with Session(sandbox.rex.engine) as session:
        before = compute_digest(session, period=window).current
    assert "UBOB" in _every_value(sandbox)
    [confirm] = sandbox.command("UBOB", "forget-me")
    assert "can't be undone" in confirm
    _click_ephemeral(sandbox, "UBOB", ActionId.FORGET)
    assert sandbox.fake.ephemerals("UBOB")[-1]["text"].startswith("Done: your data is deleted")
    everything = _every_value(sandbox)
    for trace in ("UBOB", "bob", "Bob Martin"):
        assert trace not in everything, trace
    with Session(sandbox.rex.engine) as session:
        after = compute_digest(session, period=window).current
        assert session.exec(select(Avoidance)).all() == []
        assert all(
            s.member_id != member(sandbox, "UADA").id or True
            for s in session.exec(select(Skill)).all()
        )
    for figure in ("proposed", "held", "evaluations", "satisfaction_rate", "goals_yes", "hours"):
        assert getattr(after, figure) == getattr(before, figure), figure
    assert len(rows(sandbox, Exchange)) == 1


def test_home_tab_buttons(sandbox: Sandbox) -> None:
    join_ada_and_bob(sandbox)
    sandbox.driver.event({"type": "app_home_opened", "user": "UADA", "tab": "home"})
    sandbox.settle()
    home = _home_text(sandbox, "UADA")
    assert "*Python*" in home and "*Status:* active" in home
    assert "taught 0 h · learned 0 h" in home
    assert member(sandbox, "UADA").tz == "Europe/Paris"  # from users.info, never asked
    sandbox.driver.click("UADA", ActionId.ADD_SKILL)
    sandbox.settle()
    refused = sandbox.submit(
        "UADA",
        {BlockId.SKILL_KIND: "learn", BlockId.SKILL_LABEL: "Go", BlockId.SKILL_LEVEL: "expert"},
    )
    assert refused.json is not None and BlockId.SKILL_LEVEL in refused.json["errors"]
    sandbox.submit(
        "UADA",
        {
            BlockId.SKILL_KIND: "learn",
            BlockId.SKILL_LABEL: "Go",
            BlockId.SKILL_LEVEL: "beginner",
            BlockId.SKILL_NOTE: "concurrency",
        },
    )
    assert "*Go* (beginner) – concurrency" in _home_text(sandbox, "UADA")
    sandbox.driver.click("UADA", ActionId.PAUSE)
    sandbox.settle()
    until = (sandbox.clock() + timedelta(days=3)).date().isoformat()
    sandbox.submit("UADA", {BlockId.PAUSE_UNTIL: until})
    shown = l10n.day(datetime.fromisoformat(until).replace(hour=12, tzinfo=UTC), "en")
    assert f"paused until {shown}" in _home_text(sandbox, "UADA")  # e.g. "Dec 3, 2026"
    sandbox.driver.click("UADA", ActionId.RESUME)
    sandbox.settle()
    assert "*Status:* active" in _home_text(sandbox, "UADA")
    sandbox.driver.click("UADA", ActionId.MATCH_NOW)
    sandbox.settle()
    assert len(sandbox.fake.calls_to("conversations.open")) == 1
    assert "Found you 1 introduction" in json.dumps(
        [m.get("text") for m in sandbox.fake.messages(sandbox.fake.dm_channel("UADA"))]
    )
    home = _home_text(sandbox, "UADA")
    assert "*Open exchanges*" in home and "<@UBOB>" in home and "proposed" in home


HOSTILE = st.one_of(
    st.text(min_size=1, max_size=100),
    st.sampled_from(
        [
            "<!channel>",
            "<!here|here>",
            "<@UADA>",
            "<https://evil|click>",
            "*bold*",
            "&amp;",
            "a\x00b",
            "\u202e",
            "x" * 200,
            "   ",
            "`code`",
            "> quote",
        ]
    ),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(label=HOSTILE, kind=st.sampled_from(["teach", "learn"]))
def test_hostile_skills_never_crash_or_reach_slack_unescaped(
    sandbox: Sandbox, label: str, kind: str
) -> None:
    if sandbox.fake.user("UZED") is None:
        sandbox.add_person("UZED", "Zed")
        sandbox.join("UZED", ["Go"], ["Rust"])
    for answer in sandbox.command("UZED", f"{kind} {label}"):
        assert answer and "Traceback" not in answer and "Error" not in answer
        assert "<" not in answer and ">" not in answer.replace("&gt;", "")
        assert not any(ord(ch) < 32 and ch != "\n" for ch in answer)


# ---- who can meet (issue 13): the site in the profile, and rounds that respect it -------


def test_the_profile_modal_saves_the_site_and_shows_it_everywhere(sandbox: Sandbox) -> None:
    join_ada_and_bob(sandbox)
    answer = save_profile(
        sandbox,
        "UADA",
        ["Python"],
        ["Public speaking"],
        **{BlockId.PROFILE_PREFERENCE: "in_person", BlockId.PROFILE_SITE: "  Saint-Étienne  "},
    )
    assert answer.status == 200 and not answer.body
    assert member(sandbox, "UADA").site == "Saint-Étienne"
    sandbox.driver.command("UADA", "")
    sandbox.settle()
    view = sandbox.fake.last_view("UADA")
    assert view is not None
    [site] = [b for b in view["blocks"] if b.get("block_id") == BlockId.PROFILE_SITE]
    assert site["element"]["initial_value"] == "Saint-Étienne" and site["optional"] is True
    assert "*Site:* Saint-Étienne" in _home_text(sandbox, "UADA")
    [me] = sandbox.command("UADA", "me")
    assert (
        "*Meets:* in person · *Languages:* EN (from your Slack settings; tick yours with "
        "`/rex`) · *Site:* Saint-Étienne" in me
    )
    sandbox.command("UADA", "mydata")
    [stored] = sandbox.fake.files.values()
    assert stored.data is not None
    assert json.loads(stored.data)["member"]["site"] == "Saint-Étienne"
    too_long = save_profile(sandbox, "UADA", ["Python"], [], **{BlockId.PROFILE_SITE: "x" * 81})
    assert too_long.json == {
        "response_action": "errors",
        "errors": {BlockId.PROFILE_SITE: "At most 80 characters here."},
    }
    save_profile(sandbox, "UADA", ["Python"], ["Public speaking"], **{BlockId.PROFILE_SITE: ""})
    assert member(sandbox, "UADA").site is None


def test_in_person_without_a_site_is_asked_for_one(sandbox: Sandbox) -> None:
    join_ada_and_bob(sandbox)
    save_profile(
        sandbox,
        "UBOB",
        ["public speaking"],
        ["python"],
        **{BlockId.PROFILE_PREFERENCE: "in_person"},
    )
    hint = "your profile has no site, so I can't introduce you to anyone yet"
    assert hint in _home_text(sandbox, "UBOB")
    [me] = sandbox.command("UBOB", "me")
    assert hint in me
    sandbox.command("UADMIN", "admin round")
    assert sandbox.fake.calls_to("conversations.open") == []
    [notice] = [t for t in dm_texts(sandbox, "UBOB") if "this round" in t]
    assert "you'd like to meet in person, but your profile has no site" in notice
    save_profile(
        sandbox,
        "UBOB",
        ["public speaking"],
        ["python"],
        **{BlockId.PROFILE_PREFERENCE: "in_person", BlockId.PROFILE_SITE: "Lyon"},
    )
    assert hint not in _home_text(sandbox, "UBOB")


def test_a_round_keeps_in_person_exchanges_on_one_site(sandbox: Sandbox) -> None:
    join_ada_and_bob(sandbox)
    in_person = {BlockId.PROFILE_PREFERENCE: "in_person"}
    save_profile(
        sandbox,
        "UADA",
        ["Python"],
        ["Public speaking"],
        **in_person,
        **{BlockId.PROFILE_SITE: "Toulouse"},
    )
    save_profile(
        sandbox,
        "UBOB",
        ["public speaking"],
        ["python"],
        **in_person,
        **{BlockId.PROFILE_SITE: "Lyon"},
    )
    sandbox.command("UADMIN", "admin round")
    assert sandbox.fake.calls_to("conversations.open") == []
    [notice] = [t for t in dm_texts(sandbox, "UBOB") if "this round" in t]
    assert "the only person who teaches *python* works in Toulouse, and you asked" in notice
    save_profile(
        sandbox,
        "UBOB",
        ["public speaking"],
        ["python"],
        **in_person,
        **{BlockId.PROFILE_SITE: "toulouze"},
    )
    sandbox.clock.advance(days=7)
    sandbox.command("UADMIN", "admin round")
    _, intro = opened_intro(sandbox)
    assert "works in Toulouse" in json.dumps(intro.get("blocks", []), ensure_ascii=False)


def test_people_without_a_language_in_common_are_told_so(sandbox: Sandbox) -> None:
    sandbox.add_person("UFRA", "Françoise Martin", locale="fr-FR")
    assert sandbox.join("UFRA", ["Python"], ["Public speaking"]).status == 200
    assert sandbox.join("UBOB", ["public speaking"], ["python"]).status == 200
    sandbox.command("UADMIN", "admin round")
    assert sandbox.fake.calls_to("conversations.open") == []  # French only, English only
    [notice] = [t for t in dm_texts(sandbox, "UBOB") if "this round" in t]
    assert "nobody who speaks English teaches *python* yet" in notice
    [avis] = [t for t in dm_texts(sandbox, "UFRA") if "à ce tour" in t]
    assert "personne qui parle français n’enseigne encore *Public speaking*" in avis
    save_profile(
        sandbox,
        "UFRA",
        ["Python"],
        ["Public speaking"],
        **{BlockId.PROFILE_LANGUAGES: ["fr", "en"]},
    )
    sandbox.clock.advance(days=7)
    sandbox.command("UADMIN", "admin round")
    assert len([c for c in sandbox.fake.calls_to("conversations.open") if not c.faulted]) == 1
