"""The digest end to end: the real app posts it to the fake Slack (which enforces Slack's
block limits) and uploads its chart, once, even when Slack fails half way."""

import io
from typing import Any

from matplotlib.image import imread
from sqlalchemy import Engine
from sqlmodel import Session

from bot.charts import HEIGHT, WIDTH
from bot.offline.fakeslack.blocks import message_paragraphs
from bot.offline.sandbox import ManualClock, Sandbox
from handlers.outbox import delivery
from storage.models import DueWork, WorkKind
from tests.conftest import START
from tests.support.history import NOW, add_member, seed_history

SKILLED_MEMBERS = 250  # each with a skill to teach and one to learn that nobody else names


def _png_shape(sandbox: Sandbox, message: dict[str, Any]) -> tuple[int, int]:
    [shared] = message["files"]
    data = sandbox.fake.files[shared["id"]].data or b""
    height, width = imread(io.BytesIO(data), format="png").shape[:2]
    return height, width


def test_digest_of_a_500_skill_network_fits_one_message(engine: Engine) -> None:
    assert NOW == START
    with Session(engine) as session:
        seed_history(session)
        for i in range(SKILLED_MEMBERS):
            add_member(session, f"M{i:03d}", teach=[f"teach{i:03d}"], learn=[f"learn{i:03d}"])
        session.commit()
    with Sandbox(engine=engine, clock=ManualClock(START)) as sandbox:
        assert sandbox.command("UADMIN", "admin digest") == ["Digest posted in <#CDIGEST>."]
        digest, chart = sandbox.fake.messages("CDIGEST")
    assert len(digest["blocks"]) <= 50
    text = "\n".join(message_paragraphs(digest))
    assert "*Members*\n254 active · 1 new" in text  # the history's four and the 250
    assert "(teachers to recruit):*" in text and "and 242 more" in text
    assert "*Shared most hours* (members who opted in): Ada (3.5 h), Bob (1 h)" in text
    assert _png_shape(sandbox, chart) == (HEIGHT, WIDTH)


def test_a_failed_chart_upload_is_retried_without_a_second_digest(engine: Engine) -> None:
    with Session(engine) as session:
        seed_history(session)
    with Sandbox(engine=engine, clock=ManualClock(START), rex_language="fr") as sandbox:
        # more failures than the client retries by itself: the row is retried later
        sandbox.fake.inject("files.completeUploadExternal", status=500, times=3)
        sandbox.command("UADMIN", "admin digest")
        [digest] = sandbox.fake.messages("CDIGEST")
        assert digest["blocks"][0]["text"]["text"] == "Bilan Rex du 23 nov. 2026 au 29 nov. 2026"
        sandbox.clock.advance(minutes=5)  # past the retry's backoff
        delivery.sweep(sandbox.rex)
        delivery.sweep(sandbox.rex)
        same, chart = sandbox.fake.messages("CDIGEST")
    assert same["ts"] == digest["ts"]
    assert chart["files"][0]["title"] == "Rex, les 12 dernières semaines"
    assert _png_shape(sandbox, chart) == (HEIGHT, WIDTH)
    posted = [c for c in sandbox.fake.calls_to("chat.postMessage") if not c.faulted]
    assert len(posted) == 1


def test_a_digest_row_queued_by_an_older_rex_is_still_sent(engine: Engine) -> None:
    """Before periods were whole weeks a row said {"days": 7}: it reports the week that
    ended before it was due."""
    with Session(engine) as session:
        seed_history(session)
    with Sandbox(engine=engine, clock=ManualClock(START)) as sandbox:
        with Session(engine) as session:
            session.add(DueWork(kind=WorkKind.DIGEST, due_at=START, payload='{"days": 7}'))
            session.commit()
        assert delivery.sweep(sandbox.rex).sent == 1
        digest, _ = sandbox.fake.messages("CDIGEST")
    assert digest["blocks"][0]["text"]["text"] == "Rex digest: Nov 23, 2026 to Nov 29, 2026"
