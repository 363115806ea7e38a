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
"""

import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

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
            buckets = [self._method(method)]
            if channel is not None and method in PER_CHANNEL_METHODS:
                buckets.append(self._channel(channel, now))
            slot = max(now, *(bucket.earliest() for bucket in buckets))
            for bucket in buckets:
                bucket.take(slot)
            return now, slot

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
            if slot > now:
                self._sleep(slot - now)
            with self._lock:
                if self._method(method).blocked_until <= slot:
                    return

    def penalise(self, method: str, retry_after: float) -> None:
        """After a 429 on `method`: no call to it goes before now + `retry_after` seconds
        (negative or NaN values count as 0). Calls resume paced, a burst at most at once."""
        retry_after = max(0.0, retry_after)
        with self._lock:
            bucket = self._method(method)
            bucket.blocked_until = max(bucket.blocked_until, self._clock() + retry_after)
        log.warning("pacing.penalised method=%s retry_after=%.1f", method, retry_after)


def scaled_pacer(factor: float) -> Pacer:
    """A pacer whose every limit is `factor` times Slack's defaults: above 1 for workspaces
    with higher limits or for a local fake Slack, below 1 to be gentler."""

    def scale(limit: Limit) -> Limit:
        per_minute = max(1, round(limit.per_minute * factor))
        return Limit(per_minute, burst=min(per_minute, max(1, round(limit.burst * factor))))

    return Pacer(
        {method: scale(limit) for method, limit in DEFAULT_LIMITS.items()},
        default=scale(DEFAULT_LIMIT),
        per_channel=scale(CHANNEL_LIMIT),
    )
