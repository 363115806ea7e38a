"""Prometheus metrics for `GET /metrics`: what Rex sent and failed to send, Slack's 429s,
the outbox's backlog, rounds' durations and the network's active members.

Counters live in this process (each replica is scraped on its own); the backlog and the
members are read from the database at scrape time, so every replica reports the same."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from storage import repo
from storage.db import unit_of_work

if TYPE_CHECKING:  # the runtime counts 429s here: no import at run time
    from bot.runtime.rex import Rex

MESSAGES_SENT = Counter("rex_messages_sent", "Messages Rex delivered to Slack", ["kind"])
MESSAGES_FAILED = Counter(
    "rex_messages_failed", "Messages given up after a permanent Slack error", ["kind", "error"]
)
MESSAGES_RETRIED = Counter(
    "rex_messages_retried", "Messages put back for a later attempt", ["kind", "error"]
)
RATE_LIMITED = Counter("rex_slack_rate_limited", "429 answers from Slack", ["method"])
ROUND_SECONDS = Histogram(
    "rex_round_duration_seconds",
    "How long a scheduled matching round took to plan and store",
    buckets=(0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300),
)


class DatabaseCollector(Collector):
    """Figures read from the database when scraped."""

    def __init__(self, rex: Rex) -> None:
        self._rex = rex

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = self._rex.clock()
        with unit_of_work(self._rex.sessions) as session:
            backlog, oldest = repo.outbox_backlog(session, now=now)
            active = repo.count_active_members(session)
        yield GaugeMetricFamily("rex_outbox_backlog", "Messages due and not sent yet", backlog)
        yield GaugeMetricFamily(
            "rex_outbox_oldest_due_age_seconds",
            "How long the oldest message due has waited (0 when none)",
            (now - oldest).total_seconds() if oldest is not None else 0.0,
        )
        yield GaugeMetricFamily("rex_members_active", "Members taking part in rounds", active)
        yield GaugeMetricFamily(
            "rex_slack_token_ok", "1 while Slack takes the bot token", int(self._rex.slack.ok)
        )


def render(rex: Rex) -> bytes:
    """The text exposition: this process's counters, then the database's figures."""
    figures = CollectorRegistry(auto_describe=False)
    figures.register(DatabaseCollector(rex))
    return generate_latest(REGISTRY) + generate_latest(figures)
