"""The pages' view models (pure): heatmap states, pauses, the pattern grid, the SVG escaping."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot.core.calendar import CohortCalendar, Pause
from bot.web.parts import (
    L1,
    L2,
    L4,
    LOGGED,
    MISSED,
    OPEN,
    REST,
    Series,
    SolveChart,
    coverage,
    heatmap,
    level,
)
from bot.web.svg import heatmap_svg, solve_chart_svg
from curriculum.loader import Curriculum

MON = date(2027, 1, 4)
CAL = CohortCalendar(start=MON, zone=ZoneInfo("Europe/Berlin"))


def test_levels_count_solves_and_blocks() -> None:
    assert [level(0, 0), level(1, 0), level(0, 1), level(2, 1), level(5, 3)] == [
        LOGGED,
        L1,
        L1,
        L2,
        L4,
    ]


def test_rest_days_follow_the_streaks_allowance_and_today_is_open() -> None:
    today = MON + timedelta(days=9)  # Wed of week 2
    counts = {MON: (2, 1), MON + timedelta(days=3): (1, 0)}
    logged = [*counts, MON + timedelta(days=4)]  # Fri: logged something else
    h = heatmap(CAL, today, [("Ada", counts, logged)], rest_days=1)
    (row,) = h.rows
    assert len(h.days) == len(row.cells) == 10 and h.cells == 10
    # week 1: Mon 3, Tue rest (the one allowed), Wed missed, Thu 1, Fri logged, Sat/Sun missed
    assert row.cells[:7] == (L2, REST, MISSED, L1, LOGGED, MISSED, MISSED)
    # week 2: a new allowance; today is still open
    assert row.cells[7:] == (REST, MISSED, OPEN)


def test_a_pause_is_marked_between_the_days_it_separates() -> None:
    cal = CohortCalendar(
        start=MON, zone=ZoneInfo("UTC"), pauses=(Pause(date(2027, 1, 11), date(2027, 1, 13)),)
    )
    today = date(2027, 1, 20)  # Wed after a one-week pause
    h = heatmap(cal, today, [("Ada", {}, [])], rest_days=0)
    assert len(h.days) == 10 and date(2027, 1, 12) not in h.days
    (mark,) = h.pauses
    assert mark.before == 7 and (mark.start, mark.end) == (date(2027, 1, 11), date(2027, 1, 17))
    svg = str(heatmap_svg(h, label="x"))
    assert svg.count('class="pause"') == 1 and "Paused Mon 11 Jan – Sun 17 Jan" in svg


def test_the_pattern_grid_counts_roadmap_problems(curriculum: Curriculum) -> None:
    grid = coverage(curriculum, 2, [("Ada", {"1", "217", "999999"}), ("Bo", set())])
    assert sum(grid.named) > 0 and len(grid.patterns) == len(grid.named)
    ada, bo = grid.rows
    assert sum(ada[1]) >= 1 and sum(bo[1]) == 0
    assert all(n <= named for n, named in zip(ada[1], grid.named, strict=True))


def test_charts_escape_names() -> None:
    bad = '<script>x</script>"&'
    h = heatmap(CAL, MON + timedelta(days=2), [(bad, {}, [])], rest_days=1)
    chart = SolveChart(16, ((0, 0.0), (16, 300.0)), (Series(bad, ((0, 0.0), (1, 5.0))),))
    for svg in (str(heatmap_svg(h, label=bad)), str(solve_chart_svg(chart, label=bad))):
        assert "<script>" not in svg and "&lt;script&gt;x&lt;/script&gt;&#34;&amp;" in svg
