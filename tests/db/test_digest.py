"""The managers' digest on both databases: every figure of a seeded history against numbers
worked out by hand, the privacy rules (k ≥ 3, opt-in, no comment), empty networks, and the
chart's PNG."""

import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from matplotlib.image import imread
from sqlmodel import Session

from bot.charts import HEIGHT, WIDTH, weekly_chart
from bot.digest.compute import compute_digest
from bot.digest.model import (
    LEADERBOARD_MAX,
    MARKET_LIST,
    TOP_SKILLS,
    WEEKS,
    Digest,
    Leaderboard,
    Market,
    Ranked,
    SkillCount,
    SkillQuality,
    Trend,
    Week,
)
from bot.lifecycle import DISPUTED
from bot.matching import key_of, skill_name
from bot.periods import Period, last_monday
from handlers.views.digest import chart_labels
from storage.models import ExchangeEvent, GoalMet, MemberStatus, Skill, SkillKind
from tests.support.history import (
    NOW,
    PERIOD,
    SECRET,
    People,
    S,
    add_exchange,
    add_member,
    at,
    evaluate,
    python_class,
    seed_history,
)


@pytest.fixture
def history(session: Session) -> tuple[Digest, People]:
    people = seed_history(session)
    return compute_digest(session, period=PERIOD), people


def test_member_figures_by_hand(history: tuple[Digest, People]) -> None:
    """Now: Ada, Bob, Cleo, Dan active (Dan new, with nothing to learn), Eve paused, Finn
    left this week. The week before: Finn still counts as active, Dan had not joined,
    Cleo was new."""
    digest, _ = history
    now, before = digest.current, digest.previous
    assert (now.active, now.new, now.paused, now.left, now.incomplete) == (4, 1, 1, 1, 1)
    assert (before.active, before.new, before.paused, before.left, before.incomplete) == (
        4,
        1,
        1,
        0,
        0,
    )
    assert before.period == PERIOD.previous() == Period(at(16, 9), at(23, 9))


def test_exchange_figures_by_hand(history: tuple[Digest, People]) -> None:
    """Proposed X2, X3, X4, X6; sessions held: X2, X3 twice; evaluated X1, X2, X3;
    declined X4; expired X5. The week before: X1 proposed and held."""
    digest, _ = history
    now, before = digest.current, digest.previous
    assert (now.proposed, now.held, now.sessions) == (4, 2, 3)
    assert (now.evaluated, now.declined, now.expired) == (3, 1, 1)
    assert (before.proposed, before.held, before.sessions) == (1, 1, 1)
    assert (before.evaluated, before.declined, before.expired) == (0, 0, 0)


def test_quality_figures_by_hand(history: tuple[Digest, People]) -> None:
    """Eight evaluations this week, rated 4 4 3 5 5 2 4 5: six satisfied (75%), average
    32 / 8 = 4; five goal answers (yes, partly, no, partly, yes): 40% yes, 40% partly;
    learners' hours 2 + 2 + 1 + 1 + 1 = 7. Asked: X2's four people and X3's two, twice:
    8; given: 4 + 1 + 2 = 7. The week before: one evaluation, too few for any rating
    figure; X1's two people were asked and both answered (Ada after that week)."""
    digest, _ = history
    now, before = digest.current, digest.previous
    assert now.evaluations == 8
    assert now.satisfaction_rate == pytest.approx(0.75)
    assert now.satisfaction_average == pytest.approx(4.0)
    assert now.goals_yes == pytest.approx(0.4) and now.goals_partly == pytest.approx(0.4)
    assert now.hours == pytest.approx(7.0)
    assert (now.evaluations_asked, now.evaluations_given) == (8, 7)
    assert now.response_rate == pytest.approx(7 / 8)
    assert before.evaluations == 1 and before.hours == pytest.approx(1.5)
    assert before.satisfaction_rate is None and before.satisfaction_average is None
    assert before.goals_yes is None and before.goals_partly is None
    assert before.response_rate == 1.0


def test_hours_typed_in_a_dm_count_as_learning_time(session: Session) -> None:
    """A learner who typed "4, 2h" in Rex's DM answered no goal question: the two hours
    count as learning time and the goal shares stand on the form's answers only."""
    ada, learners, x = python_class(session, proposed=at(23, 12), held=at(24))
    evaluate(session, x, learners[0], at(25), 4, 2.0, typed_by_learner=True)
    for learner in learners[1:]:
        evaluate(session, x, learner, at(25), 5, 1.0, goal=GoalMet.YES)
    evaluate(session, x, ada, at(25), 5, 1.5, typed_by_learner=False)
    session.commit()
    now = compute_digest(session, period=PERIOD).current
    assert now.hours == pytest.approx(4.0)
    assert now.evaluations == 4 and now.goals_yes is None  # two goal answers: too few


def test_trends_against_the_previous_period(history: tuple[Digest, People]) -> None:
    digest, _ = history
    assert digest.trend("proposed") == Trend(4, 1)
    assert (digest.trend("proposed").delta, digest.trend("proposed").direction) == (3, 1)
    assert digest.trend("hours").delta == pytest.approx(5.5)
    assert digest.trend("incomplete").direction == 1
    assert digest.trend("active").direction == 0
    assert digest.trend("response_rate").delta == pytest.approx(7 / 8 - 1)
    assert digest.trend("response_rate").direction == -1
    no_rating_before = digest.trend("satisfaction_rate")
    assert (no_rating_before.delta, no_rating_before.direction) == (None, 0)


def test_market_by_hand(history: tuple[Digest, People]) -> None:
    """Active members teach Python (Ada, and Cleo as "python"), Knitting, Public speaking,
    Excel, and want Rust (Bob, Cleo), Python, Public speaking. Rust's only teacher is
    paused: an orphan. Nobody active wants Excel (Finn left) or Knitting: idle."""
    market = history[0].market
    assert market.offered == tuple(
        SkillCount(label, key_of(label), members)
        for label, members in (("Python", 2), ("Excel", 1), ("Knitting", 1), ("Public speaking", 1))
    )
    assert [(s.label, s.members) for s in market.requested] == [
        ("Rust", 2),
        ("Public speaking", 1),
        ("Python", 1),
    ]
    assert [(s.label, s.members) for s in market.orphans] == [("Rust", 2)]
    assert [(s.label, s.members) for s in market.idle] == [("Excel", 1), ("Knitting", 1)]
    assert (market.orphan_total, market.idle_total) == (1, 2)


def test_one_skill_is_one_line_whatever_members_typed(session: Session) -> None:
    """Wordings of one skill in French, English and another case are one entry, named by
    the taxonomy in the digest's language, even when stored by an older vocabulary."""
    add_member(session, "ada", teach=["Gestion du temps"], learn=["thermodynamique"])
    add_member(session, "bob", teach=["time management"], learn=["Thermodynamics"])
    cleo = add_member(session, "cleo", teach=["Time Management"], learn=["Chess"])
    stale = Skill(
        member_id=cleo, kind=SkillKind.LEARN, label="THERMODYNAMICS", normalized="~old form"
    )
    session.add(stale)
    market = compute_digest(session, period=PERIOD).market
    assert [s.members for s in market.offered] == [3]
    assert [s.members for s in market.requested] == [3, 1]
    english = [skill_name(s.label, "en") for s in (*market.offered, *market.requested)]
    french = [skill_name(s.label, "fr") for s in (*market.offered, *market.requested)]
    assert english == ["Time management", "Thermodynamics", "Chess"]
    assert french == ["Gérer le temps", "Thermodynamique", "Chess"]


def test_disputed_sessions_are_counted_never_named(session: Session) -> None:
    ada = add_member(session, "ada", teach=["Python"], learn=["Go"])
    bob = add_member(session, "bob", teach=["Go"], learn=["Python"])
    proposed, held = PERIOD.since + timedelta(hours=1), PERIOD.since + timedelta(days=2)
    x = add_exchange(session, [(ada, bob, "Python")], [(S.PROPOSED, proposed), (S.HELD, held)])
    session.add(
        ExchangeEvent(exchange_id=x, from_state=S.HELD, to_state=DISPUTED, member_id=bob, at=held)
    )
    assert compute_digest(session, period=PERIOD).current.disputed == 1


def test_skill_quality_needs_three_people(session: Session) -> None:
    """Python's three learners this week rated 4, 3, 5 (2 of 3 satisfied, average 4), but
    the week's other evaluations are Ada's and Bob's only: the week's figure minus
    Python's would give those two away, so no skill line. Cleo's evaluation of Public
    speaking adds a third person left out: Python shows. Public speaking itself needs a
    third person (Ada rated it twice): with Dan's it shows, and Python goes, since the two
    lines together would leave only Ada's and Bob's evaluations out again."""
    people = seed_history(session)
    assert compute_digest(session, period=PERIOD).skill_quality == ()
    shown = []
    for learner, rating in ((people.cleo, 5), (people.dan, 4)):
        x = add_exchange(
            session,
            [(people.bob, learner, "Public speaking")],
            [(S.PROPOSED, at(24)), (S.HELD, at(26)), (S.EVALUATED, at(27))],
        )
        evaluate(session, x, learner, at(27), rating, 1.0, goal=GoalMet.YES)
        session.commit()
        shown.append(compute_digest(session, period=PERIOD).skill_quality)
    assert shown[0] == (SkillQuality("Python", key_of("Python"), 3, 2 / 3, 4.0),)
    [speaking] = shown[1]
    assert (speaking.label, speaking.evaluations) == ("Public speaking", 4)
    assert speaking.satisfaction_rate == pytest.approx(3 / 4)


def test_skill_figures_never_leave_one_or_two_evaluations_out(session: Session) -> None:
    """Three learners rate Python; their teacher's own evaluation would be the period's
    figure minus Python's: the skill line is dropped, the period's figure stays."""
    ada, learners, x = python_class(session, proposed=at(23, 12), held=at(24))
    for learner in learners:
        evaluate(session, x, learner, at(25), 5, 1.0, goal=GoalMet.YES)
    session.commit()
    assert [q.label for q in compute_digest(session, period=PERIOD).skill_quality] == ["Python"]
    evaluate(session, x, ada, at(25), 1, 1.0, useful=GoalMet.NO)
    session.commit()
    digest = compute_digest(session, period=PERIOD)
    assert digest.current.satisfaction_rate == pytest.approx(3 / 4)
    assert digest.skill_quality == ()


def test_a_period_with_fewer_than_three_people_shows_no_rating(session: Session) -> None:
    """Two people, then one person evaluating three sessions: never a rating figure, nor
    a goal share, for the period or its week."""
    ada = add_member(session, "Ada", teach=["Python"], learn=["Go"])
    bob = add_member(session, "Bob", teach=["Go"], learn=["Python"])
    x = add_exchange(session, [(ada, bob, "Python")], [(S.PROPOSED, at(23, 12)), (S.HELD, at(24))])
    evaluate(session, x, bob, at(24), 2, 1.0, goal=GoalMet.NO)
    evaluate(session, x, ada, at(25), 5, 1.0, useful=GoalMet.YES)
    for number in (2, 3):
        evaluate(session, x, bob, at(25 + number), 1, 1.0, goal=GoalMet.NO, number=number)
    session.commit()
    digest = compute_digest(session, period=PERIOD)
    assert digest.current.evaluations == 4
    assert digest.current.satisfaction_rate is None and digest.current.satisfaction_average is None
    assert digest.current.goals_yes is None and digest.current.goals_partly is None
    assert digest.weekly[-1].evaluations == 4 and digest.weekly[-1].satisfaction_rate is None
    assert digest.skill_quality == ()


def test_a_month_rates_only_the_weeks_that_showed_a_rating(session: Session) -> None:
    """Three learners rate the week of Nov 2 (all 5); only Bob rates the week of Nov 23
    (a 1), whose own digest shows no rating: the month's figure minus the first week's
    would be Bob's, so the month rates the first week only, and shows no Python line
    (that line minus the first week's would be Bob's too), until Cleo and Dan rate the
    last week as well."""
    _, learners, x = python_class(session, proposed=at(2, 12), held=at(3))
    for learner in learners:
        evaluate(session, x, learner, at(4), 5, 1.0, goal=GoalMet.YES)
    evaluate(session, x, learners[0], at(24), 1, 1.0, goal=GoalMet.NO, number=2)
    session.commit()
    month = Period.weeks_to(date(2026, 11, 30), weeks=4, tz=UTC)
    week = Period.weeks_to(date(2026, 11, 30), weeks=1, tz=UTC)
    assert compute_digest(session, period=week).current.satisfaction_rate is None
    partial = compute_digest(session, period=month)
    assert partial.current.evaluations == 4
    assert partial.current.satisfaction_rate == 1.0 and partial.current.goals_yes == 1.0
    assert partial.skill_quality == ()
    for learner in learners[1:]:
        evaluate(session, x, learner, at(25), 4, 1.0, goal=GoalMet.YES, number=2)
    session.commit()
    whole = compute_digest(session, period=month)
    assert whole.current.satisfaction_rate == pytest.approx(5 / 6)
    assert whole.current.goals_yes == pytest.approx(5 / 6)
    assert [q.evaluations for q in whole.skill_quality] == [6]


def test_a_quarter_still_charts_twelve_weeks(session: Session) -> None:
    quarter = Period.weeks_to(date(2026, 11, 30), weeks=13, tz=UTC)
    weekly = compute_digest(session, period=quarter).weekly
    assert len(weekly) == WEEKS
    assert (weekly[0].start.date(), weekly[-1].start.date()) == (
        date(2026, 9, 7),
        date(2026, 11, 23),
    )


def test_whole_weeks_where_the_managers_are() -> None:
    """Any time in the week of Monday Nov 30 (Paris) gives the week of Nov 23 to 29,
    midnight to midnight in Paris; a month is four weeks, across a change of time too."""
    paris = ZoneInfo("Europe/Paris")
    for now in (
        datetime(2026, 11, 30, 0, 30, tzinfo=paris),
        datetime(2026, 12, 6, 22, 0, tzinfo=UTC),
    ):
        assert last_monday(now, paris) == date(2026, 11, 30)
    week = Period.weeks_to(date(2026, 11, 30), weeks=1, tz=paris)
    assert (week.since, week.until) == (
        datetime(2026, 11, 23, tzinfo=paris),
        datetime(2026, 11, 30, tzinfo=paris),
    )
    assert week.previous().since == datetime(2026, 11, 16, tzinfo=paris)
    spring = Period.weeks_to(date(2026, 4, 6), weeks=4, tz=paris)  # clocks went forward Mar 29
    assert spring.since.astimezone(UTC) == datetime(2026, 3, 8, 23, 0, tzinfo=UTC)
    assert spring.until.astimezone(UTC) == datetime(2026, 4, 5, 22, 0, tzinfo=UTC)


def test_leaderboard_names_only_members_who_opted_in(history: tuple[Digest, People]) -> None:
    """Teachers: Ada 1.5 (X1) + 2 (X2), Bob 1 (X3). Learners: Ada 1 + 1 (X3), Bob 2 and
    Dan 1 (X2); Cleo learned 2 hours too but did not opt in."""
    board = history[0].leaderboard
    assert board.teachers == (Ranked("UADA", "Ada", 3.5), Ranked("UBOB", "Bob", 1.0))
    assert board.learners == (
        Ranked("UADA", "Ada", 2.0),
        Ranked("UBOB", "Bob", 2.0),
        Ranked("UDAN", "Dan", 1.0),
    )
    assert "UCLEO" not in {r.slack_id for r in (*board.teachers, *board.learners)}


def test_leaderboard_never_names_more_than_ten(session: Session) -> None:
    """Twelve opted-in teachers, one who taught most but did not opt in, one who left."""
    learner = add_member(session, "Learner", learn=["Python"])
    teachers = [
        add_member(session, f"T{i:02d}", teach=["Python"], leaderboard=True) for i in range(12)
    ]
    shy = add_member(session, "Shy", teach=["Python"])
    gone = add_member(session, "Gone", teach=["Python"], leaderboard=True, status=MemberStatus.LEFT)
    for hours, teacher in enumerate([*teachers, shy, gone], start=1):
        x = add_exchange(
            session, [(teacher, learner, "Python")], [(S.PROPOSED, at(23, 12)), (S.HELD, at(24))]
        )
        evaluate(
            session,
            x,
            teacher,
            at(25),
            5,
            float(hours) + (100 if teacher == shy else 0),
            useful=GoalMet.YES,
        )
    session.commit()
    board = compute_digest(session, period=PERIOD).leaderboard
    assert len(board.teachers) == LEADERBOARD_MAX
    assert [r.display_name for r in board.teachers] == [f"T{i:02d}" for i in range(11, 1, -1)]
    assert board.learners == ()


def test_weekly_series_by_hand(history: tuple[Digest, People]) -> None:
    """Twelve weeks ending with the period: this week as above, the week before with X1,
    the week of Nov 9 with X5's proposal, the week of Sep 28 with X7 (one evaluation)."""
    weekly = history[0].weekly
    assert len(weekly) == WEEKS
    assert weekly[0].start == at(7, 9, month=9) and weekly[-1].start == PERIOD.since
    by_start = {w.start: w for w in weekly}
    assert by_start[PERIOD.since] == Week(PERIOD.since, 4, 3, 7.0, 8, 0.75)
    assert by_start[at(16, 9)] == Week(at(16, 9), 1, 1, 1.5, 1, None)
    assert by_start[at(9, 9)] == Week(at(9, 9), 1, 0, 0.0, 0, None)
    assert by_start[at(28, 9, month=9)] == Week(at(28, 9, month=9), 1, 1, 0.5, 1, None)
    quiet = [
        w for w in weekly if w.start not in {PERIOD.since, at(16, 9), at(9, 9), at(28, 9, month=9)}
    ]
    assert len(quiet) == 8
    assert all((w.proposed, w.sessions, w.evaluations, w.hours) == (0, 0, 0, 0) for w in quiet)


def test_no_comment_leaves_the_evaluations(history: tuple[Digest, People]) -> None:
    assert SECRET not in repr(history[0])


def test_an_empty_network_gives_zeros_not_errors(session: Session) -> None:
    digest = compute_digest(session, period=PERIOD)
    for figures in (digest.current, digest.previous):
        assert figures.quiet
        assert (figures.active, figures.proposed, figures.sessions, figures.evaluations) == (
            0,
            0,
            0,
            0,
        )
        assert figures.hours == 0 and figures.response_rate is None
        assert figures.satisfaction_rate is None and figures.goals_yes is None
    assert digest.market == Market()
    assert digest.skill_quality == () and digest.leaderboard == Leaderboard()
    assert [w.evaluations for w in digest.weekly] == [0] * WEEKS
    assert digest.trend("proposed").direction == 0


def test_a_quiet_week_in_a_living_network(session: Session) -> None:
    """The week after the history: nobody joined, nothing happened, the members are
    still there and every trend points down from the busy week."""
    seed_history(session)
    digest = compute_digest(session, period=Period(NOW, NOW + timedelta(days=7)))
    assert digest.current.quiet and not digest.previous.quiet
    assert (digest.current.active, digest.current.evaluations) == (4, 0)
    assert digest.trend("proposed") == Trend(0, 4)
    assert digest.trend("proposed").direction == -1


def test_lists_stay_short_with_500_skills(session: Session) -> None:
    """250 members each teaching and wanting a skill nobody else names: every list the
    digest carries stays capped (so its message stays far below Slack's 50 blocks), with
    the totals beside them."""
    for i in range(250):
        add_member(session, f"M{i:03d}", teach=[f"teachskill{i:03d}"], learn=[f"wantskill{i:03d}"])
    session.commit()
    market = compute_digest(session, period=PERIOD).market
    assert len(market.offered) == len(market.requested) == TOP_SKILLS
    assert len(market.orphans) == len(market.idle) == MARKET_LIST
    assert market.orphan_total == market.idle_total == 250


def test_period_rules() -> None:
    assert PERIOD.previous() == Period(at(16, 9), at(23, 9))
    assert Period(at(1, 9, month=10), at(31, 9, month=10)).previous().length == timedelta(days=30)
    with pytest.raises(ValueError):
        Period(NOW, NOW)
    with pytest.raises(ValueError):
        Period(datetime(2026, 11, 23), datetime(2026, 11, 30))


def test_chart_is_a_png_of_the_announced_size(history: tuple[Digest, People]) -> None:
    digest = history[0]
    labels = chart_labels(digest, "en")
    assert labels.weeks[0] == "Sep 7" and labels.weeks[-1] == "Nov 23"
    png = weekly_chart(digest.weekly, title="Rex, the last 12 weeks", labels=labels)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert imread(io.BytesIO(png), format="png").shape[:2] == (HEIGHT, WIDTH)
    assert png == weekly_chart(digest.weekly, title="Rex, the last 12 weeks", labels=labels)


def test_chart_of_an_empty_network(session: Session) -> None:
    digest = compute_digest(session, period=PERIOD)
    png = weekly_chart(digest.weekly, title="Nothing yet", labels=chart_labels(digest, "fr"))
    assert imread(io.BytesIO(png), format="png").shape[:2] == (HEIGHT, WIDTH)
