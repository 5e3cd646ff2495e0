"""What a cohort's progress page shows, as plain data (pure: no database, no HTML, ``now``
injected).

:mod:`bot.web.data` reads the numbers (a fixed number of statements whatever the cohort's
size) and calls :func:`cohort_page`, which puts together the parts of :mod:`bot.web.parts`
(heatmap, chart series, milestone board, blocks, pattern grid); the templates and
:mod:`bot.web.svg` draw the result. Nothing here escapes: Jinja2's autoescape and
:mod:`bot.web.svg` do, at the last step.

The cohort page never carries notes, Oops text or ledger lines: its view model has no field
that could hold them (a member's own page is :mod:`bot.web.member_view`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.core.calendar import CohortCalendar, local_date
from bot.core.forecast import forecast_milestone
from bot.core.forecast_window import PastCounts, past_stats, window
from bot.core.progress import target_pace, target_points
from bot.core.stats import MemberStats, MilestoneResult, evaluate, need_text
from bot.core.text import plural
from bot.services.recap import build_week_report, item_categories
from bot.web.parts import (
    Board,
    Coverage,
    DayItem,
    Heatmap,
    Series,
    SolveChart,
    board_milestone,
    board_row,
    coverage,
    heatmap,
    target_line,
    week_blocks,
)
from bot.web.season import state_text
from curriculum.loader import Curriculum


@dataclass(frozen=True)
class MemberLine:
    name: str
    unique: int
    week_new: int
    streak: int
    standing: str


@dataclass(frozen=True)
class CohortPage:
    title: str  # the cohort's name
    program: str
    week: int
    weeks: int
    phase: str
    week_title: str
    patterns: tuple[str, ...]
    as_of: date
    state: str  # "Week 5 of 16 · Wed", "Paused until …", "Finished on …", "Starts on …"
    pace: float  # the roadmap's cumulative target at the end of the week
    hidden: int  # members who keep their progress private (not shown)
    members: tuple[MemberLine, ...]
    heatmap: Heatmap
    chart: SolveChart
    coverage: Coverage
    board: Board | None
    days: tuple[DayItem, ...]
    over: int = 0  # sharing members beyond the page's bound (not shown; their own pages are)


@dataclass(frozen=True)
class CohortNumbers:
    """What :mod:`bot.web.data` reads for a cohort page."""

    name: str
    rest_days: int
    calendar: CohortCalendar
    stats: Mapping[int, MemberStats]  # visible members only, in display order
    daily: Mapping[int, Mapping[date, tuple[int, int]]]  # (solves, blocks done) per day
    solved: Mapping[int, set[str]]  # roadmap problem keys solved
    past: Mapping[int, PastCounts]  # counts at the start of the forecast window
    hidden: int
    over: int = 0  # sharing members beyond ``bot.web.data.MAX_PAGE_MEMBERS``


def cohort_page(numbers: CohortNumbers, curriculum: Curriculum, now: datetime) -> CohortPage:
    calendar = numbers.calendar
    today = local_date(now, calendar.zone)
    week = calendar.current_week(today)
    report = build_week_report(
        numbers.name, numbers.rest_days, week, curriculum, calendar, numbers.stats, now
    )
    recaps = {m.stats.member_id: m for m in report.members}
    order = list(numbers.stats)
    members = tuple(
        MemberLine(
            r.name, r.stats.unique_total, r.stats.week_new, r.streak.length, r.standing.value
        )
        for r in (recaps[i] for i in order)
    )
    heat = heatmap(
        calendar,
        today,
        [(s.name, numbers.daily.get(i, {}), s.active_days) for i, s in numbers.stats.items()],
        numbers.rest_days,
    )
    weeks = tuple(range(1, week + 1))
    chart = SolveChart(
        weeks=calendar.weeks,
        target=target_line(curriculum),
        series=tuple(
            Series(
                s.name,
                ((0, 0.0), *zip(weeks, map(float, s.cumulative_by_week(weeks)), strict=True)),
            )
            for s in numbers.stats.values()
        ),
    )
    grid = coverage(
        curriculum, week, [(s.name, numbers.solved.get(i, set())) for i, s in numbers.stats.items()]
    )
    evaluated = {r.stats.member_id: r.milestones for r in report.members}
    board = cohort_board(numbers, curriculum, calendar, today, week, report.final, evaluated)
    phase = curriculum.phase_of_week(week)
    return CohortPage(
        title=numbers.name,
        program=curriculum.program.title,
        week=week,
        weeks=calendar.weeks,
        phase=phase.title,
        week_title=report.week_title,
        patterns=report.patterns,
        as_of=report.as_of,
        state=state_text(calendar, today),
        pace=target_pace(target_points(curriculum.targets), week),
        hidden=numbers.hidden,
        over=numbers.over,
        members=members,
        heatmap=heat,
        chart=chart,
        coverage=grid,
        board=board,
        days=week_blocks(curriculum, calendar, week, today),
    )


def cohort_board(
    numbers: CohortNumbers,
    curriculum: Curriculum,
    calendar: CohortCalendar,
    today: date,
    week: int,
    final: bool,
    evaluated: Mapping[int, Sequence[MilestoneResult]] | None = None,
) -> Board | None:
    """``evaluated``: milestone results per member the week's report already has (the
    recap evaluates its week's milestones, the board's one too in a milestone week), reused
    instead of evaluated again."""
    milestone = board_milestone(curriculum, week, final)
    if milestone is None:
        return None
    categories = item_categories(curriculum)
    win = window(calendar, today, milestone.week)
    due = milestone.week < week or (milestone.week == week and final)
    known = evaluated or {}
    rows = []
    for i, s in numbers.stats.items():
        result = next((r for r in known.get(i, ()) if r.milestone is milestone), None)
        if result is None:
            result = evaluate(milestone, s, categories)
        forecast = None
        if not due:
            past = past_stats(s, win.past_week, numbers.past.get(i))
            forecast = forecast_milestone(
                milestone,
                s,
                past,
                win,
                curriculum=curriculum,
                categories=categories,
                evaluated=result,
            )
        rows.append(board_row(s.name, result, forecast, due=due))
    return Board(
        milestone=milestone,
        deadline=win.deadline,
        final=due,
        criteria=tuple(c.label for c in milestone.criteria),
        needs=tuple(need_text(c) for c in milestone.criteria),
        rows=tuple(rows),
    )


def summary_line(page: CohortPage) -> str:
    """One sentence for the page's description and the chart's alt text."""
    n = len(page.members)
    return (
        f"{plural(n, 'member')} shown, week {page.week} of {page.weeks}; "
        f"the roadmap's pace is {page.pace:.0f} unique problems by the end of this week."
    )
