"""Pure tests: what people type to Rex in a DM, in English and French.

The table holds what a person would understand from each reply (not what the parser
happens to do): the parser may miss some (recall), never misread one (precision).
"""

from dataclasses import fields

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.replies.commands import (
    COMMANDS,
    closest_command,
    command_word,
    parse_command,
    resolve_command,
)
from bot.replies.intents import (
    Command,
    Expecting,
    Happened,
    Hours,
    Intent,
    NotYet,
    Rating,
    Unknown,
    WontHappen,
)
from bot.replies.parse import parse_reply

D, R, HR, EV, NO = (
    Expecting.DID_IT_HAPPEN,
    Expecting.RATING,
    Expecting.HOURS,
    Expecting.EVALUATION,
    Expecting.NOTHING,
)
YES, LATER, CLOSE, UNSURE = Happened(), NotYet(), WontHappen(), Unknown()

TABLE: list[tuple[str, Expecting, Intent]] = [
    # -- "Did it happen?", English ---------------------------------------------------
    ("yes", D, YES),
    ("Yes!", D, YES),
    ("YES 🎉", D, YES),
    ("yep we met", D, YES),
    ("Yep, we met on Tuesday", D, YES),
    ("yup", D, YES),
    ("yeah we did", D, YES),
    ("yse", D, YES),
    ("yess", D, YES),
    ("Yesss!!", D, YES),
    ("ya", D, YES),
    ("sure did", D, YES),
    ("Yes, we met yesterday and it went well", D, YES),
    ("we met yesterday", D, YES),
    ("We met last week, it was great", D, YES),
    ("done", D, YES),
    ("Done ✅", D, YES),
    ("👍", D, YES),
    (":+1:", D, YES),
    ("it happened", D, YES),
    ("Absolutely, great session!", D, YES),
    ("Yes, Marie showed me the basics of Lightroom, super helpful", D, YES),
    ("yes thanks", D, YES),
    ("we did it!", D, YES),
    ("Had a great session with Tom", D, YES),
    ("Sorry for the late answer: we met on Monday!", D, YES),
    ("It's done, thanks Rex!", D, YES),
    ("haha yes", D, YES),
    ("not yet", D, LATER),
    ("Not yet 😅", D, LATER),
    ("no, not yet", D, LATER),
    ("nope, not yet", D, LATER),
    ("no we didn't meet yet", D, LATER),
    ("we haven't met yet", D, LATER),
    ("not really", D, LATER),
    ("didn't happen yet", D, LATER),
    ("next week", D, LATER),
    ("we're meeting next week", D, LATER),
    ("we'll meet tomorrow", D, LATER),
    ("later", D, LATER),
    ("postponed to next month", D, LATER),
    ("We had to reschedule", D, LATER),
    ("Not yet, both of us were swamped", D, LATER),
    ("no time yet, sorry", D, LATER),
    ("soon!", D, LATER),
    ("It's planned for Friday", D, LATER),
    ("still waiting for her answer", D, LATER),
    ("no, we couldn't make it", D, LATER),
    ("We were supposed to meet yesterday", D, LATER),
    ("can we reschedule", D, LATER),
    ("it won't happen", D, CLOSE),
    ("won't happen", D, CLOSE),
    ("cancelled", D, CLOSE),
    ("Cancelled, she left the company", D, CLOSE),
    ("no", D, CLOSE),
    ("No.", D, CLOSE),
    ("nope", D, CLOSE),
    ("nah", D, CLOSE),
    ("nooo", D, CLOSE),
    ("not going to happen", D, CLOSE),
    ("we gave up", D, CLOSE),
    ("👎", D, CLOSE),
    ("no, it's not a fit", D, CLOSE),
    ("It was called off", D, CLOSE),
    ("no longer relevant", D, CLOSE),
    ("no we cancelled", D, CLOSE),
    ("yes but not yet", D, UNSURE),
    ("did we?", D, UNSURE),
    ("Did it happen?", D, UNSURE),
    ("maybe", D, UNSURE),
    ("I think so", D, UNSURE),
    ("not sure", D, UNSURE),
    ("I don't know", D, UNSURE),
    ("yes and no", D, UNSURE),
    ("sort of", D, UNSURE),
    ("kind of, we chatted briefly", D, UNSURE),
    ("what do you mean?", D, UNSURE),
    ("who is this?", D, UNSURE),
    ("ok", D, UNSURE),
    ("thanks!", D, UNSURE),
    ("hello", D, UNSURE),
    ("lol", D, UNSURE),
    ("we met but it wasn't great", D, UNSURE),
    ("yes, can we reschedule the next one?", D, UNSURE),
    ("Hmm", D, UNSURE),
    ("no idea", D, UNSURE),
    ("not great", D, UNSURE),
    ("yes we'll meet next week", D, UNSURE),
    ("cancelled, maybe later", D, UNSURE),
    ("never mind", D, UNSURE),
    ("he never showed up", D, UNSURE),
    ("Yes? I think so", D, UNSURE),
    ("4/5", D, UNSURE),
    ("we met at noon", D, YES),
    ("He said no", D, UNSURE),
    ("not exactly", D, UNSURE),
    ("Yes, he cancelled", D, UNSURE),
    ("no he never answered", D, UNSURE),
    ("No it did not happen and it will not", D, CLOSE),
    ("no sorry 🙏", D, CLOSE),
    # -- "Did it happen?", French ----------------------------------------------------
    ("oui", D, YES),
    ("Oui !", D, YES),
    ("ouii", D, YES),
    ("ouiii 😊", D, YES),
    ("oui oui", D, YES),
    ("ouais", D, YES),
    ("carrément", D, YES),
    ("c'est fait", D, YES),
    ("C’est fait !", D, YES),
    ("on s'est vus hier", D, YES),
    ("on s'est vu", D, YES),
    ("On s'est vues mardi, c'était top", D, YES),
    ("fait", D, YES),
    ("oui, on s'est rencontrés la semaine dernière", D, YES),
    ("oui ça s'est très bien passé", D, YES),
    ("Oui, super échange !", D, YES),
    ("tout à fait", D, YES),
    ("bien sûr", D, YES),
    ("Oui merci, c'était génial", D, YES),
    ("Salut Rex ! Oui on s'est vus hier, merci 🙂", D, YES),
    ("c'était pas terrible", D, YES),
    ("oui on s'est vus, par contre on n'a pas fini", D, YES),
    ("pas encore", D, LATER),
    ("Pas encore 🙈", D, LATER),
    ("non pas encore", D, LATER),
    ("toujours pas", D, LATER),
    ("pas eu le temps", D, LATER),
    ("on n'a pas eu le temps", D, LATER),
    ("la semaine prochaine", D, LATER),
    ("reporté", D, LATER),
    ("reporté à jeudi", D, LATER),
    ("on se voit demain", D, LATER),
    ("pas vraiment", D, LATER),
    ("non on ne s'est pas encore vus", D, LATER),
    ("on s'est pas vus", D, LATER),
    ("ce sera pour plus tard", D, LATER),
    ("bientôt !", D, LATER),
    ("c'est prévu pour lundi prochain", D, LATER),
    ("non, on n'a pas réussi à se voir", D, LATER),
    ("non mais on se voit la semaine prochaine", D, LATER),
    ("on devait se voir hier mais il était malade", D, LATER),
    ("annulé", D, CLOSE),
    ("Annulé, il a quitté l'entreprise", D, CLOSE),
    ("ça ne se fera pas", D, CLOSE),
    ("ça se fera pas", D, CLOSE),
    ("non", D, CLOSE),
    ("Non.", D, CLOSE),
    ("nan", D, CLOSE),
    ("on laisse tomber", D, CLOSE),
    ("non, ce n'est plus d'actualité", D, CLOSE),
    ("pas la peine", D, CLOSE),
    ("ça n'aura pas lieu", D, CLOSE),
    ("oui mais pas encore", D, UNSURE),
    ("peut-être", D, UNSURE),
    ("je crois", D, UNSURE),
    ("je sais pas", D, UNSURE),
    ("oui et non", D, UNSURE),
    ("on s'est vus ?", D, UNSURE),
    ("c'est quoi ?", D, UNSURE),
    ("merci", D, UNSURE),
    ("d'accord", D, UNSURE),
    ("bof", D, UNSURE),
    ("à moitié", D, UNSURE),
    ("jamais", D, UNSURE),
    ("Oui ? Pourquoi ?", D, UNSURE),
    ("je pense que oui", D, UNSURE),
    ("moi aussi", D, UNSURE),
    ("Vu", D, UNSURE),
    ("je passe mon tour", D, UNSURE),
    ("mouais", D, UNSURE),
    ("pas exactement", D, UNSURE),
    ("non, il est malade", D, UNSURE),
    ("on ne s'est vus que 10 minutes", D, YES),
    ("Hier !", D, YES),
    ("je ne l'ai pas encore vu", D, LATER),
    # -- commands win over answers ---------------------------------------------------
    ("help", D, Command("help")),
    ("aide", D, Command("help")),
    ("aide svp", D, Command("help")),
    ("pause", D, Command("pause")),
    ("me", D, Command("me")),
    ("moi", R, Command("me")),
    ("Help me please", HR, Command("help")),
    # -- commands with nothing asked -------------------------------------------------
    ("teach Python", NO, Command("teach", "Python")),
    ("apprendre la photographie", NO, Command("learn", "photographie")),
    ("/rex me", NO, Command("me")),
    ("Help!", NO, Command("help")),
    ("enseigner l'anglais", NO, Command("teach", "anglais")),
    ("apprendre à coder en Rust", NO, Command("learn", "coder en Rust")),
    ("retirer le piano", NO, Command("remove", "piano")),
    ("rejoindre", NO, Command("join")),
    ("reprendre", NO, Command("resume")),
    ("quitter", NO, Command("leave")),
    ("éviter <@U123>", NO, Command("avoid", "<@U123>")),
    ("eviter <@U123>", NO, Command("avoid", "<@U123>")),
    ("mes-données", NO, Command("mydata")),
    ("mesdonnees", NO, Command("mydata")),
    ("oublie-moi", NO, Command("forget-me")),
    ("langue fr", NO, Command("language", "fr")),
    ("learn", NO, Command("learn")),
    ("Bonjour, aide svp", NO, Command("help")),
    ("pause jusqu'au 2025-09-01", NO, Command("pause", "2025-09-01")),
    ("pause until 2025-09-01", NO, Command("pause", "2025-09-01")),
    ("yes", NO, UNSURE),
    ("4/5", NO, UNSURE),
    ("2h", NO, UNSURE),
    ("I'd like to learn guitar", NO, UNSURE),
    # -- ratings ---------------------------------------------------------------------
    ("4/5", R, Rating(4)),
    ("4 / 5", R, Rating(4)),
    ("4 out of 5", R, Rating(4)),
    ("4 sur 5", R, Rating(4)),
    ("★★★★", R, Rating(4)),
    ("⭐⭐⭐⭐", R, Rating(4)),
    (":star::star::star::star::star:", R, Rating(5)),
    ("4 stars", R, Rating(4)),
    ("4 étoiles", R, Rating(4)),
    ("4", R, Rating(4)),
    ("5!", R, Rating(5)),
    ("5/5, super session", R, Rating(5)),
    ("cinq étoiles", R, Rating(5)),
    ("three stars", R, Rating(3)),
    ("★★★☆☆", R, Rating(3)),
    ("4 ⭐", R, Rating(4)),
    ("pas mal, 4/5", R, Rating(4)),
    ("10/10", R, Rating(5)),
    ("0/5", R, UNSURE),
    ("6", R, UNSURE),
    ("4.5/5", R, UNSURE),
    ("4 or 5", R, UNSURE),
    ("4 ou 5 étoiles", R, UNSURE),
    ("3-4", R, UNSURE),
    ("4/5?", R, UNSURE),
    ("great", R, UNSURE),
    ("yes", R, UNSURE),
    ("2h", R, UNSURE),
    ("not 5/5", R, UNSURE),
    # -- hours -----------------------------------------------------------------------
    ("1h30", HR, Hours(1.5)),
    ("1 h 30", HR, Hours(1.5)),
    ("1.5h", HR, Hours(1.5)),
    ("1,5 h", HR, Hours(1.5)),
    ("90 min", HR, Hours(1.5)),
    ("90 minutes", HR, Hours(1.5)),
    ("2 heures", HR, Hours(2)),
    ("une heure", HR, Hours(1)),
    ("an hour", HR, Hours(1)),
    ("half an hour", HR, Hours(0.5)),
    ("une demi-heure", HR, Hours(0.5)),
    ("2h", HR, Hours(2)),
    ("2", HR, Hours(2)),
    ("1,5", HR, Hours(1.5)),
    ("about 2 hours", HR, Hours(2)),
    ("environ 1h30", HR, Hours(1.5)),
    ("45 min", HR, Hours(0.75)),
    ("1h15", HR, Hours(1.25)),
    ("1h20", HR, Hours(1.25)),
    ("une heure et demie", HR, Hours(1.5)),
    ("an hour and a half", HR, Hours(1.5)),
    ("trois quarts d'heure", HR, Hours(0.75)),
    ("two hours", HR, Hours(2)),
    ("deux heures", HR, Hours(2)),
    ("1h30 de cours", HR, Hours(1.5)),
    ("2 hours, it flew by", HR, Hours(2)),
    ("2 sessions of 1h", HR, Hours(2)),
    ("1-2h", HR, UNSURE),
    ("1 or 2 hours", HR, UNSURE),
    ("entre 1 et 2 heures", HR, UNSURE),
    ("une à deux heures", HR, UNSURE),
    ("0", HR, UNSURE),
    ("200 hours", HR, UNSURE),
    ("90", HR, UNSURE),
    ("5 min", HR, UNSURE),
    ("4/5", HR, UNSURE),
    ("je ne sais plus", HR, UNSURE),
    ("2h?", HR, UNSURE),
    ("more than 3 hours", HR, UNSURE),
    ("à 14h", HR, UNSURE),
    # -- an evaluation prompt: either, with its unit ---------------------------------
    ("4/5", EV, Rating(4)),
    ("★★★★★", EV, Rating(5)),
    ("2h", EV, Hours(2)),
    ("1h30", EV, Hours(1.5)),
    ("4", EV, UNSURE),
    ("4/5 and 2h", EV, UNSURE),
]


def _understood(intent: Intent) -> bool:
    return not isinstance(intent, Unknown)


def _same(got: Intent, expected: Intent) -> bool:
    """Equal, or both unknown whatever command they point to."""
    return got == expected or (isinstance(got, Unknown) and isinstance(expected, Unknown))


def test_table_is_large_and_bilingual() -> None:
    assert len(TABLE) >= 150
    assert len({(text, expecting) for text, expecting, _ in TABLE}) == len(TABLE)
    assert sum(isinstance(expected, Unknown) for _, _, expected in TABLE) >= 50


@pytest.mark.parametrize(("text", "expecting", "expected"), TABLE)
def test_reply_is_never_misread(text: str, expecting: Expecting, expected: Intent) -> None:
    """Precision row by row: either the expected meaning, or Unknown (a recall miss)."""
    got = parse_reply(text, expecting)
    assert _same(got, expected) or not _understood(got), (text, expecting, got)


def test_precision_and_recall_over_the_table() -> None:
    got = [(parse_reply(text, expecting), expected) for text, expecting, expected in TABLE]
    answered = [(g, e) for g, e in got if _understood(g)]
    meant = [(g, e) for g, e in got if _understood(e)]
    precision = sum(g == e for g, e in answered) / len(answered)
    recall = sum(g == e for g, e in meant) / len(meant)
    missed = [text for (g, e), (text, _, _) in zip(got, TABLE, strict=True) if not _same(g, e)]
    assert (precision, recall >= 0.9) == (1.0, True), (precision, recall, missed)


# -- one behaviour at a time ---------------------------------------------------------


def test_bare_no_closes_but_an_explanation_only_offers_to_reschedule() -> None:
    assert parse_reply("no", D) == WontHappen()
    assert parse_reply("non", D) == WontHappen()
    assert parse_reply("no, we didn't meet", D) == NotYet()
    assert parse_reply("non, on ne s'est pas vus", D) == NotYet()


def test_answers_need_the_question() -> None:
    assert isinstance(parse_reply("yes", R), Unknown)
    assert isinstance(parse_reply("4", D), Unknown)
    assert isinstance(parse_reply("4", HR), Hours)
    assert isinstance(parse_reply("2", R), Rating)
    assert isinstance(parse_reply("2", EV), Unknown)


def test_hours_are_rounded_to_quarter_hours() -> None:
    assert parse_reply("50 min", HR) == Hours(0.75)
    assert parse_reply("1h05", HR) == Hours(1)
    assert parse_reply("10 min", HR) == Hours(0.25)
    assert parse_reply("7 min", HR) == Unknown()
    assert parse_reply("100h", HR) == Hours(100)
    assert parse_reply("101h", HR) == Unknown()


def test_a_typed_command_that_does_not_fit_points_to_it() -> None:
    assert parse_reply("me too", D) == Unknown("me")
    assert parse_reply("pause café ?", NO) == Unknown("pause")
    assert parse_reply("help with my profile", NO) == Unknown("help")


def test_unknown_suggests_the_closest_command_of_the_first_word() -> None:
    assert parse_reply("lern python", NO) == Unknown("learn")
    assert parse_reply("aprendre le violon", NO) == Unknown("learn")
    assert parse_reply("xyz", NO) == Unknown(None)
    assert parse_reply("maybe", D) == Unknown(None)


@pytest.mark.parametrize(
    ("word", "closest"),
    [
        ("lern", "learn"),
        ("aprendre", "learn"),
        ("hepl", "help"),
        ("aidez", "help"),
        ("aider", "help"),
        ("enseignr", "teach"),
        ("rejoidre", "join"),
        ("langage", "language"),
        ("oublimoi", "forget-me"),
        ("Éviter", "avoid"),
        ("ME", "me"),
        ("xyz", None),
        ("hello", None),
        ("yes", None),
        ("ok", None),
        ("", None),
        ("mx", None),
    ],
)
def test_closest_command(word: str, closest: str | None) -> None:
    assert closest_command(word) == closest


@pytest.mark.parametrize(
    ("text", "argument"),
    [
        ("apprendre la photographie", "photographie"),
        ("apprendre le piano", "piano"),
        ("apprendre les bases de la photo", "bases de la photo"),
        ("apprendre l'anglais", "anglais"),
        ("apprendre l’espagnol", "espagnol"),
        ("apprendre du Python", "Python"),
        ("apprendre de la poterie", "poterie"),
        ("apprendre des langues", "langues"),
        ("apprendre à la guitare", "guitare"),
        ("apprendre a coder", "coder"),
        ("apprendre au tableau", "tableau"),
        ("apprendre La Photo", "Photo"),
        ("apprendre la", "la"),  # never the last word: the caller shows the usage
        ("enseigner Le Corbusier et la mise en page", "Corbusier et la mise en page"),
        ("apprendre la photo svp", "photo"),
        ("apprendre la photo, s'il te plaît !", "photo"),
        ("teach la photographie", "la photographie"),  # English word: text as typed
        ("learn a language", "a language"),
        ("learn C++", "C++"),
        ("teach C#.", "C#"),
    ],
)
def test_french_articles_in_front_of_a_skill_are_dropped(text: str, argument: str) -> None:
    command = parse_command(text)
    assert command is not None
    assert command.argument == argument


@pytest.mark.parametrize(
    "text",
    ["hello", "me and Paul met", "leave me alone", "help with my skills", "pause café", ""],
)
def test_not_a_command(text: str) -> None:
    assert parse_command(text) is None


def test_every_subcommand_has_an_english_and_a_french_word() -> None:
    french = {
        "aide": "help",
        "rejoindre": "join",
        "enseigner": "teach",
        "apprendre": "learn",
        "retirer": "remove",
        "moi": "me",
        "pause": "pause",
        "reprendre": "resume",
        "quitter": "leave",
        "éviter": "avoid",
        "eviter": "avoid",
        "mes-données": "mydata",
        "mes-donnees": "mydata",
        "oublie-moi": "forget-me",
        "langue": "language",
        "classement": "leaderboard",
        "admin": "admin",
    }
    for word, name in french.items():
        assert COMMANDS[word] == name
        assert resolve_command(word.upper()) == name
        assert command_word(name, "fr") in COMMANDS
        assert command_word(name, "en") == name
    assert set(COMMANDS.values()) == set(french.values()) | {"forget-me"}
    assert all(COMMANDS[name] == name for name in COMMANDS.values())
    assert resolve_command("Mes_Données") == "mydata"
    assert resolve_command("nope") is None


def test_long_replies_are_not_answers() -> None:
    assert parse_reply("1h " * 5000, HR) == Unknown()
    assert parse_reply("yes " * 40, D) == Unknown()
    assert parse_reply("teach " + "x" * 5000, NO) == Command("teach", "x" * 5000)


def test_limits_match_the_domain() -> None:
    with pytest.raises(ValueError):
        Rating(0)
    with pytest.raises(ValueError):
        Hours(1.1)
    with pytest.raises(ValueError):
        Hours(0)


def test_intents_carry_no_free_text() -> None:
    for intent in (Happened, NotYet, WontHappen):
        assert fields(intent) == ()
    assert [f.name for f in fields(Unknown)] == ["closest_command"]


@given(st.text(max_size=200), st.sampled_from(Expecting))
def test_any_text_gives_an_intent(text: str, expecting: Expecting) -> None:
    intent = parse_reply(text, expecting)
    assert isinstance(intent, Happened | NotYet | WontHappen | Rating | Hours | Command | Unknown)
    if expecting is Expecting.NOTHING:
        assert isinstance(intent, Command | Unknown)


# Words and signs answers are made of, to mix at random.
_PIECES = (
    *("yes", "no", "oui", "non", "not", "pas", "yet", "encore", "met", "vus", "fait"),
    *("annulé", "h", "min", "heure", "hour", "stars", "/", "?", "!", ",", ".", "4", "1h30"),
    *("★", "⭐", "☆", ":star:", ":+1:", "👍", "👎", "sur", "out of", "à", "la", "l'", "n't"),
    *("help", "aide", "moi", "me", "<@U1>", "et demie", "and a half", "-", "😅"),
)


@given(
    st.lists(st.sampled_from(_PIECES) | st.text(max_size=3), max_size=12),
    st.sampled_from(Expecting),
)
def test_answer_shaped_text_gives_an_intent(pieces: list[str], expecting: Expecting) -> None:
    intent = parse_reply(" ".join(pieces), expecting)
    both = Expecting.HAPPENED_OR_EVALUATION
    if isinstance(intent, Rating):
        assert expecting in (Expecting.RATING, Expecting.EVALUATION, both)
    if isinstance(intent, Hours):
        assert expecting in (Expecting.HOURS, Expecting.EVALUATION, both)
    if isinstance(intent, Happened | NotYet | WontHappen):
        assert expecting in (Expecting.DID_IT_HAPPEN, both)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("not yet", NotYet()),
        ("pas encore", NotYet()),
        ("it didn't happen", NotYet()),
        ("oui on s'est vus", Happened()),
        ("4/5", Rating(4)),
        ("1h30", Hours(1.5)),
    ],
)
def test_a_standing_question_keeps_every_answer_understood(text: str, intent: object) -> None:
    """Once a partner said it happened, the other's "Did it happen?" still stands: its
    answers are understood as well as the evaluation's."""
    assert parse_reply(text, Expecting.HAPPENED_OR_EVALUATION) == intent
