"""What the progress pages show, as plain data (pure: no database, no HTML, ``now`` injected).

:mod:`bot.web.data` reads the numbers (a fixed number of statements whatever the cohort's
size) and calls :func:`cohort_page` / :func:`member_page`, which put together the parts of
:mod:`bot.web.parts` (heatmap, chart series, milestone board, blocks, pattern grid); the
templates and :mod:`bot.web.svg` draw the result. Nothing here escapes: Jinja2's autoescape and
:mod:`bot.web.svg` do, at the last step.

The cohort page never carries notes, Oops text or ledger lines: its view model has no field
that could hold them (member pages have their own, :class:`MemberPage`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.core.calendar import CohortCalendar, Finished, InProgram, Paused, local_date
from bot.core.entries import MOCK_KINDS, RATING_ORDER, RATINGS
from bot.core.forecast import (
    MilestoneForecast,
    PastCounts,
    forecast_milestone,
    past_stats,
    solve_projection,
    window,
)
from bot.core.patterns import PatternReport
from bot.core.progress import target_pace, target_points
from bot.core.roadmap import day_text
from bot.core.stats import (
    MemberStats,
    MilestoneResult,
    evaluate,
    need_text,
)
from bot.core.text import plural
from bot.services.recap import build_week_report, item_categories
from bot.web.parts import (
    Board,
    BoardCell,
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
from curriculum.loader import Curriculum
from curriculum.schema import Metric, Milestone


# -- the cohort page -------------------------------------------------------------------------
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


def current_week(calendar: CohortCalendar, today: date) -> int:
    return max(1, calendar.counting_week(today))


def state_text(calendar: CohortCalendar, today: date) -> str:
    pos = calendar.position(today)
    if isinstance(pos, InProgram):
        return f"Week {pos.week} of {calendar.weeks} · {day_text(today)}"
    if isinstance(pos, Paused):
        return f"Paused — resumes {day_text(pos.resumes_on)}"
    if isinstance(pos, Finished):
        return f"Finished on {day_text(pos.ended_on)}"
    return f"Starts {day_text(calendar.program_start)}"


def cohort_page(numbers: CohortNumbers, curriculum: Curriculum, now: datetime) -> CohortPage:
    calendar = numbers.calendar
    today = local_date(now, calendar.zone)
    week = current_week(calendar, today)
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


# -- the member page -------------------------------------------------------------------------
@dataclass(frozen=True)
class MockPoint:
    day: date
    kind: str  # "DS&A"
    kind_key: str
    rating: str  # "Hire"
    score: int  # 4 = Strong Hire … 0 = No Hire
    platform: str | None


@dataclass(frozen=True)
class OopsItem:
    day: date
    what: str
    lesson: str
    pattern: str | None
    problem: str | None


@dataclass(frozen=True)
class MilestoneItem:
    title: str
    week: int
    heading: str  # "Week 2" or "Next up"
    verdict: str
    cells: tuple[tuple[str, BoardCell], ...]  # (criterion label, cell)


@dataclass(frozen=True)
class PatternLine:
    pattern: str
    solved: int
    named: int
    unique: int
    oops: int
    reasons: tuple[str, ...]
    weakest: bool


@dataclass(frozen=True)
class MemberPage:
    name: str
    cohort: str
    program: str
    state: str
    week: int
    weeks: int
    unique: int
    pace: float
    streak: int
    heatmap: Heatmap
    chart: SolveChart
    patterns: tuple[PatternLine, ...]
    next_problems: tuple[str, ...]
    milestones: tuple[MilestoneItem, ...]
    forecasts: tuple[MilestoneItem, ...]
    mocks: tuple[MockPoint, ...]
    oops: tuple[OopsItem, ...]
    oops_total: int


@dataclass(frozen=True)
class MilestoneNumbers:
    milestone: Milestone
    result: MilestoneResult
    upcoming: bool
    due: bool


@dataclass(frozen=True)
class MemberNumbers:
    """What :mod:`bot.web.data` reads for a member's own page."""

    name: str
    cohort: str
    rest_days: int
    calendar: CohortCalendar
    stats: MemberStats
    past: MemberStats  # as at the start of the forecast window
    forecasts: tuple[MilestoneForecast, ...]
    milestones: tuple[MilestoneNumbers, ...]
    patterns: PatternReport
    daily: Mapping[date, tuple[int, int]]
    mocks: tuple[tuple[date, str, str, str | None], ...]  # day, kind, rating, platform
    oops: tuple[OopsItem, ...]  # newest first, at most MAX_OOPS
    oops_total: int


MAX_OOPS = 200  # Oops lessons shown on a member's page (the newest)


def mock_points(rows: Iterable[tuple[date, str, str, str | None]]) -> tuple[MockPoint, ...]:
    out = []
    for day, kind, rating, platform in rows:
        if rating not in RATINGS:
            continue
        score = len(RATING_ORDER) - 1 - RATING_ORDER.index(rating)
        out.append(
            MockPoint(day, MOCK_KINDS.get(kind, kind), kind, RATINGS[rating], score, platform)
        )
    return tuple(sorted(out, key=lambda p: p.day))


def _milestone_item(
    heading: str, result: MilestoneResult, forecast: MilestoneForecast | None, *, due: bool
) -> MilestoneItem:
    row = board_row("", result, forecast, due=due)
    m = result.milestone
    return MilestoneItem(
        m.title,
        m.week,
        heading,
        row.verdict,
        tuple(zip((c.label for c in m.criteria), row.cells, strict=True)),
    )


def member_page(numbers: MemberNumbers, curriculum: Curriculum, now: datetime) -> MemberPage:
    calendar = numbers.calendar
    today = local_date(now, calendar.zone)
    week = current_week(calendar, today)
    s = numbers.stats
    heat = heatmap(calendar, today, [(s.name, numbers.daily, s.active_days)], numbers.rest_days)
    weeks = tuple(range(1, week + 1))
    actual = ((0, 0.0), *zip(weeks, map(float, s.cumulative_by_week(weeks)), strict=True))
    projection: tuple[tuple[int, float], ...] = ()
    forecasts = {f.milestone.id: f for f in numbers.forecasts}
    if numbers.forecasts:
        ahead = solve_projection(s, numbers.past, numbers.forecasts[0].window, calendar)
        later = [(w, v) for w, v in sorted(ahead.items()) if w > week]
        projection = ((week, float(s.unique_total)), *later)
    marks = tuple(
        (m.week, float(c.threshold), m.id.upper())
        for m in curriculum.targets.milestones
        for c in m.criteria
        if c.metric is Metric.UNIQUE_SOLVES
    )
    chart = SolveChart(
        weeks=calendar.weeks,
        target=target_line(curriculum),
        series=(Series(s.name, actual),),
        projection=projection if len(projection) > 1 else (),
        marks=marks,
    )
    weakest = numbers.patterns.weakest
    patterns = tuple(
        PatternLine(
            r.pattern,
            r.solved,
            r.named,
            r.unique,
            r.oops,
            r.reasons,
            weakest is not None and r.pattern == weakest.pattern,
        )
        for r in numbers.patterns.rows
    )
    items = tuple(
        _milestone_item(
            "Next up" if v.upcoming else f"Week {v.milestone.week}",
            v.result,
            forecasts.get(v.milestone.id) if v.upcoming else None,
            due=v.due,
        )
        for v in numbers.milestones
    )
    shown = {v.milestone.id for v in numbers.milestones}
    categories = item_categories(curriculum)
    ahead_items = tuple(
        _milestone_item(
            f"Week {f.milestone.week}",
            evaluate(f.milestone, s, categories),
            f,
            due=False,
        )
        for f in numbers.forecasts
        if f.milestone.id not in shown
    )
    points = target_points(curriculum.targets)
    return MemberPage(
        name=s.name,
        cohort=numbers.cohort,
        program=curriculum.program.title,
        state=state_text(calendar, today),
        week=week,
        weeks=calendar.weeks,
        unique=s.unique_total,
        pace=target_pace(points, week),
        streak=s.streak(today, numbers.rest_days).length,
        heatmap=heat,
        chart=chart,
        patterns=patterns,
        next_problems=numbers.patterns.next_problems,
        milestones=items,
        forecasts=ahead_items,
        mocks=mock_points(numbers.mocks),
        oops=numbers.oops,
        oops_total=numbers.oops_total,
    )


def summary_line(page: CohortPage) -> str:
    """One sentence for the page's description and the chart's alt text."""
    n = len(page.members)
    return (
        f"{plural(n, 'member')} shown, week {page.week} of {page.weeks}; "
        f"the roadmap's pace is {page.pace:.0f} unique problems by the end of this week."
    )
