"""A member's solve totals against the roadmap's targets (pure)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from curriculum.target_schema import SolveTarget, Targets


@dataclass(frozen=True)
class SolveRow:
    problem_key: str
    local_date: date
    week: int | None


@dataclass(frozen=True)
class SolveSummary:
    week: int | None
    week_new: int  # problems first solved this program week (the recap's "__ /12")
    week_entries: int  # every solve entry this week, revisits included
    cumulative: int  # distinct problems ever solved (what milestones count)
    weekly_target: int
    target: SolveTarget | None  # the roadmap's next cumulative target from this week on


def target_for(targets: Targets, week: int | None) -> SolveTarget | None:
    """The first cumulative target stated for ``week`` or a later week."""
    if week is None:
        return None
    ahead = [t for t in targets.solve_targets if t.week >= week]
    return min(ahead, key=lambda t: t.week) if ahead else None


def first_solves(rows: Iterable[SolveRow]) -> dict[str, SolveRow]:
    """The earliest entry of each distinct problem."""
    first: dict[str, SolveRow] = {}
    for row in rows:
        seen = first.get(row.problem_key)
        if seen is None or row.local_date < seen.local_date:
            first[row.problem_key] = row
    return first


def solve_summary(rows: Iterable[SolveRow], week: int | None, targets: Targets) -> SolveSummary:
    rows = list(rows)
    first = first_solves(rows)
    return SolveSummary(
        week=week,
        week_new=sum(1 for r in first.values() if week is not None and r.week == week),
        week_entries=sum(1 for r in rows if week is not None and r.week == week),
        cumulative=len(first),
        weekly_target=targets.weekly_recap_solves,
        target=target_for(targets, week),
    )


def target_text(target: SolveTarget | None) -> str:
    if target is None:
        return ""
    amount = f"{target.minimum}" if target.maximum is None else f"{target.minimum}–{target.maximum}"
    return f"roadmap: {amount} by the end of week {target.week}"


def target_pace(targets: Sequence[tuple[int, int]], week: int) -> float:
    """The roadmap target at ``week``: linear between checkpoints from (0, 0), flat after."""
    points = [(0, 0), *sorted(targets)]
    for (w0, v0), (w1, v1) in itertools.pairwise(points):
        if week <= w1:
            if week <= w0:
                return float(v0)
            return v0 + (v1 - v0) * (week - w0) / (w1 - w0)
    return float(points[-1][1])


def target_points(targets: Targets) -> tuple[tuple[int, int], ...]:
    """One (week, minimum) point per week: the first statement when the roadmap has two."""
    seen: dict[int, int] = {}
    for t in targets.solve_targets:
        seen.setdefault(t.week, t.minimum)
    return tuple(sorted(seen.items()))
