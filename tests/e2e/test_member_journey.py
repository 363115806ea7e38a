"""End to end: the real Bolt app over HTTP, signed requests, the fake Slack recording calls."""

import io
import json
import urllib.request

from matplotlib.image import imread

from bot.charts import HEIGHT, WIDTH
from bot.offline.sandbox import Sandbox
from handlers.ids import ActionId, BlockId, CallbackId
from handlers.outbox import delivery
from storage.models import (
    Evaluation,
    Exchange,
    ExchangeState,
    Member,
    MemberStatus,
    Setting,
    Skill,
)
from tests.support.slack import dm_texts, evaluate_follow_up, join_ada_and_bob, opened_intro, rows

# --- joining ------------------------------------------------------------------------------


def test_join_opens_the_charter_modal_and_stores_the_profile(sandbox: Sandbox) -> None:
    sandbox.driver.command("UADA", "join")
    sandbox.settle()
    view = sandbox.fake.last_view("UADA")
    assert view is not None and view["callback_id"] == CallbackId.JOIN
    text = json.dumps(view)
    assert "Voluntary" in text and "Reciprocal" in text and "Confidential" in text
    assert [b.get("block_id") for b in view["blocks"][1:]] == [
        BlockId.TEACH_SKILLS,
        BlockId.LEARN_SKILLS,
        BlockId.JOIN_AGREE,
    ]
    answer = sandbox.submit(
        "UADA",
        {
            BlockId.TEACH_SKILLS: ["Python", "  Excel   pivot tables ", "python"],
            BlockId.LEARN_SKILLS: ["Prise de parole en public"],
            BlockId.JOIN_AGREE: ["agree"],
        },
    )
    assert answer.status == 200 and not answer.body
    skills = sorted((s.kind, s.label) for s in rows(sandbox, Skill))
    assert skills == [
        ("learn", "Prise de parole en public"),
        ("teach", "Excel pivot tables"),
        ("teach", "Python"),
    ]
    assert "Welcome to Rex" in dm_texts(sandbox, "UADA")[-1]


def test_join_without_reciprocity_or_charter_is_refused_in_the_modal(sandbox: Sandbox) -> None:
    for teach, learn, agree, block in (
        ([], ["Excel"], True, BlockId.TEACH_SKILLS),
        (["Excel"], ["  "], True, BlockId.LEARN_SKILLS),
        (["Excel"], ["Python"], False, BlockId.JOIN_AGREE),
        (["x" * 81], ["Python"], True, BlockId.TEACH_SKILLS),
    ):
        answer = sandbox.join("UADA", teach, learn, agree=agree)
        assert answer.json is not None and answer.json["response_action"] == "errors"
        assert list(answer.json["errors"]) == [block]
    assert rows(sandbox, Member) == [] and rows(sandbox, Skill) == []


def test_join_when_already_a_member_shows_the_profile(sandbox: Sandbox) -> None:
    join_ada_and_bob(sandbox)
    [text] = sandbox.command("UADA", "join")
    assert "already a member" in text and "*Python*" in text


# --- commands -----------------------------------------------------------------------------


def test_teach_learn_and_me(sandbox: Sandbox) -> None:
    join_ada_and_bob(sandbox)
    assert sandbox.command("UADA", "teach SQL") == ["Added *SQL* to what you can teach."]
    assert sandbox.command("UADA", "teach sql") == ["*SQL* is already in your profile."]
    assert sandbox.command("UADA", "learn Kubernetes") == [
        "Added *Kubernetes* to what you want to learn."
    ]
    [profile] = sandbox.command("UADA", "me")
    assert "*Python*, *Excel*, *SQL*" in profile and "*Public speaking*, *Kubernetes*" in profile
    assert "Tell me the skill" in sandbox.command("UADA", "teach")[0]


def test_user_text_is_escaped_and_pings_nobody(sandbox: Sandbox) -> None:
    join_ada_and_bob(sandbox)
    [answer] = sandbox.command("UADA", "teach <!channel> & <@UBOB>")
    assert answer == "Added *&lt;!channel&gt; &amp; &lt;@UBOB&gt;* to what you can teach."
    [refused] = sandbox.command("UADA", "learn " + "y" * 81)
    assert refused == "A skill is at most 80 characters."


def test_commands_before_joining_say_how_to_join(sandbox: Sandbox) -> None:
    for text in ("teach Python", "me", "pause", "leave"):
        assert sandbox.command("UCLE", text) == [
            "You haven't joined Rex yet: type `/rex join` to start."
        ]


def test_help_and_unknown_commands(sandbox: Sandbox) -> None:
    [answer] = sandbox.command("UADA", "help")
    assert "`/rex teach <skill>`" in answer and "I don't know" not in answer
    assert "/rex admin round" not in answer
    [unknown] = sandbox.command("UADA", "dance <!here>")
    assert unknown.startswith("I don't know `dance`. Here is what I can do:")
    [close] = sandbox.command("UADA", "lern Python")
    assert close.startswith("I don't know `lern`: did you mean `/rex learn`?")
    assert "/rex admin round" in sandbox.command("UADMIN", "help")[0]


def test_pause_resume_leave(sandbox: Sandbox) -> None:
    join_ada_and_bob(sandbox)
    assert "Paused" in sandbox.command("UBOB", "pause")[0]
    assert sandbox.command("UADMIN", "admin round") == ["Round done: 0 introductions on their way."]
    assert "Welcome back" in sandbox.command("UBOB", "resume")[0]
    sandbox.command("UADMIN", "admin round")
    assert len(rows(sandbox, Exchange)) == 1
    assert "left Rex" in sandbox.command("UBOB", "leave")[0]
    [bob] = [m for m in rows(sandbox, Member) if m.slack_id == "UBOB"]
    assert bob.status == MemberStatus.LEFT
    assert [e.state for e in rows(sandbox, Exchange)] == [ExchangeState.CANCELLED]


# --- rounds and intros --------------------------------------------------------------------


def test_round_opens_a_group_dm_with_an_intro_and_buttons(sandbox: Sandbox) -> None:
    join_ada_and_bob(sandbox)
    sandbox.join("UCLE", ["Cooking"], ["Cooking"])  # nobody else: never paired with herself
    answer = sandbox.command("UADMIN", "admin round")
    assert answer == ["Round done: 1 introduction on its way."]
    [opened] = sandbox.fake.calls_to("conversations.open")
    assert sorted(opened.body["users"].split(",")) == ["UADA", "UBOB"]
    channel, intro = opened_intro(sandbox)
    assert sorted(sandbox.fake.mpim_members(channel)) == ["UADA", "UBOB"]
    text = json.dumps(intro["blocks"])
    assert "<@UADA>" in text and "<@UBOB>" in text and "*Python*" in text
    buttons = [e["action_id"] for e in intro["blocks"][-1]["elements"]]
    assert buttons == [ActionId.SCHEDULE, ActionId.MET, ActionId.NOT_FIT, ActionId.REPORT]
    # one open exchange per learner: a second round proposes nothing new
    sandbox.command("UADMIN", "admin round")
    assert len(rows(sandbox, Exchange)) == 1
    assert len(sandbox.fake.calls_to("conversations.open")) == 1


ADMIN_COMMANDS = (
    "admin round",
    "admin preview",
    "admin digest month",
    "admin stats",
    "admin export csv",
    "admin pause <@UBOB|bob>",
    "admin approval on",
    "admin",
)


def test_every_admin_command_is_for_admins_only(sandbox: Sandbox) -> None:
    """A member typing any admin command gets the same polite refusal and changes
    nothing: no exchange, digest, file, pause or setting."""
    join_ada_and_bob(sandbox)
    before = [c.method for c in sandbox.fake.calls]
    for text in ADMIN_COMMANDS:
        assert sandbox.command("UADA", text) == ["Only Rex admins can do that."], text
    assert rows(sandbox, Exchange) == []
    assert {m.status for m in rows(sandbox, Member)} == {MemberStatus.ACTIVE}
    assert rows(sandbox, Setting) == []
    assert sandbox.fake.messages("CDIGEST") == [] and sandbox.fake.files == {}
    answers = [c.method for c in sandbox.fake.calls][len(before) :]
    assert set(answers) <= {"users.info"}, answers  # only who is asking was looked up


def test_intro_survives_rate_limits_and_server_errors(sandbox: Sandbox) -> None:
    join_ada_and_bob(sandbox)
    sandbox.fake.inject("conversations.open", status=429, retry_after=1, times=1)
    sandbox.fake.inject("chat.postMessage", status=500, times=1)
    sandbox.command("UADMIN", "admin round")
    channel, _ = opened_intro(sandbox)
    assert len(sandbox.fake.messages(channel)) == 1
    faulted = [c.method for c in sandbox.fake.calls if c.faulted]
    assert faulted == ["conversations.open", "chat.postMessage"]


def test_intro_to_a_deactivated_account_is_given_up_not_retried_forever(sandbox: Sandbox) -> None:
    join_ada_and_bob(sandbox)
    sandbox.fake.inject("conversations.open", error="account_inactive", times=1)
    sandbox.command("UADMIN", "admin round")
    assert delivery.sweep(sandbox.rex).sent == 0
    assert sandbox.fake.calls_to("chat.postMessage")[-1].body["channel"] in ("UADA", "UBOB")
    [exchange] = rows(sandbox, Exchange)
    assert exchange.state == ExchangeState.CANCELLED  # marked, and its people free again
    sandbox.command("UADMIN", "admin round")
    assert len(rows(sandbox, Exchange)) == 2


# --- the exchange: schedule, met, not a fit ----------------------------------------------


def test_we_met_twice_records_one_meeting(sandbox: Sandbox) -> None:
    join_ada_and_bob(sandbox)
    sandbox.command("UADMIN", "admin round")
    channel, intro = opened_intro(sandbox)
    sandbox.click("UADA", ActionId.MET, channel, intro["ts"])
    second = sandbox.click("UBOB", ActionId.MET, channel, intro["ts"])
    assert second.status == 200
    said = [m["text"] for m in sandbox.fake.messages(channel)[1:]]
    assert said == ["<@UADA> says you met. Thanks! I'll ask each of you for a short evaluation."]
    [exchange] = rows(sandbox, Exchange)
    assert exchange.state == ExchangeState.HELD and exchange.held_at == sandbox.clock()


# --- follow-up, evaluation and digest ------------------------------------------------------


def test_follow_up_after_n_days_then_evaluation_then_digest(sandbox: Sandbox) -> None:
    join_ada_and_bob(sandbox)
    sandbox.command("UADMIN", "admin round")
    sandbox.clock.advance(days=6)
    assert delivery.sweep(sandbox.rex).sent == 1  # only the nudge of a silent intro
    sandbox.clock.advance(days=1, minutes=1)
    assert delivery.sweep(sandbox.rex).sent == 2
    assert delivery.sweep(sandbox.rex).sent == 0  # each follow-up once
    learner_view = evaluate_follow_up(sandbox, "UBOB", {})  # opens the modal, submits nothing valid
    assert learner_view.json is not None
    view = sandbox.fake.last_view("UBOB")
    assert view is not None and view["callback_id"] == CallbackId.EVALUATION
    assert BlockId.EVAL_GOAL in [b.get("block_id") for b in view["blocks"]]
    ok = sandbox.submit(
        "UBOB",
        {
            BlockId.EVAL_SATISFACTION: "5",
            BlockId.EVAL_GOAL: "partly",
            BlockId.EVAL_HOURS: "1.5",
            BlockId.EVAL_COMMENT: "secret remark",
        },
    )
    assert ok.status == 200 and not ok.body
    teacher = evaluate_follow_up(
        sandbox,
        "UADA",
        {
            BlockId.EVAL_SATISFACTION: "3",
            BlockId.EVAL_HOURS: "2",
        },
    )
    assert teacher.status == 200
    evaluations = sorted(rows(sandbox, Evaluation), key=lambda e: e.satisfaction)
    assert [(e.satisfaction, e.goal_met, e.hours) for e in evaluations] == [
        (3, None, 2.0),
        (5, "partly", 1.5),
    ]
    assert dm_texts(sandbox, "UBOB")[-1].startswith("Thanks for your evaluation!")
    [exchange] = rows(sandbox, Exchange)
    assert exchange.state == ExchangeState.EVALUATED  # both have evaluated
    # next Monday: the digest covers the week that just ended, Monday Dec 7 to Sunday 13
    sandbox.clock.advance(days=7)
    assert sandbox.command("UADMIN", "admin digest") == ["Digest posted in <#CDIGEST>."]
    digest, chart = sandbox.fake.messages("CDIGEST")
    members, exchanges, hours, quality = (f["text"] for f in digest["blocks"][1]["fields"])
    assert members == (
        "*Members*\n2 active · 0 ▼2 new\n0 paused · 0 left · 0 with an incomplete profile"
    )  # both joined the week before
    assert exchanges.startswith("*Exchanges*\n0 ▼1 proposed · 1 ▲1 held · 1 ▲1 evaluated\n")
    assert hours == "*Learning time*\n3.5 ▲3.5 hours"  # a swap: both learned
    # two evaluations: too few for a rating figure, but both people answered
    assert quality == (
        "*Quality*\nRatings show once at least 3 people have evaluated: 2 evaluations so far.\n"
        "Evaluations returned: 100% (2 of 2)"
    )
    assert "secret remark" not in json.dumps(sandbox.fake.calls_to("chat.postMessage")[-1].body)
    [png] = chart["files"]
    assert png["name"].startswith("rex-digest-") and png["title"] == "Rex, the last 12 weeks"
    data = sandbox.fake.files[png["id"]].data or b""
    assert imread(io.BytesIO(data), format="png").shape[:2] == (HEIGHT, WIDTH)


def test_evaluation_with_bad_hours_gets_a_field_error(sandbox: Sandbox) -> None:
    join_ada_and_bob(sandbox)
    sandbox.command("UADMIN", "admin round")
    sandbox.clock.advance(days=8)
    delivery.sweep(sandbox.rex)
    answer = evaluate_follow_up(
        sandbox, "UADA", {BlockId.EVAL_SATISFACTION: "4", BlockId.EVAL_HOURS: "250"}
    )
    assert answer.json is not None and BlockId.EVAL_HOURS in answer.json["errors"]
    assert rows(sandbox, Evaluation) == []


def test_empty_digest_is_friendly(sandbox: Sandbox) -> None:
    sandbox.command("UADMIN", "admin digest")
    [digest] = sandbox.fake.messages("CDIGEST")  # twelve empty weeks: no chart
    assert "*A quiet period:*" in digest["blocks"][1]["text"]["text"]
    assert sandbox.fake.files == {}


# --- the HTTP edge ------------------------------------------------------------------------


def test_bad_signature_and_stale_timestamp_are_rejected(sandbox: Sandbox) -> None:
    forged = sandbox.driver.tampered(sign_with="not-the-secret").command("UADA", "help")
    stale = sandbox.driver.tampered(timestamp=1_000_000_000).command("UADA", "help")
    assert forged.status == 401 and stale.status == 401
    sandbox.settle()
    assert sandbox.fake.hook_posts() == []


def test_app_home_is_published_and_redelivered_events_handled_once(sandbox: Sandbox) -> None:
    join_ada_and_bob(sandbox)
    event = {"type": "app_home_opened", "user": "UADA", "channel": "D1", "tab": "home"}
    sandbox.fake.reset_calls()
    sandbox.driver.event(event, event_id="Ev0001")
    sandbox.settle()
    sandbox.driver.event(event, event_id="Ev0001", retry_num=1)
    sandbox.settle()
    assert len(sandbox.fake.calls_to("views.publish")) == 1
    home = sandbox.fake.home("UADA")
    assert home is not None and "*Python*" in json.dumps(home["blocks"])


def test_healthz_answers_when_the_database_does(sandbox: Sandbox) -> None:
    with urllib.request.urlopen(f"{sandbox.url}/healthz", timeout=5) as answer:
        assert answer.status == 200 and answer.read() == b"ok"


# --- issue 6 in Slack: preview and unmatched notices ---------------------------------------


def test_admin_preview_shows_the_round_and_sends_nothing(sandbox: Sandbox) -> None:
    join_ada_and_bob(sandbox)
    sandbox.join("UCLE", ["Cooking"], ["Rust"])
    sandbox.join("UDAN", ["Go"], ["rust"])
    assert sandbox.command("UADA", "admin preview") == ["Only Rex admins can do that."]
    [preview] = sandbox.command("UADMIN", "admin preview")
    assert preview.startswith("Round preview (nothing was sent)")
    assert "Exchanges proposed: *1* (swaps: 1, cycles: 0, groups: 0, pairs: 0)" in preview
    assert "<@UBOB> and <@UADA> swap *public speaking* / *Python*" in preview
    assert "*Wanted, nobody teaches:* *Rust* (2)" in preview
    assert rows(sandbox, Exchange) == []
    assert sandbox.fake.calls_to("conversations.open") == []


def test_members_left_out_are_told_why_once_per_round(sandbox: Sandbox) -> None:
    join_ada_and_bob(sandbox)
    sandbox.join("UCLE", ["Cooking"], ["Rust"])
    sandbox.join("UDAN", ["Go"], ["rust"])
    sandbox.command("UADMIN", "admin round")
    [notice] = [t for t in dm_texts(sandbox, "UCLE") if "this round" in t]
    assert notice.startswith(
        "No introduction for you this round: nobody in the network "
        "teaches *Rust* yet; 1 other person wants it too."
    )
    assert delivery.sweep(sandbox.rex).sent == 0  # nothing sent twice
    assert not [t for t in dm_texts(sandbox, "UADA") if "this round" in t]
    sandbox.command("UDAN", "pause")
    sandbox.command("UADMIN", "admin round")  # a second round: a new notice, not for the paused
    assert len([t for t in dm_texts(sandbox, "UCLE") if "this round" in t]) == 2
    assert len([t for t in dm_texts(sandbox, "UDAN") if "this round" in t]) == 1


def test_french_subcommands_work_beside_english_ones(sandbox: Sandbox) -> None:
    join_ada_and_bob(sandbox)
    assert sandbox.command("UADA", "enseigner Photographie") == [
        "Added *Photographie* to what you can teach."
    ]
    assert sandbox.command("UADA", "Apprendre SQL") == ["Added *SQL* to what you want to learn."]
    [me] = sandbox.command("UADA", "moi")
    assert "*Photographie*" in me
    [close] = sandbox.command("UADA", "aprendre Go")
    assert close.startswith("I don't know `aprendre`: did you mean `/rex learn`?")


def test_admin_stats_pause_and_leaderboard_opt_in(sandbox: Sandbox) -> None:
    join_ada_and_bob(sandbox)
    assert sandbox.command("UADA", "admin stats") == ["Only Rex admins can do that."]
    sandbox.clock.advance(days=7)  # stats cover whole weeks: these four end on Dec 6
    [stats] = sandbox.command("UADMIN", "admin stats month")
    assert stats.startswith(
        "Rex digest: Nov 9, 2026 to Dec 6, 2026\n*Members*\n2 ▲2 active · 2 ▲2 new"
    )
    assert sandbox.command("UADMIN", "admin pause <@UBOB|bob>") == [
        "Paused <@UBOB>. They can type `/rex resume` whenever they wish."
    ]
    assert sandbox.command("UADMIN", "admin pause <@UCLE>") == ["<@UCLE> isn't a member of Rex."]
    [bob] = [m for m in rows(sandbox, Member) if m.slack_id == "UBOB"]
    assert bob.status == MemberStatus.PAUSED
    assert sandbox.command("UADA", "leaderboard on")[0].startswith("You may now be named")
    assert sandbox.command("UADA", "classement non") == ["The digest won't name you any more."]
    [ada] = [m for m in rows(sandbox, Member) if m.slack_id == "UADA"]
    assert ada.leaderboard is False
