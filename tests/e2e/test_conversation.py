"""End to end (issue 9): each person in their language, replies typed in Rex's DM, and
"@Rex" in an exchange's group DM; Rex never answers bots, itself or edits."""

import json
from typing import Any

import pytest
from sqlmodel import Session, select

from bot.i18n.messages import t
from bot.offline.sandbox import ManualClock, Sandbox
from handlers.ids import ActionId, BlockId, CallbackId
from handlers.outbox import delivery
from storage.models import Evaluation, ExchangeEvent, ExchangeState, Skill
from tests.conftest import START
from tests.support.slack import exchange, opened_intro, save_profile


@pytest.fixture
def bilingual(engine: Any) -> Any:
    with Sandbox(engine=engine, clock=ManualClock(START)) as running:
        running.add_person("UFR1", "Amélie Durand", locale="fr-FR")
        running.add_person("UFR2", "Lucas Bernard", locale="fr-FR")
        running.add_person("UEN1", "Dan Kim", tz="America/New_York", locale="en-US")
        running.add_person("UEN2", "Ada Lovelace", locale="en-GB")
        running.add_person("UADMIN", "Alex Admin", locale="en-US")
        yield running


def _dm(sandbox: Sandbox, user: str, text: str, **extra: Any) -> list[dict[str, Any]]:
    """Type in the DM with Rex; what Rex answered there."""
    channel = sandbox.fake.dm_channel(user)
    before = len(sandbox.fake.messages(channel))
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": channel,
        "user": user,
        "text": text,
        "ts": "1.0",
        **extra,
    }
    sandbox.driver.event(event)
    sandbox.settle()
    return sandbox.fake.messages(channel)[before:]


def _matched(sandbox: Sandbox, a: str, b: str, *, a_speaks: tuple[str, ...] = ()) -> str:
    sandbox.join(a, ["Python"], ["Photographie"])
    sandbox.join(b, ["photographie"], ["python"])
    if a_speaks:  # ticked in the profile (else only their Slack locale's language counts)
        save_profile(
            sandbox, a, ["Python"], ["Photographie"], **{BlockId.PROFILE_LANGUAGES: list(a_speaks)}
        )
    sandbox.command("UADMIN", "admin round")
    channel, _ = opened_intro(sandbox)
    return channel


def test_french_speakers_go_through_the_loop_in_french(bilingual: Sandbox) -> None:
    sandbox = bilingual
    channel = _matched(sandbox, "UFR1", "UFR2")
    welcome = sandbox.fake.messages(sandbox.fake.dm_channel("UFR1"))[0]["text"]
    assert welcome.startswith("Bienvenue dans Rex")
    intro = json.dumps(sandbox.fake.messages(channel)[0]["blocks"], ensure_ascii=False)
    assert "Planifier" in intro and "Un échange croisé" in intro
    sandbox.clock.advance(days=7, minutes=1)
    delivery.sweep(sandbox.rex)
    [question] = [
        m
        for m in sandbox.fake.messages(sandbox.fake.dm_channel("UFR2"))
        if m.get("blocks") and "a-t-elle eu lieu" in m["text"]
    ]
    [answer] = _dm(sandbox, "UFR2", "ouii on s'est vus hier")
    assert answer["text"].startswith("Parfait, c’est noté")
    assert exchange(sandbox).state == ExchangeState.HELD
    sandbox.click("UFR2", ActionId.EVALUATE, sandbox.fake.dm_channel("UFR2"), answer["ts"])
    view = sandbox.fake.last_view("UFR2")
    assert view is not None and view["callback_id"] == CallbackId.EVALUATION
    assert view["title"]["text"] == t("eval.title", "fr")  # "Comment ça s’est passé ?"
    assert question["ts"]


def test_a_mixed_group_dm_speaks_to_everyone_in_their_language(bilingual: Sandbox) -> None:
    """An English and a French member read the intro, the notices, the schedule
    confirmation and the reminder each in their own language; DMs stay in one."""
    sandbox = bilingual
    channel = _matched(sandbox, "UFR1", "UEN1", a_speaks=("fr", "en"))
    [intro] = sandbox.fake.messages(channel)
    shown = json.dumps(intro["blocks"], ensure_ascii=False)
    assert "A swap: each of you teaches the other." in shown and "Un échange croisé" in shown
    assert "Schedule / Planifier" in shown and "We met / Nous avons échangé" in shown
    sandbox.click("UEN1", ActionId.SCHEDULE, channel, intro["ts"])
    sandbox.submit(
        "UEN1",
        {
            BlockId.SCHEDULE_DATE: "2026-12-03",
            BlockId.SCHEDULE_TIME: "12:00",
            BlockId.SCHEDULE_DURATION: "60",
            BlockId.SCHEDULE_PLACE: "",
        },
    )
    sandbox.click("UFR1", ActionId.MET, channel, intro["ts"])
    delivery.sweep(sandbox.rex)
    posted = [m["text"] for m in sandbox.fake.messages(channel)[1:]]
    posted += [f.initial_comment or "" for f in sandbox.fake.files.values()]
    assert any("scheduled a session" in p and "a planifié une séance" in p for p in posted)
    met = [p for p in posted if "<@UFR1>" in p and "Merci" in p]
    assert met and all("Thanks" in p for p in met)
    assert sandbox.command("UEN1", "language fr") == ["Désormais, je vous écrirai en français."]
    assert sandbox.command("UEN1", "aide")[0].startswith("*Rex")


@pytest.mark.parametrize(
    ("typed", "state", "reply"),
    [
        ("yep we met!", ExchangeState.HELD, "Great, noted that you met!"),
        ("not yet, next week", ExchangeState.PROPOSED, "No problem. Pick a new time"),
        ("it won't happen", ExchangeState.CANCELLED, "Noted: this exchange is closed."),
    ],
)
def test_answers_to_did_it_happen(bilingual: Sandbox, typed: str, state: str, reply: str) -> None:
    sandbox = bilingual
    _matched(sandbox, "UEN2", "UEN1")
    sandbox.clock.advance(days=7, minutes=1)
    delivery.sweep(sandbox.rex)
    [answer] = _dm(sandbox, "UEN1", typed)
    assert answer["text"].startswith(reply)
    assert exchange(sandbox).state == state


def test_commands_typed_in_the_dm_work_in_both_languages(bilingual: Sandbox) -> None:
    sandbox = bilingual
    sandbox.join("UFR1", ["Python"], ["Excel"])
    [added] = _dm(sandbox, "UFR1", "apprendre la photographie")
    assert added["text"] == "*photographie* ajouté à ce que vous voulez apprendre." or (
        "photographie" in added["text"]
    )
    with Session(sandbox.rex.engine) as session:
        labels = {s.label for s in session.exec(select(Skill)).all()}
    assert "photographie" in labels
    [helped] = _dm(sandbox, "UEN1", "help")
    assert "`/rex teach <skill>`" in json.dumps(helped)
    [joining] = _dm(sandbox, "UEN1", "join")
    assert joining["text"].startswith("To join, type `/rex join`")
    [lost] = _dm(sandbox, "UEN1", "lern Python")
    assert lost["text"].startswith("I didn't catch that")
    assert lost["text"].endswith("Did you mean `learn`?")
    [other] = _dm(sandbox, "UEN1", "what's the weather like?")
    assert other["text"].startswith("I didn't catch that, sorry.")


def test_rex_never_answers_bots_itself_edits_or_twice(bilingual: Sandbox) -> None:
    sandbox = bilingual
    assert _dm(sandbox, "UEN1", "help", bot_id="B0REX") == []
    assert _dm(sandbox, "UEN1", "help", subtype="message_changed") == []
    channel = sandbox.fake.dm_channel("UEN1")
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": channel,
        "user": "UEN1",
        "text": "help",
        "ts": "2.0",
    }
    for retry in (None, 1):
        sandbox.driver.event(event, event_id="EvSAME", retry_num=retry)
        sandbox.settle()
    assert len(sandbox.fake.messages(channel)) == 1
    group = {
        "type": "message",
        "channel_type": "mpim",
        "channel": "G123",
        "user": "UEN1",
        "text": "yes we met",
    }
    sandbox.driver.event(group)
    sandbox.settle()
    assert sandbox.fake.calls_to("chat.postMessage")[-1].body["channel"] == channel


def test_mentions_in_the_group_dm(bilingual: Sandbox) -> None:
    sandbox = bilingual
    channel = _matched(sandbox, "UEN2", "UEN1")
    mention = {
        "type": "app_mention",
        "channel": channel,
        "user": "UEN1",
        "text": "<@UREXBOT> we met yesterday",
        "ts": "3.0",
    }
    sandbox.driver.event(mention)
    sandbox.settle()
    assert sandbox.fake.messages(channel)[-1]["text"].startswith("<@UEN1> says you met.")
    assert exchange(sandbox).state == ExchangeState.HELD
    sandbox.driver.event({**mention, "text": "<@UREXBOT> tell me a joke", "ts": "4.0"})
    sandbox.settle()
    [hint] = sandbox.fake.ephemerals("UEN1")[-1:]
    assert hint["text"].startswith("I'm here!")


def test_a_typed_rating_and_duration_become_the_evaluation(bilingual: Sandbox) -> None:
    sandbox = bilingual
    _matched(sandbox, "UEN2", "UEN1")
    sandbox.clock.advance(days=7, minutes=1)
    delivery.sweep(sandbox.rex)
    _dm(sandbox, "UEN1", "yes we met")
    [rated] = _dm(sandbox, "UEN1", "4 out of 5")
    assert rated["text"] == "Noted: 4/5. And how long did it take? (for example 1h30)"
    [done] = _dm(sandbox, "UEN1", "1h30")
    assert done["text"] == "Recorded your evaluation: 4/5 and 1.5 h. Thank you!"
    with Session(sandbox.rex.engine) as session:
        [evaluation] = session.exec(select(Evaluation)).all()
        assert (evaluation.satisfaction, evaluation.hours) == (4, 1.5)
    # the button corrects it in the modal
    sandbox.click("UEN1", ActionId.EVALUATE, sandbox.fake.dm_channel("UEN1"), done["ts"])
    sandbox.submit(
        "UEN1",
        {
            BlockId.EVAL_SATISFACTION: "5",
            BlockId.EVAL_HOURS: "2",
            BlockId.EVAL_GOAL: "yes",
            BlockId.EVAL_USEFUL: "yes",
        },
    )
    with Session(sandbox.rex.engine) as session:
        [evaluation] = session.exec(select(Evaluation)).all()
        assert (evaluation.satisfaction, evaluation.hours, evaluation.goal_met) == (5, 2.0, "yes")
    assert sandbox.fake.messages(sandbox.fake.dm_channel("UEN1"))[-1]["text"] == (
        "Your evaluation is updated. Thanks!"
    )
    # once its week is over (the digest's weeks: Monday 00:00 UTC here), it stays as it is
    sandbox.clock.advance(days=7)
    sandbox.click("UEN1", ActionId.EVALUATE, sandbox.fake.dm_channel("UEN1"), done["ts"])
    late = sandbox.submit(
        "UEN1",
        {
            BlockId.EVAL_SATISFACTION: "1",
            BlockId.EVAL_HOURS: "2",
            BlockId.EVAL_GOAL: "yes",
            BlockId.EVAL_USEFUL: "yes",
        },
    )
    assert late.json is not None
    assert late.json["errors"][BlockId.EVAL_SATISFACTION].startswith(
        "This evaluation already counts in a finished week's figures"
    )
    with Session(sandbox.rex.engine) as session:
        [evaluation] = session.exec(select(Evaluation)).all()
        assert evaluation.satisfaction == 5


def test_in_french_stars_and_hours(bilingual: Sandbox) -> None:
    sandbox = bilingual
    _matched(sandbox, "UFR1", "UFR2")
    sandbox.clock.advance(days=7, minutes=1)
    delivery.sweep(sandbox.rex)
    _dm(sandbox, "UFR1", "oui")
    [hours] = _dm(sandbox, "UFR1", "2 heures")
    assert hours["text"] == t("dm.noted_hours", "fr", hours="2")
    [done] = _dm(sandbox, "UFR1", "★★★★★")
    assert done["text"] == t("dm.recorded", "fr", rating=5, hours="2")


@pytest.mark.parametrize(
    ("first", "yes", "second", "no"),
    [
        ("UFR1", "oui, on s'est vus hier", "UEN1", "not yet"),
        ("UEN1", "yes we met", "UFR1", "pas encore"),
        ("UFR1", "oui", "UEN1", "it didn't happen"),
    ],
)
def test_partners_who_disagree_each_get_an_answer_that_fits(
    bilingual: Sandbox, first: str, yes: str, second: str, no: str
) -> None:
    """One says it happened, the other that it has not: the second is not told "I didn't
    catch that" but what the first said, in their own language, with both ways on; the
    exchange stays held and the disagreement is counted, never shown with names."""
    sandbox = bilingual
    french, english = sorted((first, second), key=lambda user: not user.startswith("UFR"))
    _matched(sandbox, french, english, a_speaks=("fr", "en"))  # a language in common
    sandbox.clock.advance(days=7, minutes=1)
    delivery.sweep(sandbox.rex)
    [met] = _dm(sandbox, first, yes)
    lang_first = "fr" if first.startswith("UFR") else "en"
    assert met["text"] == t("dm.met", lang_first)
    [answer] = _dm(sandbox, second, no)
    lang = "fr" if second.startswith("UFR") else "en"
    assert answer["text"] == t("dm.disputed", lang, who=f"<@{first}>")
    buttons = [e["text"]["text"] for e in answer["blocks"][1]["elements"]]
    assert buttons == [t("button.schedule", lang), t("button.it_happened", lang)]
    assert exchange(sandbox).state == ExchangeState.HELD
    with Session(sandbox.rex.engine) as session:
        events = session.exec(select(ExchangeEvent).where(ExchangeEvent.to_state == "disputed"))
        assert len(events.all()) == 1
    # the second can still evaluate by typing, and saying it did happen is understood
    [confirmed] = _dm(sandbox, second, "yes" if lang == "en" else "oui")
    assert confirmed["text"] == t("dm.met", lang)


def test_a_third_language_is_only_a_po_file(bilingual: Sandbox) -> None:
    """Spanish (bot/i18n/locales/es) reaches a member whose Slack speaks it, and can be
    chosen; what only managers read stays in English."""
    sandbox = bilingual
    sandbox.add_person("UES1", "Lucía Gómez", locale="es-ES")
    sandbox.join("UES1", ["Python"], ["Excel"])
    welcome = sandbox.fake.messages(sandbox.fake.dm_channel("UES1"))[0]["text"]
    assert welcome.startswith("¡Le damos la bienvenida a Rex")
    sandbox.join("UEN1", ["Excel"], ["Python"])
    assert sandbox.command("UEN1", "language es") == ["A partir de ahora le escribiré en español."]
    assert "`es`" in sandbox.command("UEN1", "language xx")[0]
