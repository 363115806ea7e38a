"""The digest's chart: the last weeks' exchanges, learning hours and satisfaction, as a PNG.

Drawn on a bare `Figure` with the Agg canvas, never through pyplot: no display, no global
state shared between threads. The image is always WIDTH × HEIGHT pixels and its bytes are
reproducible (no timestamp or version in the PNG metadata).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from bot.digest.model import Week

WIDTH, HEIGHT, DPI = 1000, 500, 100
PROPOSED_COLOUR, SESSIONS_COLOUR = "#9ecae1", "#3182bd"
HOURS_COLOUR, SATISFACTION_COLOUR = "#e6550d", "#31a354"
BAR_WIDTH = 0.38


@dataclass(frozen=True)
class ChartLabels:
    """The chart's words, from the catalogue, in the managers' language."""

    proposed: str
    sessions: str
    count: str
    hours: str
    satisfaction: str
    week: str
    too_few: str
    weeks: tuple[str, ...]  # each week's first day, as the managers write dates


def weekly_chart(weekly: Sequence[Week], *, title: str, labels: ChartLabels) -> bytes:
    """A PNG: bars for exchanges proposed and sessions held, a line for learning hours
    (right axis) and, below, the share of satisfied evaluations, blank in weeks with too
    few evaluations."""
    figure = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    top, bottom = figure.subplots(
        2, 1, sharex=True, gridspec_kw={"height_ratios": (3, 1), "hspace": 0.08}
    )
    figure.subplots_adjust(left=0.07, right=0.92, top=0.86, bottom=0.12)
    figure.suptitle(title, fontsize=13, y=0.97)
    x = list(range(len(weekly)))

    top.bar(
        [i - BAR_WIDTH / 2 for i in x],
        [w.proposed for w in weekly],
        BAR_WIDTH,
        label=labels.proposed,
        color=PROPOSED_COLOUR,
    )
    top.bar(
        [i + BAR_WIDTH / 2 for i in x],
        [w.sessions for w in weekly],
        BAR_WIDTH,
        label=labels.sessions,
        color=SESSIONS_COLOUR,
    )
    top.set_ylabel(labels.count)
    top.yaxis.set_major_locator(MaxNLocator(integer=True))
    top.set_ylim(bottom=0, top=max([1, *(max(w.proposed, w.sessions) for w in weekly)]) * 1.15)
    top.grid(axis="y", alpha=0.3)

    hours = top.twinx()
    hours.plot(x, [w.hours for w in weekly], color=HOURS_COLOUR, marker="o", label=labels.hours)
    hours.set_ylabel(labels.hours, color=HOURS_COLOUR)
    hours.tick_params(axis="y", colors=HOURS_COLOUR)
    hours.set_ylim(bottom=0, top=max([1.0, *(w.hours for w in weekly)]) * 1.15)
    handles, names = top.get_legend_handles_labels()
    line_handles, line_names = hours.get_legend_handles_labels()
    top.legend(
        handles + line_handles,
        names + line_names,
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncols=3,
        frameon=False,
        fontsize=9,
    )

    rates = [w.satisfaction_rate for w in weekly]
    bottom.plot(
        x,
        [float("nan") if r is None else r for r in rates],
        color=SATISFACTION_COLOUR,
        marker="o",
    )
    bottom.set_ylim(0, 1.05)
    bottom.yaxis.set_major_formatter(PercentFormatter(xmax=1, decimals=0))
    bottom.set_yticks([0, 0.5, 1])
    bottom.set_ylabel(labels.satisfaction, fontsize=8)
    bottom.grid(axis="y", alpha=0.3)
    if any(r is None for r in rates):
        bottom.text(0.01, 0.08, labels.too_few, transform=bottom.transAxes, fontsize=7, alpha=0.7)
    bottom.set_xticks(x, labels.weeks, fontsize=8)
    bottom.set_xlabel(labels.week)
    bottom.set_xlim(-0.6, max(len(weekly), 1) - 0.4)

    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()
