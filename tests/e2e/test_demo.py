"""`rex demo`: the offline sandbox plays the whole loop and tells it readably, fast."""

import contextlib
import io
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.cli.demo.render import plain
from bot.cli.demo.run import run_demo
from bot.cli.demo.script import (
    COMMUNITY,
    DIGEST,
    JOINING,
    MANAGERS_CHANNEL,
    PRIVATE_COMMENTS,
    ROUND,
    SEEN,
    WEEK,
)
from bot.cli.main import main
from bot.i18n.l10n import from_locale
from bot.i18n.messages import t
from bot.offline.sandbox import SIGNING_SECRET
from tests.support.catalogue import CATALOGUES


@dataclass(frozen=True)
class Run:
    code: int
    seconds: float
    out: str
    err: str

    def section(self, start: str, end: str) -> str:
        """The transcript from the line starting with `start` to the one starting with `end`."""
        lines = self.out.splitlines()
        first = next(i for i, line in enumerate(lines) if line.startswith(start))
        last = next(i for i in range(first + 1, len(lines)) if lines[i].startswith(end))
        return "\n".join(lines[first:last])


def _play(people: int = 20) -> Run:
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run_demo(people=people)
    return Run(code, time.perf_counter() - started, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def demo() -> Run:
    """One run of the default demo, shared: the tests below read its transcript."""
    return _play()


def _catalogue_pattern(key: str) -> re.Pattern[str]:
    """A catalogue text as the transcript shows it (no bold), any value in its placeholders,
    in whichever language its reader has."""

    def one(lang: str) -> str:
        words = CATALOGUES[lang][key].replace("*", "").split()
        template = r"\s+".join(re.escape(word) for word in words)  # lines wrap anywhere
        return re.sub(r"\\\{\w+\\\}", r".+?", template)

    langs = [lang for lang in CATALOGUES if key in CATALOGUES[lang]]  # some are English only
    return re.compile("|".join(f"(?:{one(lang)})" for lang in langs))


def test_demo_succeeds_well_under_a_minute(demo: Run) -> None:
    assert demo.code == 0
    assert demo.seconds < 60
    summary = demo.out.strip().splitlines()[-1]
    assert re.fullmatch(
        r"Demo finished in [\d.]+ s: 20 people joined, \d+ introductions, \d+ evaluations, "
        r"digest posted\.",
        summary,
    ), summary
    assert "people joined" in demo.err  # progress goes to stderr, the transcript to stdout


def test_transcript_tells_each_phase_in_order(demo: Run) -> None:
    positions = [demo.out.index(title) for title in (JOINING, ROUND, WEEK, DIGEST, SEEN)]
    assert positions == sorted(positions)
    assert demo.out.index(MANAGERS_CHANNEL) > positions[-1]


def test_refusal_for_reciprocity_then_welcome(demo: Run) -> None:
    """Each person reads Rex in their own language (from their Slack locale)."""
    joining = " ".join(demo.section(JOINING, ROUND).split())
    person = COMMUNITY[0]
    lang = from_locale(person.locale)
    refusal = joining.index(" ".join(t("error.need_learn", lang).split()))
    welcome = t(
        "join.welcome", lang, name=f"@{person.name}", teach=", ".join(person.teach), learn="Python"
    )
    assert joining.index(" ".join(welcome.split())) > refusal  # skills kept whole, as typed
    assert ("Voluntary" if lang == "en" else "Volontariat") in joining  # the charter


def test_people_get_introductions_naming_their_partner(demo: Run) -> None:
    seen = demo.section(SEEN, MANAGERS_CHANNEL)
    first = COMMUNITY[0].name
    mine = seen.split(f"── {first} ")[1].split("\n── ")[0]
    partners = re.findall(r"group DM +\(with ([^)]+)\) Hello", mine)
    assert partners, mine
    partner = partners[0].split(", ")[0]
    assert f"@{partner}" in mine and f"@{first}" in mine
    theirs = seen.split(f"── {partner} ")[1].split("\n── ")[0]
    assert f"(with {first}" in theirs or f", {first}" in theirs
    assert _catalogue_pattern("round.done.other").search(demo.section(ROUND, WEEK))


def test_exchanges_are_played_out(demo: Run) -> None:
    week = demo.section(WEEK, DIGEST)
    assert "clicks We met" in week and "clicks Not a fit" in week and "clicks Schedule" in week
    assert "Evaluations:" in week
    seen = demo.section(SEEN, MANAGERS_CHANNEL)
    assert _catalogue_pattern("eval.thanks").search(seen)


def test_digest_shows_aggregates_and_never_a_private_comment(demo: Run) -> None:
    managers = demo.section(MANAGERS_CHANNEL, "Demo finished")
    assert _catalogue_pattern("digest.members").search(managers), managers
    assert _catalogue_pattern("digest.exchanges").search(managers), managers
    assert _catalogue_pattern("digest.quality").search(managers), managers
    typed = [c for c in PRIVATE_COMMENTS if c in demo.section(WEEK, DIGEST)]
    assert typed, "the demo should show people writing private comments"
    for comment in PRIVATE_COMMENTS:
        assert comment not in managers
        assert comment not in demo.section(SEEN, MANAGERS_CHANNEL)


def test_no_secret_is_printed(demo: Run) -> None:
    for text in (demo.out, demo.err):
        assert SIGNING_SECRET not in text
        assert "xoxb-" not in text


def _shows_raw_mrkdwn(text: str) -> list[str]:
    """What Slack would have rendered but a plain transcript printed as typed."""
    patterns = (
        r"<[@#!][^>]*>",  # mentions, channels, dates
        r":[a-z_]+:",  # emoji names
        r"(?<!\w)_[^_\s][^_\n]*_(?!\w)",  # _italic_
        r"[*`]",  # bold marks, code
        r"^\s*\]\s*$",  # a button cut in two by the wrapping
    )
    return [m.group(0) for p in patterns for m in re.finditer(p, text, re.M)]


def test_transcript_is_plain_text(demo: Run) -> None:
    assert _shows_raw_mrkdwn(demo.out) == []
    assert "&lt;" not in demo.out and "&amp;" not in demo.out


def test_small_community_and_bad_sizes() -> None:
    small = _play(people=4)
    assert small.code == 0 and "4 people joined" in small.out
    assert _shows_raw_mrkdwn(small.out) == []
    # the story reads right for one introduction and for nothing left to send
    assert not re.search(r"\b0 (messages?|follow-ups?|others)\b", small.out)
    assert "1 of them" not in small.out and "1 others" not in small.out
    assert _play(people=1).code == 2 and _play(people=201).code == 2


def test_keep_leaves_a_database_rex_export_and_rex_match_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    kept = tmp_path / "rex-demo.db"
    assert run_demo(people=6, keep=kept) == 0
    transcript = capsys.readouterr().out
    assert f"DATABASE_URL=sqlite:///{kept} rex export" in transcript
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{kept}")
    assert main(["export", "--format", "csv", *_days(transcript)]) == 0
    records = capsys.readouterr().out.splitlines()
    assert records[0].startswith("exchange_id,") and len(records) > 1
    members = tmp_path / "rex-demo-members.json"
    assert main(["match", "--input", str(members)]) == 0
    assert json.loads(capsys.readouterr().out)["exchanges"]
    assert run_demo(people=6, keep=kept) == 2  # never overwritten


def _days(transcript: str) -> list[str]:
    found = re.search(r"--since (\S+) --until (\S+)", transcript)
    assert found is not None
    return ["--since", found.group(1), "--until", found.group(2)]


def test_plain_renders_mrkdwn_for_a_reader() -> None:
    names = {"U1": "Zoé Lim", "C1": "rex-digest"}
    text = (
        "*Hi* <@U1> in <#C1>: <!date^1765027800^{date_long_pretty} at {time}|2025-12-06 13:30 UTC>"
        " &lt;b&gt; &amp; <https://example.com|a link>"
    )
    assert plain(text, names) == ("Hi @Zoé Lim in #rex-digest: 2025-12-06 13:30 UTC <b> & a link")
    assert plain(text, names, ZoneInfo("Asia/Singapore")).startswith(
        "Hi @Zoé Lim in #rex-digest: Saturday, December 6 at 21:30 (+08)"
    )
