"""The digest's Block Kit, as dicts: figures with their trends in both languages, the quiet
period, the k ≥ 3 rule, escaping, and bounded sizes whatever the network."""

import dataclasses
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.digest.model import (
    LEADERBOARD_MAX,
    LEARNERS_MAX,
    MARKET_LIST,
    SKILL_QUALITY_MAX,
    TOP_SKILLS,
    WEEKS,
    Digest,
    Figures,
    Leaderboard,
    Market,
    Ranked,
    SkillCount,
    SkillQuality,
    Week,
)
from bot.offline.fakeslack.blocks import message_paragraphs
from bot.periods import Period
from handlers.views.digest import chart_labels, digest_blocks, digest_title, worth_charting
from handlers.views.kit import MESSAGE_BLOCK_LIMIT, escape
from tests.support.catalogue import CATALOGUES

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
PERIOD = Period.weeks_to(NOW.date(), weeks=1, tz=UTC)  # Monday Nov 23 to Sunday Nov 29
NBSP = "\u00a0"


def figures(period: Period, **values: Any) -> Figures:
    """A period where nothing happened, with `values` changed."""
    empty = Figures(
        period=period,
        active=0,
        new=0,
        paused=0,
        left=0,
        incomplete=0,
        proposed=0,
        held=0,
        sessions=0,
        evaluated=0,
        declined=0,
        expired=0,
        hours=0.0,
        evaluations=0,
        satisfaction_rate=None,
        satisfaction_average=None,
        goals_yes=None,
        goals_partly=None,
        evaluations_asked=0,
        evaluations_given=0,
    )
    return dataclasses.replace(empty, **values)


def skill(label: str, members: int) -> SkillCount:
    return SkillCount(label, label.casefold(), members)


WEEKLY = tuple(Week(NOW - timedelta(weeks=WEEKS - i), 0, 0, 0.0, 0, None) for i in range(WEEKS))
BUSY = Digest(
    current=figures(
        PERIOD,
        active=42,
        new=5,
        paused=2,
        left=1,
        incomplete=3,
        proposed=12,
        held=8,
        sessions=10,
        evaluated=7,
        declined=1,
        expired=2,
        hours=14.5,
        evaluations=16,
        satisfaction_rate=0.75,
        satisfaction_average=4.3,
        goals_yes=0.6,
        goals_partly=0.3,
        evaluations_asked=20,
        evaluations_given=16,
    ),
    previous=figures(
        PERIOD.previous(),
        active=40,
        new=5,
        proposed=8,
        held=9,
        evaluated=7,
        hours=12.0,
        evaluations=9,
        satisfaction_rate=0.7,
        satisfaction_average=4.3,
        goals_yes=0.5,
        goals_partly=0.2,
        evaluations_asked=10,
        evaluations_given=9,
    ),
    market=Market(
        offered=(skill("Python", 6), skill("Excel", 3)),
        requested=(skill("Rust", 4),),
        orphans=(skill("Rust", 4), skill("<!channel> Go", 1)),
        orphan_total=7,
        idle=(skill("Knitting", 1),),
        idle_total=1,
    ),
    skill_quality=(SkillQuality("Python", "python", 5, 0.8, 4.4),),
    leaderboard=Leaderboard(
        teachers=(Ranked("UADA", "Ada <b>", 6.0), Ranked("UBOB", "", 2.5)),
        learners=(Ranked("UCLEO", "Cléo", 3.0),),
    ),
    weekly=WEEKLY,
)


def texts(content: list[dict[str, Any]]) -> str:
    """Every text of the blocks, in order, as Slack shows them."""
    return "\n".join(message_paragraphs({"blocks": content}))


def test_busy_week_in_english() -> None:
    content = digest_blocks(BUSY, "en")
    assert [b["type"] for b in content] == [
        "header",
        "section",
        "divider",
        *["section"] * 7,
        "context",
    ]
    assert content[0]["text"]["text"] == "Rex digest: Nov 23, 2026 to Nov 29, 2026"
    members, exchanges, hours, quality = (f["text"] for f in content[1]["fields"])
    assert members == (
        "*Members*\n42 ▲2 active · 5 new\n2 paused · 1 left · 3 with an incomplete profile"
    )
    assert exchanges == (
        "*Exchanges*\n12 ▲4 proposed · 8 ▼1 held · 7 evaluated\n"
        "1 declined · 2 expired · sessions held: 10"
    )
    assert hours == "*Learning time*\n14.5 ▲2.5 hours"
    assert quality == (
        "*Quality* (16 evaluations)\n"
        "75% ▲5 pts satisfied (4 or 5 out of 5), average 4.3/5\n"
        "Goals: 60% ▲10 pts met, 30% partly met\n"
        "Evaluations returned: 80% (16 of 20)"  # no trend: see handlers.views.digest
    )
    shown = texts(content)
    assert "*Most offered:* *Python* (6), *Excel* (3)" in shown
    assert "*Most requested:* *Rust* (4)" in shown
    assert "(teachers to recruit):* *Rust* (4), *&lt;!channel&gt; Go* (1) and 5 more" in shown
    assert "*Offered but nobody asks for it yet:* *Knitting* (1)" in shown
    assert "*Satisfaction by skill* (each from 3 people or more): *Python* 80% (5)" in shown
    assert "*Shared most hours* (members who opted in): Ada &lt;b&gt; (6 h), UBOB (2.5 h)" in shown
    assert "*Learned most:* Cléo (3 h)" in shown
    assert "<@" not in shown and "<!" not in shown  # being listed never pings anyone


def test_busy_week_in_french() -> None:
    content = digest_blocks(BUSY, "fr")
    assert content[0]["text"]["text"] == "Bilan Rex du 23 nov. 2026 au 29 nov. 2026"
    members, exchanges, hours, quality = (f["text"] for f in content[1]["fields"])
    assert f"actifs{NBSP}: 42 ▲2 · nouveaux{NBSP}: 5" in members
    assert f"réalisés{NBSP}: 8 ▼1 · évalués{NBSP}: 7" in exchanges
    assert hours == "*Temps d’apprentissage*\n14,5 ▲2,5 h"
    assert f"satisfaits (4 ou 5 sur 5){NBSP}: 75{NBSP}% ▲5 points" in quality
    assert f"moyenne{NBSP}: 4,3/5" in quality
    shown = texts(content)
    assert f"*Python*{NBSP}: 80{NBSP}% (5)" in shown
    assert "et 5 de plus" in shown and "`/rex classement oui`" in shown


def test_skills_are_named_in_the_readers_language() -> None:
    """A skill members typed in French reads in English in an English digest and the
    other way round; an unknown wording is shown as members typed it."""
    market = Market(offered=(skill("Gestion de projet", 2), skill("Zorblax", 1)))
    busy = replace(BUSY, market=market)
    assert "*Most offered:* *Project management* (2), *Zorblax* (1)" in texts(
        digest_blocks(busy, "en")
    )
    assert "*Gestion de projets* (2), *Zorblax* (1)" in texts(digest_blocks(busy, "fr"))


def test_disputed_sessions_are_a_count() -> None:
    current = replace(BUSY.current, disputed=2)
    content = digest_blocks(replace(BUSY, current=current), "en")
    assert "· disputed sessions: 2" in content[1]["fields"][1]["text"]
    assert "disputed" not in digest_blocks(BUSY, "en")[1]["fields"][1]["text"]


def test_unchanged_figures_have_no_arrow() -> None:
    same = dataclasses.replace(BUSY, previous=dataclasses.replace(BUSY.current, period=PERIOD))
    fields = texts(digest_blocks(same, "en")[:2])
    assert "▲" not in fields and "▼" not in fields


def test_too_few_evaluations_show_no_rating() -> None:
    few = dataclasses.replace(
        BUSY,
        current=dataclasses.replace(
            BUSY.current,
            evaluations=2,
            satisfaction_rate=None,
            satisfaction_average=None,
            goals_yes=None,
            goals_partly=None,
        ),
        skill_quality=(),
    )
    quality = digest_blocks(few, "en")[1]["fields"][3]["text"]
    assert quality.startswith(
        "*Quality*\nRatings show once at least 3 people have evaluated: 2 evaluations so far."
    )
    assert "satisfied" not in quality and "Satisfaction by skill" not in texts(
        digest_blocks(few, "en")
    )


def test_a_quiet_period_is_short_and_friendly() -> None:
    quiet = dataclasses.replace(
        BUSY,
        current=figures(PERIOD, active=42, paused=2),
        leaderboard=Leaderboard(),
        skill_quality=(),
    )
    content = digest_blocks(quiet, "en")
    assert [b["type"] for b in content] == ["header", "section", "section"]
    assert content[1]["text"]["text"] == (
        "*A quiet period:* nobody joined, and no exchange was proposed, held or evaluated. "
        "Active members ready for the next round: 42."
    )
    assert content[2]["text"]["text"].startswith("*Wanted but nobody teaches it yet")
    empty_network = Digest(
        figures(PERIOD), figures(PERIOD.previous()), Market(), (), Leaderboard(), WEEKLY
    )
    assert len(digest_blocks(empty_network, "fr")) == 2
    assert not worth_charting(empty_network)


def test_the_largest_digest_stays_within_slack_limits() -> None:
    """Every list full, every label and name as long and as escape-heavy as possible."""
    worst = "&" * 80
    full = dataclasses.replace(
        BUSY,
        market=Market(
            offered=tuple(skill(worst, 10**6) for _ in range(TOP_SKILLS)),
            requested=tuple(skill(worst, 10**6) for _ in range(TOP_SKILLS)),
            orphans=tuple(skill(worst, 10**6) for _ in range(MARKET_LIST)),
            orphan_total=10**6,
            idle=tuple(skill(worst, 10**6) for _ in range(MARKET_LIST)),
            idle_total=10**6,
        ),
        skill_quality=tuple(
            SkillQuality(worst, str(i), 10**6, 1.0, 5.0) for i in range(SKILL_QUALITY_MAX)
        ),
        leaderboard=Leaderboard(
            teachers=tuple(Ranked("U1", worst, 10**6) for _ in range(LEADERBOARD_MAX)),
            learners=tuple(Ranked("U2", worst, 10**6) for _ in range(LEARNERS_MAX)),
        ),
    )
    for lang in ("en", "fr"):
        content = digest_blocks(full, lang)
        assert len(content) <= MESSAGE_BLOCK_LIMIT
        for block in content:
            if block["type"] == "section":
                assert len(block.get("text", {}).get("text", "")) <= 3000
                assert all(len(f["text"]) <= 2000 for f in block.get("fields", []))
        assert len(content[0]["text"]["text"]) <= 150
        assert escape("&" * 39) + "…" in texts(content)


def test_title_and_chart_words_come_from_the_catalogue() -> None:
    honolulu = Period.weeks_to(NOW.date(), weeks=4, tz=ZoneInfo("Pacific/Honolulu"))
    assert digest_title(honolulu, "en") == "Rex digest: Nov 2, 2026 to Nov 29, 2026"
    labels = dataclasses.asdict(chart_labels(BUSY, "fr"))
    french = CATALOGUES["fr"]
    assert labels["sessions"] == french["chart.sessions"]
    assert labels["too_few"] == french["chart.too_few"].format(k=3)
    assert labels["weeks"][-1] == "23 nov."  # the last week charted is the period's


def test_a_chart_only_when_a_week_had_activity() -> None:
    busy = dataclasses.replace(
        BUSY, weekly=(*WEEKLY[:-1], dataclasses.replace(WEEKLY[-1], sessions=1))
    )
    assert worth_charting(busy)
    assert not worth_charting(BUSY)
