"""Pure tests: pacing Web API calls under Slack's limits, in simulated time (no real sleep)."""

import sys
import threading
from collections import defaultdict
from collections.abc import Iterator, Sequence
from itertools import pairwise

import pytest

from bot.runtime.pacing import DEFAULT_LIMIT, DEFAULT_LIMITS, WINDOW_MARGIN, Limit, Pacer

# Slots are computed exactly, but a fake clock advanced by `slot - now` can land a few ulps
# short of the slot; a microsecond is far below anything Slack could measure.
EPS = 1e-6


class FakeClock:
    """Monotonic seconds that only move when someone sleeps; safe to share between threads."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


def max_in_window(times: Sequence[float], width: float = 60.0) -> int:
    """The most calls in any half-open window [t, t + width)."""
    ordered = sorted(times)
    most, end = 0, 0
    for start, t in enumerate(ordered):
        while end < len(ordered) and ordered[end] < t + width - EPS:
            end += 1
        most = max(most, end - start)
    return most


def min_gap(times: Sequence[float]) -> float:
    return min(b - a for a, b in pairwise(sorted(times)))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def pacer(clock: FakeClock) -> Pacer:
    return Pacer(clock=clock, sleep=clock.sleep)


def test_limit_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        Limit(10, burst=0)
    with pytest.raises(ValueError):
        Limit(1, burst=2)


def test_five_thousand_intros_drain_in_about_100_minutes_within_every_limit(
    clock: FakeClock, pacer: Pacer
) -> None:
    sent: dict[str, list[float]] = defaultdict(list)
    for i in range(5000):
        pacer.wait("conversations.open")
        sent["conversations.open"].append(clock())
        pacer.wait("chat.postMessage", f"D{i:05d}")
        sent["chat.postMessage"].append(clock())

    # 50 conversations.open per window of 61 s (60 s and a 1 s margin): the 5,000th goes in
    # the 100th window. With a burst of 3 and 1.2 s spacing, each window's 50 calls take
    # 47 * 1.2 s: 99 * 61 + 56.4 s, within 2% of the 100 minutes Slack's limit allows.
    assert clock() == pytest.approx(99 * (60 + WINDOW_MARGIN) + 47 * 1.2, abs=0.01)
    assert 6000 <= clock() <= 1.02 * 6000
    assert max_in_window(sent["conversations.open"]) == 50
    assert max_in_window(sent["chat.postMessage"]) <= 300
    assert max_in_window(sent["conversations.open"], width=1.2) <= 3
    # Idle channels were forgotten along the way: memory stays bounded over a long round.
    assert len(pacer._channels) <= 2048


def test_chat_post_message_overall_limit_across_channels(clock: FakeClock, pacer: Pacer) -> None:
    times = []
    for i in range(1000):
        pacer.wait("chat.postMessage", f"C{i}")
        times.append(clock())
    assert max_in_window(times) == 300
    assert max_in_window(times, width=0.2) <= 5  # burst of 5, then one per 0.2 s
    # Three full windows of 61 s, then the last 100 calls: burst of 5 and 95 * 0.2 s.
    assert clock() == pytest.approx(3 * (60 + WINDOW_MARGIN) + 95 * 0.2, abs=0.01)


def test_chat_post_message_is_one_per_second_per_channel(clock: FakeClock, pacer: Pacer) -> None:
    busy = []
    for _ in range(120):
        pacer.wait("chat.postMessage", "C_BUSY")
        busy.append(clock())
    assert min_gap(busy) >= 1 - EPS
    assert max_in_window(busy) == 60
    # one a second, the 61st one waiting for the window's margin
    assert clock() == pytest.approx(119.0 + WINDOW_MARGIN)
    # Another channel is not held back by the busy one's per-channel limit.
    assert pacer.delay_for("chat.postMessage", "C_OTHER") == pytest.approx(0.0)


def test_channel_applies_only_to_chat_post_message(pacer: Pacer) -> None:
    assert [pacer.delay_for("views.publish", "C1") for _ in range(5)] == [0.0] * 5


def test_unknown_methods_get_the_default_and_limits_can_be_overridden(clock: FakeClock) -> None:
    pacer = Pacer({"users.info": Limit(20, burst=2)}, clock=clock, sleep=clock.sleep)
    assert DEFAULT_LIMITS["conversations.open"].per_minute == 50
    users, teams = [], []
    for _ in range(100):
        users.append(pacer.delay_for("users.info"))
        teams.append(pacer.delay_for("team.info"))
    assert max_in_window(users) == 20
    assert max_in_window(teams) == DEFAULT_LIMIT.per_minute


def test_penalise_holds_the_method_for_retry_after_then_resumes_paced(
    clock: FakeClock, pacer: Pacer
) -> None:
    pacer.penalise("conversations.open", 30)
    pacer.penalise("conversations.open", 5)  # a shorter Retry-After never shortens the hold
    assert pacer.delay_for("views.publish") == 0.0  # other methods are unaffected
    delays = [pacer.delay_for("conversations.open") for _ in range(5)]
    assert delays == pytest.approx([30, 30, 30, 31.2, 32.4])


def test_penalise_ignores_negative_and_nan(pacer: Pacer) -> None:
    pacer.penalise("views.publish", -5)
    pacer.penalise("views.publish", float("nan"))
    assert pacer.delay_for("views.publish") == 0.0


def test_wait_takes_a_new_slot_when_penalised_while_sleeping(clock: FakeClock) -> None:
    pacer: Pacer

    def sleep(seconds: float) -> None:
        if not clock.sleeps:  # a 429 on another thread, while this one sleeps
            pacer.penalise("conversations.open", 30)
        clock.sleep(seconds)

    pacer = Pacer(clock=clock, sleep=sleep)
    for _ in range(3):  # the burst
        pacer.wait("conversations.open")
    assert clock() == 0
    pacer.wait("conversations.open")  # had the 1.2 s slot, but Slack said 30 s meanwhile
    assert clock() >= 30
    assert clock.sleeps == pytest.approx([1.2, 28.8])


@pytest.fixture
def fast_switching() -> Iterator[None]:
    """Switch threads as often as possible, so a missing lock would show."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


@pytest.mark.usefixtures("fast_switching")
def test_threads_share_one_pacer_without_breaking_a_limit(clock: FakeClock, pacer: Pacer) -> None:
    slots: list[tuple[str, float]] = []
    record = threading.Lock()

    def sender(worker: int) -> None:
        for i in range(200):
            channel = f"C{(worker + i) % 7}"
            slot = pacer.delay_for("chat.postMessage", channel)  # the clock stays at 0
            with record:
                slots.append((channel, slot))

    threads = [threading.Thread(target=sender, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(slots) == 1600
    assert max_in_window([slot for _, slot in slots]) <= 300
    by_channel: dict[str, list[float]] = defaultdict(list)
    for channel, slot in slots:
        by_channel[channel].append(slot)
    for times in by_channel.values():
        assert min_gap(times) >= 1 - EPS
