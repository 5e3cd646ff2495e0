"""``/progress``'s chart: a member's unique problems — actual, the roadmap's target, and the
projection at their recent pace — with the milestones' solve thresholds.

matplotlib's object-oriented API only (as :mod:`bot.render.chart`): safe in worker threads;
imported only when a chart is drawn. User text is drawn literally (no mathtext).
"""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.core.progress import target_pace
from bot.render.chart import plain_text
from bot.render.progress_data import ProgressChartData

WIDTH_PX, HEIGHT_PX, DPI = 1000, 560, 100
GID_ACTUAL, GID_TARGET, GID_PROJECTION, GID_MILESTONE = (
    "actual",
    "target",
    "projection",
    "milestone",
)


def build_progress_figure(data: ProgressChartData) -> Figure:
    fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    title = ax.set_title(plain_text(data.title, 80), fontsize=14, fontweight="bold")
    title.set_parse_math(False)
    ax.set_xlabel("Week")
    ax.set_ylabel("Unique problems solved")
    ax.grid(True, alpha=0.3)
    weeks = list(range(0, data.weeks + 1))
    ax.set_xlim(0, data.weeks + 0.3)
    ax.set_xticks(weeks[1:])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if data.targets:
        ax.plot(
            weeks, [target_pace(data.targets, w) for w in weeks], linestyle="--",
            color="#333333", linewidth=1.5, label="Roadmap target", gid=GID_TARGET,
        )  # fmt: skip
    if data.actual:
        xs = [0, *(w for w, _ in data.actual)]
        ys = [0, *(v for _, v in data.actual)]
        ax.plot(
            xs, ys, marker="o", markersize=5, linewidth=2.2, color="#1f77b4",
            label="You (actual)", gid=GID_ACTUAL,
        )  # fmt: skip
    if data.projection:
        ax.plot(
            [w for w, _ in data.projection], [v for _, v in data.projection], linestyle=":",
            linewidth=2.2, color="#d62728", label="Projection (recent pace)", gid=GID_PROJECTION,
        )  # fmt: skip
    for week, value, label in data.milestones:
        ax.plot([week], [value], marker="*", markersize=13, color="#f0a202", gid=GID_MILESTONE)
        text = ax.annotate(
            plain_text(label, 24), (week, value), textcoords="offset points", xytext=(-6, 8),
            ha="right", fontsize=9, color="#8a5a00",
        )  # fmt: skip
        text.set_parse_math(False)
    ax.set_ylim(bottom=0)
    legend = ax.legend(loc="upper left", fontsize="small", framealpha=0.85)
    for t in legend.get_texts():
        t.set_parse_math(False)
    return fig


def render_progress_chart(data: ProgressChartData) -> bytes:
    """The chart as PNG bytes (``WIDTH_PX`` × ``HEIGHT_PX``)."""
    fig = build_progress_figure(data)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()
