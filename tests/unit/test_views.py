"""Block Kit builders, tested as the dicts Slack receives."""

import json
from datetime import UTC, datetime

from bot.exchanges import ExchangeView
from bot.i18n.messages import t
from bot.members import Profile
from handlers.ids import ActionId, BlockId, CallbackId
from handlers.views.evaluation import evaluation_modal
from handlers.views.home import home_view
from handlers.views.intro import intro_blocks, not_fit_modal, report_modal
from handlers.views.kit import MESSAGE_BLOCK_LIMIT, VIEW_BLOCK_LIMIT, for_everyone
from handlers.views.members import (
    add_skill_modal,
    join_modal,
    pause_modal,
    profile_blocks,
    profile_modal,
)
from handlers.views.schedule import schedule_modal, slack_date
from storage.models import Exchange, Lesson, MeetingPreference, Member, Skill, SkillKind

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _view(*lessons: tuple[int, int, str, str]) -> ExchangeView:
    people = {i: Member(id=i, slack_id=f"U{i}") for pair in lessons for i in pair[:2]}
    return ExchangeView(
        Exchange(id=42),
        [
            Lesson(exchange_id=42, teacher_id=t, learner_id=le, teach_label=a, learn_label=b)
            for t, le, a, b in lessons
        ],
        people,
    )


def _profile(teach: int = 2, learn: int = 1) -> Profile:
    member = Member(
        id=1,
        slack_id="U1",
        bio="Hi <!channel>",
        languages="en,fr",
        preference=MeetingPreference.REMOTE,
    )
    skills = [
        Skill(
            member_id=1,
            kind=SkillKind.TEACH,
            label=f"Skill {i}",
            normalized=f"s{i}",
            level="expert" if i == 0 else None,
            note="pivot <b>" if i == 0 else None,
        )
        for i in range(teach)
    ]
    skills += [
        Skill(member_id=1, kind=SkillKind.LEARN, label=f"Learn {i}", normalized=f"l{i}")
        for i in range(learn)
    ]
    return Profile(member, skills)


def test_every_modal_respects_slack_limits() -> None:
    for view in (
        join_modal("en"),
        schedule_modal(1, "en", today="2026-12-01"),
        not_fit_modal(1, "en"),
        report_modal(1, "en"),
        evaluation_modal(1, learner=True, lang="en"),
        profile_modal(_profile(), "en"),
        add_skill_modal("en"),
        pause_modal("2026-12-14", "en"),
    ):
        assert view["type"] == "modal"
        for part in ("title", "submit", "close"):
            assert len(view[part]["text"]) <= 24
        assert len(view["blocks"]) <= VIEW_BLOCK_LIMIT
        inputs = [b for b in view["blocks"] if b["type"] == "input"]
        assert all(
            b["element"]["action_id"] in (ActionId.INPUT, ActionId.SKILL_SEARCH) for b in inputs
        )


def test_join_modal_has_charter_fields_and_consent() -> None:
    view = join_modal("en")
    assert view["callback_id"] == CallbackId.JOIN
    assert view["blocks"][0]["text"]["text"].startswith("*The charter*")
    by_id = {b.get("block_id"): b for b in view["blocks"]}
    assert by_id[BlockId.TEACH_SKILLS]["element"]["type"] == "multi_external_select"
    assert by_id[BlockId.TEACH_SKILLS]["element"]["action_id"] == ActionId.SKILL_SEARCH
    assert by_id[BlockId.JOIN_AGREE]["element"]["type"] == "checkboxes"
    assert by_id[BlockId.JOIN_AGREE]["optional"] is False


def test_pair_intro_names_both_and_escapes_labels() -> None:
    intro = intro_blocks(_view((1, 2, "<!channel> SQL", "sql & co")), ("en",))
    text = intro[0]["text"]["text"]
    assert "<@U1> can teach *&lt;!channel&gt; SQL*" in text
    assert "<@U2> wants to learn *sql &amp; co*" in text
    actions = intro[-1]
    assert actions["block_id"] == BlockId.INTRO_ACTIONS
    assert [(e["action_id"], e["value"]) for e in actions["elements"]] == [
        (ActionId.SCHEDULE, "42"),
        (ActionId.MET, "42"),
        (ActionId.NOT_FIT, "42"),
        (ActionId.REPORT, "42"),
    ]


def test_swap_intro_lists_both_directions() -> None:
    intro = intro_blocks(_view((1, 2, "Python", "python"), (2, 1, "Excel", "excel")), ("en",))
    text = intro[0]["text"]["text"]
    assert text.count("teaches") == 2 and "<@U2> teaches *Excel* to <@U1>" in text


def test_learners_are_asked_about_their_goal_teachers_are_not() -> None:
    def ids(learner: bool) -> list[str]:
        view = evaluation_modal(7, learner=learner, lang="en")
        return [b["block_id"] for b in view["blocks"] if "block_id" in b]

    assert BlockId.EVAL_GOAL in ids(True) and BlockId.EVAL_GOAL not in ids(False)
    assert evaluation_modal(7, learner=False, lang="en")["private_metadata"] == "7"


def test_the_evaluation_says_first_where_answers_go() -> None:
    for lang, words in (("en", ("private", "never", "/rex mydata")), ("fr", ("privées",))):
        first = evaluation_modal(7, learner=True, lang=lang)["blocks"][0]
        assert first["type"] == "section"
        assert all(word in first["text"]["text"] for word in words)


def test_slack_date_shows_each_reader_their_own_time() -> None:
    assert slack_date(NOW) == (
        f"<!date^{int(NOW.timestamp())}^{{date_long_pretty}} at {{time}}|2026-11-30 09:00 UTC>"
    )


def test_profile_says_what_is_missing() -> None:
    member = Member(slack_id="U1")
    skills = [Skill(member_id=1, kind=SkillKind.TEACH, label="Go", normalized="go")]
    shown = profile_blocks(Profile(member, skills), "en")
    text = shown[0]["text"]["text"]
    assert "*Go*" in text and "nothing to learn yet" in text
    assert shown[1]["elements"][0]["action_id"] == ActionId.ADD_SKILL


def test_profile_modal_is_prefilled() -> None:
    view = profile_modal(_profile(), "en")
    by_id = {b["block_id"]: b["element"] for b in view["blocks"]}
    assert [o["value"] for o in by_id[BlockId.TEACH_SKILLS]["initial_options"]] == [
        "Skill 0",
        "Skill 1",
    ]
    assert [o["value"] for o in by_id[BlockId.PROFILE_LANGUAGES]["initial_options"]] == ["en", "fr"]
    assert by_id[BlockId.PROFILE_PREFERENCE]["initial_option"]["value"] == "remote"
    assert by_id[BlockId.PROFILE_BIO]["initial_value"] == "Hi <!channel>"  # plain_text: inert
    assert "initial_value" not in by_id[BlockId.PROFILE_SITE]  # no site yet
    profile = _profile()
    profile.member.site = "Saint-Étienne"
    site = next(
        b for b in profile_modal(profile, "fr")["blocks"] if b["block_id"] == BlockId.PROFILE_SITE
    )
    assert site["element"]["initial_value"] == "Saint-Étienne" and site["optional"] is True
    assert site["label"]["text"] == "Où je travaille (facultatif)"
    assert "même site" in site["hint"]["text"]


def test_profile_and_home_show_the_site_and_ask_for_one_when_needed() -> None:
    profile = _profile()
    profile.member.site = "<!here> Lyon"
    profile.member.preference = MeetingPreference.IN_PERSON
    for shown in (
        profile_blocks(profile, "en"),
        home_view(profile, "en")["blocks"],
    ):
        text = json.dumps(shown, ensure_ascii=False)
        assert "*Meets:* in person · *Languages:* EN, FR · *Site:* &lt;!here&gt; Lyon" in text
        assert "no site" not in text
    profile.member.site = None
    for shown in (
        profile_blocks(profile, "fr"),
        home_view(profile, "fr")["blocks"],
    ):
        text = json.dumps(shown, ensure_ascii=False)
        assert "votre profil n’indique pas de site" in text


def test_home_tab_stays_under_100_blocks_and_cuts_long_lists() -> None:
    profile = _profile(teach=15, learn=15)
    many = [_view((1, i + 2, f"Topic {i}", "x")) for i in range(40)]
    home = home_view(profile, "en", open_exchanges=many, past_exchanges=many, hours=(12.5, 3.0))
    assert home["type"] == "home" and len(home["blocks"]) <= VIEW_BLOCK_LIMIT
    text = json.dumps(home["blocks"], ensure_ascii=False)
    assert "… and 30 more" in text and "… and 5 more" in text
    assert "taught 12.5 h · learned 3 h" in text
    assert "*Skill 0* (expert) – pivot &lt;b&gt;" in text
    assert "Hi &lt;!channel&gt;" in text
    actions = [e["action_id"] for e in home["blocks"][-1]["elements"]]
    assert actions == [
        ActionId.EDIT_PROFILE,
        ActionId.ADD_SKILL,
        ActionId.PAUSE,
        ActionId.MATCH_NOW,
    ]


def test_home_tab_says_what_is_missing() -> None:
    home = home_view(_profile(teach=0, learn=1), "en")
    text = json.dumps(home["blocks"], ensure_ascii=False)
    assert "incomplete" in text and "You have nothing to teach yet" in text


def test_intro_introduces_people_their_wishes_and_a_first_agenda() -> None:
    view = _view((1, 2, "Python", "python"), (2, 1, "Excel", "excel"))
    view.exchange.kind = "swap"  # type: ignore[assignment]
    view.members[1].bio = "Data analyst <b>"
    view.members[1].languages = "fr,en"
    view.members[1].tz = "Europe/Paris"
    view.members[2].preference = MeetingPreference.REMOTE
    view.members[2].site = "Toulouse *HQ*"
    intro = intro_blocks(
        view,
        ("en",),
        notes={2: "decorators & generators"},
        now=datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
    )
    text = "\n".join(b["text"]["text"] for b in intro if b["type"] == "section")
    assert text.startswith("Hello <@U1>, <@U2>! :wave: A swap: each of you teaches the other.")
    assert "• <@U1>: Data analyst &lt;b&gt; · speaks FR, EN · local time 09:00" in text
    assert "• <@U2>: prefers to meet remotely · works in Toulouse *\u200bHQ*\u200b" in text
    assert "<@U2> would like to learn: _decorators &amp; generators_" in text
    assert "*A first session, for example:*" in text
    assert len(intro) <= MESSAGE_BLOCK_LIMIT


def test_an_intro_for_two_languages_says_everything_in_both() -> None:
    view = _view((1, 2, "Python", "python"), (2, 1, "Excel", "excel"))
    view.exchange.kind = "swap"  # type: ignore[assignment]
    intro = intro_blocks(view, ("en", "fr"))
    sections = [b["text"]["text"] for b in intro if b["type"] == "section"]
    assert sum("A swap" in text for text in sections) == 1
    assert sum("Un échange croisé" in text for text in sections) == 1
    [actions] = [b for b in intro if b["type"] == "actions"]  # one row of buttons
    assert actions["elements"][0]["text"]["text"] == "Schedule / Planifier"
    assert len(intro) <= MESSAGE_BLOCK_LIMIT
    both = for_everyone(("en", "fr"), lambda lang: t("closed.text", lang))
    assert both == t("closed.text", "en") + "\n\n" + t("closed.text", "fr")


def test_group_and_cycle_intros_say_who_teaches() -> None:
    group = _view((1, 2, "Excel", "excel"), (1, 3, "Excel", "Excel"), (1, 4, "Excel", "xls"))
    group.exchange.kind = "group"  # type: ignore[assignment]
    text = intro_blocks(group, ("en",))[0]["text"]["text"]
    assert "A small group: <@U1> teaches *Excel* to all of you." in text
    cycle = _view((1, 2, "A", "a"), (2, 3, "B", "b"), (3, 1, "C", "c"))
    cycle.exchange.kind = "cycle"  # type: ignore[assignment]
    text = intro_blocks(cycle, ("fr",))[0]["text"]["text"]
    assert "Un cercle à trois" in text and text.count("enseigne") == 4
