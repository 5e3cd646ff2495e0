"""The weekly recap chart: PNG output, plotted series, collapse of large groups, odd names."""

from __future__ import annotations

import io
import subprocess
import sys

import matplotlib
import numpy as np
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.image import imread
from matplotlib.lines import Line2D
from matplotlib.text import Text

from bot.render.chart import (
    GID_BAND,
    GID_MEMBER,
    GID_TARGET,
    NO_SOLVES,
    MemberSeries,
    RecapChartData,
    build_figure,
    plain_text,
    render_recap_chart,
    target_pace,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TARGETS = ((2, 14), (5, 24), (6, 40), (7, 65), (8, 110), (9, 140), (10, 165), (11, 190),
           (12, 220), (16, 300))  # fmt: skip
WEEKS = (1, 2, 3, 4, 5, 6)
THREE = (
    MemberSeries("Ana", (3, 10, 15, 20, 26, 38)),
    MemberSeries("bob", (5, 14, 19, 22, 25, 31)),
    MemberSeries("Chloé", (0, 4, 9, 16, 24, 44)),
)


def data(
    members: tuple[MemberSeries, ...] = THREE,
    weeks: tuple[int, ...] = WEEKS,
    mix: tuple[int, int, int] = (21, 14, 3),
) -> RecapChartData:
    return RecapChartData(
        title="Week 6 recap", weeks=weeks, targets=TARGETS, members=members,
        difficulty_mix=mix, mix_label="This week's mix",
    )  # fmt: skip


def lines(fig: Figure, gid: str) -> list[Line2D]:
    return [line for line in fig.axes[0].get_lines() if line.get_gid() == gid]


def xy(line: Line2D) -> tuple[list[float], list[float]]:
    xs = np.asarray(line.get_xdata(), dtype=float).tolist()
    ys = np.asarray(line.get_ydata(), dtype=float).tolist()
    return xs, ys


def legend_texts(fig: Figure, panel: int = 0) -> list[Text]:
    legend = fig.axes[panel].get_legend()
    assert legend is not None
    return list(legend.get_texts())


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text)]


def decode(png: bytes) -> tuple[int, ...]:
    assert png.startswith(PNG_SIGNATURE)
    shape: tuple[int, ...] = imread(io.BytesIO(png), format="png").shape
    return shape


def test_png_decodes_at_fixed_size() -> None:
    shape = decode(render_recap_chart(data()))
    assert shape[:2] == (600, 1200)


def test_output_is_deterministic() -> None:
    assert render_recap_chart(data()) == render_recap_chart(data())


def test_member_series_match_input() -> None:
    fig = build_figure(data())
    drawn = {line.get_label(): line for line in lines(fig, GID_MEMBER)}
    assert len(drawn) == 3
    for member in THREE:
        line = drawn[f"{member.name} ({member.cumulative[-1]})"]
        assert xy(line) == (list(WEEKS), list(member.cumulative))
    # legend lists members best first
    assert [str(line.get_label()) for line in lines(fig, GID_MEMBER)] == [
        "Chloé (44)", "Ana (38)", "bob (31)",
    ]  # fmt: skip


def test_target_line_is_pace_up_to_last_week() -> None:
    fig = build_figure(data())
    (target,) = lines(fig, GID_TARGET)
    assert target.get_linestyle() == "--"
    xs, ys = xy(target)
    assert xs == list(WEEKS)  # never beyond the last shown week
    by_week = dict(zip(xs, ys, strict=True))
    assert by_week[2] == 14 and by_week[5] == 24 and by_week[6] == 40
    assert by_week[1] == pytest.approx(7)  # from (0, 0) to the first checkpoint
    assert by_week[4] == pytest.approx(14 + 10 * 2 / 3)
    assert "Roadmap target" in [t.get_text() for t in legend_texts(fig)]


def test_target_pace_edges() -> None:
    assert target_pace(TARGETS, 0) == 0
    assert target_pace(TARGETS, 12) == 220
    assert target_pace(TARGETS, 14) == pytest.approx(260)
    assert target_pace(TARGETS, 20) == 300  # flat after the last checkpoint
    assert target_pace((), 3) == 0


def test_many_members_collapse_to_band() -> None:
    weeks = tuple(range(1, 10))
    members = tuple(MemberSeries(f"m{i:02}", tuple(w * (i + 1) for w in weeks)) for i in range(20))
    fig = build_figure(data(members, weeks))
    drawn = [str(line.get_label()) for line in lines(fig, GID_MEMBER)]
    assert drawn == ["m19 (180)", "m18 (171)", "m17 (162)", "m02 (27)", "m01 (18)", "m00 (9)"]
    (band,) = [c for c in fig.axes[0].collections if c.get_gid() == GID_BAND]
    assert isinstance(band, PolyCollection)
    ys = np.asarray(band.get_paths()[0].vertices)[:, 1]
    assert ys.min() == 4 * 1 and ys.max() == 17 * 9  # min of m03, max of m16
    legend = [t.get_text() for t in legend_texts(fig)]
    assert "+14 more (min–max)" in legend
    assert decode(render_recap_chart(data(members, weeks)))[:2] == (600, 1200)


def test_max_members_is_respected_exactly() -> None:
    members = tuple(MemberSeries(f"m{i}", (i,) * len(WEEKS)) for i in range(12))
    fig = build_figure(data(members))
    assert len(lines(fig, GID_MEMBER)) == 12
    assert not [c for c in fig.axes[0].collections if c.get_gid() == GID_BAND]
    assert len(lines(build_figure(data(members), max_members=4), GID_MEMBER)) == 2


@pytest.mark.parametrize("weeks", [(), (1,)])
def test_no_members_is_a_clean_empty_chart(weeks: tuple[int, ...]) -> None:
    fig = build_figure(data((), weeks, (0, 0, 0)))
    assert lines(fig, GID_MEMBER) == []
    assert texts(fig).count(NO_SOLVES) == 2
    assert decode(render_recap_chart(data((), weeks, (0, 0, 0))))[:2] == (600, 1200)


def test_members_with_zero_solves_get_the_note() -> None:
    members = (MemberSeries("Ana", (0,) * len(WEEKS)),)
    fig = build_figure(data(members, mix=(0, 0, 0)))
    assert len(lines(fig, GID_MEMBER)) == 1
    assert NO_SOLVES in texts(fig)
    render_recap_chart(data(members, mix=(0, 0, 0)))


def test_odd_names_render_literally(recwarn: pytest.WarningsRecorder) -> None:
    members = (
        MemberSeries("$x$ \\alpha", (1, 2, 3, 4, 5, 6)),
        MemberSeries("🔥🔥 Zoë 🚀", (0, 1, 1, 2, 3, 5)),
        MemberSeries("$", (0, 0, 0, 1, 1, 1)),
        MemberSeries("two\nlines\u200d", (0, 0, 0, 0, 0, 0)),
    )
    fig = build_figure(data(members))
    legend = legend_texts(fig)
    shown = [t.get_text() for t in legend]
    assert "$x$ \\alpha (6)" in shown and "$ (1)" in shown and "two lines (0)" in shown
    assert "□□ Zoë □ (5)" in shown
    assert all(not t.get_parse_math() and not t.get_usetex() for t in legend)
    assert decode(render_recap_chart(data(members)))[:2] == (600, 1200)
    assert not [w for w in recwarn if "Glyph" in str(w.message)]


def test_plain_text() -> None:
    assert plain_text("a" * 30) == "a" * 23 + "…"
    assert plain_text("  \t ") == "?"
    assert plain_text("cost $5 \\n", None) == "cost $5 \\n"


def test_difficulty_counts_appear_as_text() -> None:
    fig = build_figure(data(mix=(21, 14, 3)))
    shown = texts(fig)
    assert "21" in shown and "14" in shown  # labels inside the bar segments
    legend = [t.get_text() for t in legend_texts(fig, 1)]
    assert legend == ["Easy: 21 (55%)", "Medium: 14 (37%)", "Hard: 3 (8%)"]
    assert "This week's mix — 38 solved" in shown


def test_rejects_misaligned_series() -> None:
    with pytest.raises(ValueError):
        data((MemberSeries("Ana", (1, 2)),))
    with pytest.raises(ValueError):
        data((), weeks=(2, 1))
    with pytest.raises(ValueError):
        build_figure(data(), max_members=0)


def test_no_global_matplotlib_state() -> None:
    before = dict(matplotlib.rcParams)
    render_recap_chart(data())
    assert dict(matplotlib.rcParams) == before
    code = "import sys, bot.render.chart; assert 'matplotlib.pyplot' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
