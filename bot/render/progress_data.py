"""What ``/progress``'s chart shows (no matplotlib here: :mod:`bot.render.progress_chart`
draws it and is imported only when a chart is rendered)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProgressChartData:
    title: str
    weeks: int  # the program's length
    actual: tuple[tuple[int, int], ...]  # (week, unique problems at its end) so far
    targets: tuple[tuple[int, int], ...]  # the roadmap's (week, minimum) checkpoints
    projection: tuple[tuple[int, float], ...]  # (week, projected) from the current week on
    milestones: tuple[tuple[int, float, str], ...] = ()  # (week, solves needed, label)
