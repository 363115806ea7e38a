"""Pacing Slack Web API calls under Slack's rate limits, so a round of thousands of intros
drains steadily instead of in a storm of 429s and retries.

Each limited key (a Web API method, and each channel for chat.postMessage) has a `Limit`: at
most `per_minute` calls in any 60-second window, at most `burst` back to back, evenly spaced
otherwise. A call reserves a slot in every bucket it touches at one instant, the earliest all
of them allow, so no bucket is ever charged for a time other than when the call goes. Slots
only move forward, so a message held back by its busy channel (at most about a second) also
holds the chat.postMessage calls reserved after it.

The numbers (https://docs.slack.dev/apis/web-api/rate-limits) sit deliberately at the floor
of each tier, since Slack publishes tiers as "N+ per minute" and tolerates short bursts:

- conversations.open: Tier 3, 50+ per minute. This is what bounds a round: 5,000 intros,
  each opening a conversation, take about 100 minutes.
- chat.postMessage: its own tier, about 1 message per second per channel and "several
  hundred" per minute per workspace: 300 per minute overall, and 1 per second per channel.
- files.completeUploadExternal: 20 per minute, Tier 2's floor; invitations are few.
- views.publish: Tier 4, 100+ per minute.
- any other method: 50 per minute, Tier 3's floor; give Tier 2 methods (20+) their own limit.

Slack counts per workspace, not per process: with several replicas (PostgreSQL), a
`SharedPacer` keeps each method's bucket in the database, so all of them draw on one budget
(a channel's 1 per second stays in each process: two replicas rarely write to one channel).
"""

import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from storage import repo

log = logging.getLogger("rex.pacing")

WINDOW: Final = 60.0
# A slot leaves the window this long after Slack's 60 s: a call reserved for second 60.000
# arrives a little earlier or later than reserved, and Slack counts arrivals. Measured with
# benchmarks/delivery_bench.py: about 2 429s per window without it, none with 1 s.
WINDOW_MARGIN: Final = 1.0


@dataclass(frozen=True)
class Limit:
    """At most `per_minute` calls in any 60 s, at most `burst` of them back to back."""

    per_minute: int
    burst: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.burst <= self.per_minute:
            raise ValueError("a limit needs 1 <= burst <= per_minute")


DEFAULT_LIMITS: Final[Mapping[str, Limit]] = {
    "conversations.open": Limit(50, burst=3),
    "chat.postMessage": Limit(300, burst=5),
    "files.completeUploadExternal": Limit(20, burst=2),
    "views.publish": Limit(100, burst=5),
}
DEFAULT_LIMIT: Final = Limit(50, burst=3)
CHANNEL_LIMIT: Final = Limit(60, burst=1)
# The only method Slack limits per channel as well as per workspace.
PER_CHANNEL_METHODS: Final = frozenset({"chat.postMessage"})


class _Bucket:
    """One key's schedule: a GCRA token bucket (`tat`, the theoretical arrival time, spaces
    calls 60/per_minute apart after a burst) plus the last `per_minute` slots, which keep
    any 60 s window at `per_minute` even right after a burst. Slots only move forward, which
    is what makes the window check on the oldest kept slot sufficient."""

    __slots__ = ("blocked_until", "interval", "recent", "tat", "tolerance")

    def __init__(self, limit: Limit) -> None:
        self.interval = WINDOW / limit.per_minute
        self.tolerance = (limit.burst - 1) * self.interval
        self.recent: deque[float] = deque(maxlen=limit.per_minute)
        self.tat = -math.inf
        self.blocked_until = -math.inf

    def earliest(self) -> float:
        slot = max(self.tat - self.tolerance, self.blocked_until)
        if self.recent:
            slot = max(slot, self.recent[-1])
            if len(self.recent) == self.recent.maxlen:
                slot = max(slot, self.recent[0] + WINDOW + WINDOW_MARGIN)
        return slot

    def take(self, slot: float) -> None:
        self.tat = max(self.tat, slot) + self.interval
        self.recent.append(slot)

    def idle(self, now: float) -> bool:
        """Whether this bucket constrains nothing any more, so forgetting it changes nothing."""
        return self.tat <= now and (not self.recent or self.recent[-1] + WINDOW <= now)


class Pacer:
    """Thread-safe pacing of Web API calls; `clock` (monotonic seconds) and `sleep` are
    injectable so a test can drain thousands of calls in simulated time."""

    def __init__(
        self,
        limits: Mapping[str, Limit] | None = None,
        *,
        default: Limit = DEFAULT_LIMIT,
        per_channel: Limit = CHANNEL_LIMIT,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """`limits` override DEFAULT_LIMITS per method; `default` is for unlisted methods."""
        self._limits = {**DEFAULT_LIMITS, **(limits or {})}
        self._default = default
        self._per_channel = per_channel
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._methods: dict[str, _Bucket] = {}
        self._channels: dict[str, _Bucket] = {}
        self._prune_above = 1024

    def _method(self, method: str) -> _Bucket:
        bucket = self._methods.get(method)
        if bucket is None:
            bucket = self._methods[method] = _Bucket(self._limits.get(method, self._default))
        return bucket

    def _channel(self, channel: str, now: float) -> _Bucket:
        bucket = self._channels.get(channel)
        if bucket is None:
            if len(self._channels) >= self._prune_above:
                # A round touches thousands of channels once each: forget the idle ones, at a
                # cost amortised by doubling the threshold when most are still busy.
                self._channels = {k: b for k, b in self._channels.items() if not b.idle(now)}
                self._prune_above = max(1024, 2 * len(self._channels))
            bucket = self._channels[channel] = _Bucket(self._per_channel)
        return bucket

    def _reserve(self, method: str, channel: str | None) -> tuple[float, float]:
        """(now, slot): the earliest instant every bucket of this call allows, now charged
        to all of them."""
        with self._lock:
            now = self._clock()
            in_channel = None
            if channel is not None and method in PER_CHANNEL_METHODS:
                in_channel = self._channel(channel, now)
            earliest = max(now, in_channel.earliest()) if in_channel is not None else now
            slot = self._take(method, earliest, now)
            if in_channel is not None:
                in_channel.take(slot)
            return now, slot

    def _take(self, method: str, earliest: float, now: float) -> float:
        """The slot `method`'s bucket gives a call that may not go before `earliest`."""
        bucket = self._method(method)
        slot = max(earliest, bucket.earliest())
        bucket.take(slot)
        return slot

    def _blocked_after(self, method: str, slot: float) -> bool:
        """Whether a 429 blocked `method` past `slot` in the meantime."""
        with self._lock:
            return self._method(method).blocked_until > slot

    def _block(self, method: str, retry_after: float) -> None:
        with self._lock:
            bucket = self._method(method)
            bucket.blocked_until = max(bucket.blocked_until, self._clock() + retry_after)

    def delay_for(self, method: str, channel: str | None = None) -> float:
        """Seconds to wait before calling `method` (in `channel`, for chat.postMessage); the
        slot is reserved, so call right after that delay. A penalty that arrives meanwhile
        is not seen: `wait` handles that."""
        now, slot = self._reserve(method, channel)
        return slot - now

    def wait(self, method: str, channel: str | None = None) -> None:
        """Sleep until `method` may be called; if a 429 penalised the method while sleeping,
        take a new slot after the penalty rather than call during it."""
        while True:
            now, slot = self._reserve(method, channel)
            if slot <= now:
                return
            self._sleep(slot - now)
            if not self._blocked_after(method, slot):
                return

    def penalise(self, method: str, retry_after: float) -> None:
        """After a 429 on `method`: no call to it goes before now + `retry_after` seconds
        (negative or NaN values count as 0). Calls resume paced, a burst at most at once."""
        retry_after = max(0.0, retry_after)
        self._block(method, retry_after)
        log.warning("pacing.penalised method=%s retry_after=%.1f", method, retry_after)


class SharedPacer(Pacer):
    """A pacer whose per-method buckets live in the database (PostgreSQL), in its clock, so
    every replica of a deployment paces against one budget, and a 429 one of them meets
    holds the others off too.

    A shared bucket is a plain GCRA: calls `interval` apart after a burst of `burst`. So that
    no 60-second window (plus `WINDOW_MARGIN` for arrival jitter) ever holds more than
    `per_minute` calls, its interval is (60 + margin) / (per_minute - burst + 1): 47 calls a
    minute in steady state for conversations.open's 50, about 94% of the floor."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        limits: Mapping[str, Limit] | None = None,
        *,
        default: Limit = DEFAULT_LIMIT,
        per_channel: Limit = CHANNEL_LIMIT,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(limits, default=default, per_channel=per_channel, clock=clock, sleep=sleep)
        self._sessions = sessions

    def _shape(self, method: str) -> tuple[float, float]:
        """(interval, burst tolerance) of `method`'s shared bucket."""
        limit = self._limits.get(method, self._default)
        interval = (WINDOW + WINDOW_MARGIN) / (limit.per_minute - limit.burst + 1)
        return interval, (limit.burst - 1) * interval

    def _take(self, method: str, earliest: float, now: float) -> float:
        interval, tolerance = self._shape(method)
        with self._sessions.begin() as session:
            delay = repo.reserve_pace(
                session,
                key=method,
                interval=interval,
                tolerance=tolerance,
                min_delay=earliest - now,
            )
        return now + max(0.0, delay)

    def _blocked_after(self, method: str, slot: float) -> bool:
        with self._sessions.begin() as session:
            return repo.pace_blocked_for(session, key=method) > 0

    def _block(self, method: str, retry_after: float) -> None:
        with self._sessions.begin() as session:
            repo.block_pace(session, key=method, seconds=retry_after)


def scaled_limits(factor: float) -> tuple[dict[str, Limit], Limit, Limit]:
    """Every limit `factor` times Slack's defaults: (per method, default, per channel)."""

    def scale(limit: Limit) -> Limit:
        per_minute = max(1, round(limit.per_minute * factor))
        return Limit(per_minute, burst=min(per_minute, max(1, round(limit.burst * factor))))

    methods = {method: scale(limit) for method, limit in DEFAULT_LIMITS.items()}
    return methods, scale(DEFAULT_LIMIT), scale(CHANNEL_LIMIT)


def scaled_pacer(
    factor: float,
    sessions: sessionmaker[Session] | None = None,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> Pacer:
    """A pacer whose every limit is `factor` times Slack's defaults: above 1 for workspaces
    with higher limits or for a local fake Slack, below 1 to be gentler. With `sessions`,
    shared through that (PostgreSQL) database by every process using it."""
    methods, default, per_channel = scaled_limits(factor)
    if sessions is not None:
        return SharedPacer(sessions, methods, default=default, per_channel=per_channel, sleep=sleep)
    return Pacer(methods, default=default, per_channel=per_channel, sleep=sleep)


class Stopping(Exception):
    """The process is shutting down: the paced call was not made."""


def interruptible_sleep(stop: threading.Event) -> Callable[[float], None]:
    """A sleep that a shutdown cuts short by raising `Stopping` (the call is not made)."""

    def sleep(seconds: float) -> None:
        if stop.wait(seconds):
            raise Stopping

    return sleep
