"""The weekly recap chart: cumulative solves per member vs the roadmap, and the difficulty mix.

Built with matplotlib's object-oriented API only (``Figure`` + ``FigureCanvasAgg``): no
pyplot, no backend switch, no rcParams changes, so rendering is safe from worker threads.

Choices worth knowing:

* The roadmap target is drawn as a *pace line*: the target is linearly interpolated at
  every shown week between the roadmap checkpoints, starting from an implicit ``(0, 0)``
  and flat after the last checkpoint. Only weeks that are shown are drawn, so the line
  never runs ahead of the group; checkpoint weeks match the roadmap exactly. Markers sit
  on the checkpoints and on the last shown week (where the group should be now).
* User text (names, title) is drawn with mathtext and TeX disabled (``parse_math=False``,
  ``usetex=False``), so ``$`` and ``\\`` print literally; escaping them as well would
  print the escape characters. Characters the font cannot draw (emoji) become ``□``.
* With more than ``max_members`` members, the top and bottom few are drawn as lines and
  the rest as one shaded min–max band labelled "+N more".
"""

from __future__ import annotations

import io
import unicodedata
from functools import lru_cache

from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator

from bot.core.progress import target_pace
from bot.core.ranking import rank, top_and_bottom
from bot.render.chart_data import MemberSeries, RecapChartData

WIDTH_PX, HEIGHT_PX, DPI = 1200, 600, 100
NAME_LIMIT = 24
NO_SOLVES = "No solves yet"
TARGET_LABEL = "Roadmap target"
MIX_NAMES = ("Easy", "Medium", "Hard")
MIX_COLORS = ("#2e9e6b", "#f0a202", "#d64545")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
# gids so callers and tests can find what was drawn without relying on labels
GID_MEMBER, GID_TARGET, GID_BAND, GID_MIX = "member", "target", "others-band", "mix"


@lru_cache(maxsize=1)
def _drawable() -> frozenset[int]:
    """Code points the default font can draw."""
    return frozenset(get_font(findfont(FontProperties())).get_charmap())


def plain_text(value: str, limit: int | None = NAME_LIMIT) -> str:
    """User text made safe to draw: one line, glyphs the font has, at most ``limit`` chars.

    Mathtext is disabled wherever this text is drawn, so ``$`` and ``\\`` stay as they are.
    """
    chars: list[str] = []
    for ch in value:
        if unicodedata.category(ch)[0] == "C" or ch.isspace():
            chars.append(" ")  # newlines, tabs, zero-width joiners, ...
        elif unicodedata.category(ch) == "Mn" and ord(ch) not in _drawable():
            continue  # combining marks / variation selectors without a glyph
        else:
            chars.append(ch if ord(ch) in _drawable() else "□")
    text = " ".join("".join(chars).split()) or "?"
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def _legend_label(member: MemberSeries) -> str:
    total = member.cumulative[-1] if member.cumulative else 0
    return f"{plain_text(member.name)} ({total})"


def _shown_members(
    data: RecapChartData, max_members: int
) -> tuple[list[MemberSeries], list[MemberSeries]]:
    """Members drawn as lines (best first) and members folded into the band."""
    ranked = rank(
        [(m, float(m.cumulative[-1] if m.cumulative else 0)) for m in data.members],
        tiebreak=lambda m: m.name.casefold(),
    )
    ordered = [r.key for r in ranked]
    if len(ordered) <= max_members:
        return ordered, []
    few = max(1, max_members // 4)
    head, hidden, tail = top_and_bottom(ordered, few, max(0, min(few, max_members - few)))
    return head + tail, ordered[len(head) : len(head) + hidden]


def _literal(text: Text) -> Text:
    """Draw ``text`` as is: no mathtext (``$``), no TeX, whatever the rcParams say."""
    text.set_parse_math(False)
    text.set_usetex(False)
    return text


def _note(ax: Axes, text: str) -> None:
    _literal(ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center",
                     fontsize=14, color="#777777"))  # fmt: skip


def _draw_progress(ax: Axes, data: RecapChartData, max_members: int) -> None:
    weeks = list(data.weeks)
    ax.set_title("Cumulative unique solves")
    ax.set_xlabel("Week")
    ax.set_ylabel("Unique problems solved")
    ax.grid(True, alpha=0.3)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if weeks:
        ax.set_xticks(weeks)
        ax.set_xlim(weeks[0] - 0.3, weeks[-1] + 0.3)

    lines, folded = _shown_members(data, max_members)
    colors = colormaps["tab10"]
    for i, member in enumerate(lines):
        ax.plot(
            weeks, list(member.cumulative), marker=MARKERS[i % len(MARKERS)], markersize=5,
            linewidth=1.8, color=colors(i % 10), label=_legend_label(member), gid=GID_MEMBER,
        )  # fmt: skip
    if folded:
        low = [min(m.cumulative[i] for m in folded) for i in range(len(weeks))]
        high = [max(m.cumulative[i] for m in folded) for i in range(len(weeks))]
        ax.fill_between(
            weeks, low, high, color="#888888", alpha=0.25, linewidth=0,
            label=f"+{len(folded)} more (min–max)", gid=GID_BAND,
        )  # fmt: skip

    marked = {w for w, _ in data.targets} | set(weeks[-1:])  # checkpoints + "now"
    if weeks and data.targets:
        ax.plot(
            weeks, [target_pace(data.targets, w) for w in weeks], linestyle="--",
            color="#333333", linewidth=1.5, marker="o", markersize=4, label=TARGET_LABEL,
            markevery=[i for i, w in enumerate(weeks) if w in marked], gid=GID_TARGET,
        )  # fmt: skip

    ax.set_ylim(bottom=0)  # after plotting: an explicit limit freezes autoscaling
    if not any(m.cumulative and m.cumulative[-1] > 0 for m in data.members):
        _note(ax, NO_SOLVES)
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        legend = ax.legend(
            handles, labels, loc="upper left", fontsize="small", framealpha=0.85,
            ncols=1 if len(handles) <= 8 else 2,
        )  # fmt: skip
        for text in legend.get_texts():
            _literal(text)


def _draw_mix(ax: Axes, data: RecapChartData) -> None:
    counts = data.difficulty_mix
    total = sum(counts)
    _literal(ax.set_title(f"{plain_text(data.mix_label, 40)} — {total} solved"))
    ax.set_yticks([])
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    if total == 0:
        ax.set_xticks([])
        ax.spines["bottom"].set_visible(False)
        _note(ax, NO_SOLVES)
        return
    left = 0
    for name, count, color in zip(MIX_NAMES, counts, MIX_COLORS, strict=True):
        share = count / total
        ax.barh(
            0, count, left=left, height=0.6, color=color, gid=GID_MIX,
            label=f"{name}: {count} ({share:.0%})",
        )  # fmt: skip
        if share >= 0.08:
            ax.text(
                left + count / 2, 0, str(count), ha="center", va="center",
                color="white", fontsize=13, fontweight="bold",
            )  # fmt: skip
        left += count
    ax.set_xlim(0, total)
    ax.set_ylim(-1.0, 1.0)
    ax.set_xlabel("Unique problems solved")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="upper center", ncols=3, fontsize="small", frameon=False, borderaxespad=2)


def build_figure(data: RecapChartData, *, max_members: int = 12) -> Figure:
    """The recap figure: ``axes[0]`` progress lines, ``axes[1]`` the difficulty mix."""
    if max_members < 1:
        raise ValueError(f"max_members must be at least 1, got {max_members}")
    fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    progress, mix = fig.subplots(1, 2, width_ratios=(2.2, 1))
    _literal(fig.suptitle(plain_text(data.title, 80), fontsize=15, fontweight="bold"))
    _draw_progress(progress, data, max_members)
    _draw_mix(mix, data)
    return fig


def render_recap_chart(data: RecapChartData, *, max_members: int = 12) -> bytes:
    """The recap chart as PNG bytes, always ``WIDTH_PX`` × ``HEIGHT_PX``."""
    fig = build_figure(data, max_members=max_members)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()
