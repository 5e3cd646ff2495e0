"""How ``/progress`` reads: the numbers, the next milestones' forecasts, and what its chart
shows (:class:`~bot.render.progress_data.ProgressChartData`, drawn by
:mod:`bot.render.progress_chart`).
"""

from __future__ import annotations

from bot.core.forecast import solve_projection
from bot.core.progress import target_points
from bot.render.entries import safe
from bot.render.fit import Attachment, Report, Section
from bot.render.forecast import forecast_lines
from bot.render.progress_data import ProgressChartData
from bot.services.coach import MemberOutlook
from curriculum.loader import Curriculum
from curriculum.target_schema import Criterion, Metric, Milestone


def progress_chart_data(
    outlook: MemberOutlook, curriculum: Curriculum, name: str
) -> ProgressChartData:
    """The member's actual unique problems per week, the roadmap's target, their projection
    at the recent pace, and the milestones' solve thresholds."""
    calendar, stats = outlook.calendar, outlook.stats
    week = calendar.current_week(outlook.today)
    weeks = list(range(1, week + 1))
    actual = tuple(zip(weeks, stats.cumulative_by_week(weeks), strict=True))
    projection: list[tuple[int, float]] = []
    if outlook.forecasts:
        ahead = solve_projection(stats, outlook.past, outlook.forecasts[0].window, calendar)
        projection = [(week, float(stats.unique_total))]
        projection += [(w, v) for w, v in sorted(ahead.items()) if w > week]
    marks = tuple(
        (m.week, float(c.threshold), m.id.upper())
        for m in curriculum.targets.milestones
        if (c := _solve_criterion(m)) is not None
    )
    return ProgressChartData(
        title=f"{name} · unique problems",
        weeks=calendar.weeks,
        actual=actual,
        targets=target_points(curriculum.targets),
        projection=tuple(projection) if len(projection) > 1 else (),
        milestones=marks,
    )


def _solve_criterion(m: Milestone) -> Criterion | None:
    return next((c for c in m.criteria if c.metric is Metric.UNIQUE_SOLVES), None)


def progress_report(outlook: MemberOutlook, name: str, png: bytes) -> Report:
    """``/progress``: the numbers, the next milestones' forecasts and the chart."""
    calendar, stats = outlook.calendar, outlook.stats
    week = calendar.current_week(outlook.today)
    lines = [f"**{stats.unique_total}** unique problems, week {week}"]
    if outlook.forecasts:
        ahead = solve_projection(stats, outlook.past, outlook.forecasts[0].window, calendar)
        final = ahead.get(calendar.weeks)
        if final is not None:
            lines.append(
                f"At your recent pace: ~**{round(final)}** by the end of week {calendar.weeks}"
            )
    sections = [Section("📈 Forecast", forecast_lines(f, limit=4)) for f in outlook.forecasts[:2]]
    return Report(
        f"📈 Progress — {safe(name, 60)}",
        sections,
        description="\n".join(lines),
        files=[Attachment("progress.png", png)],
        footer="Solid: you · dashed: the roadmap's target · dotted: your recent pace",
    )
