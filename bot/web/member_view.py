"""What a member's own progress page shows, as plain data (pure: no database, no HTML,
``now`` injected): their heatmap, solves against the roadmap with the projection at their
pace, patterns, milestones and forecasts, mock ratings and Oops lessons.

:mod:`bot.web.data` reads the numbers and calls :func:`member_page`, which puts together the
parts of :mod:`bot.web.parts`; the templates and :mod:`bot.web.svg` draw the result. Nothing
here escapes: Jinja2's autoescape and :mod:`bot.web.svg` do, at the last step. Only this
page carries a member's own text (Oops lessons); the cohort page
(:mod:`bot.web.cohort_view`) has no field that could hold it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from bot.core.calendar import CohortCalendar, local_date
from bot.core.entries import MOCK_KINDS, RATING_ORDER, RATINGS
from bot.core.forecast import MilestoneForecast, solve_projection
from bot.core.patterns import PatternReport
from bot.core.progress import target_pace, target_points
from bot.core.stats import MemberStats, MilestoneResult, evaluate
from bot.services.recap import item_categories
from bot.web.parts import BoardCell, Heatmap, Series, SolveChart, board_row, heatmap, target_line
from bot.web.season import state_text
from curriculum.loader import Curriculum
from curriculum.target_schema import Metric, Milestone


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
    week = calendar.current_week(today)
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
