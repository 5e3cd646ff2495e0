"""The building blocks of the progress pages, as plain data (pure): the heatmap, the
cumulative chart's series, the milestone board, this week's blocks and the pattern grid.

:mod:`bot.web.cohort_view` and :mod:`bot.web.member_view` put them together into the cohort
and member pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.calendar import CohortCalendar, InProgram
from bot.core.forecast import (
    OUTLOOK_ICONS,
    MilestoneForecast,
    upcoming,
)
from bot.core.pattern_names import roadmap_patterns
from bot.core.posts import KIND_ICONS, SLOT_LABELS
from bot.core.progress import target_pace, target_points
from bot.core.roadmap import SLOTS, block_of, day_text, roadmap_problems
from bot.core.stats import (
    VERDICT_ICONS,
    MilestoneResult,
    metric_text,
    need_text,
    verdict,
)
from curriculum.loader import Curriculum
from curriculum.schema import WEEKDAYS
from curriculum.target_schema import Milestone

# -- the heatmap -----------------------------------------------------------------------------
# A cell's state. Activity levels count the day's solve entries plus blocks done.
MISSED, REST, OPEN, LOGGED, L1, L2, L3, L4 = range(8)
CELL_LABELS = {
    MISSED: "no log",
    REST: "rest day (the streak survives it)",
    OPEN: "today, nothing yet",
    LOGGED: "logged, no solve or block",
    L1: "1 solve or block",
    L2: "2–3 solves or blocks",
    L3: "4–5 solves or blocks",
    L4: "6 or more solves or blocks",
}
LEGEND = (L1, L2, L3, L4, LOGGED, REST, MISSED)


def level(solves: int, blocks: int) -> int:
    n = solves + blocks
    if n <= 0:
        return LOGGED
    if n == 1:
        return L1
    if n <= 3:
        return L2
    if n <= 5:
        return L3
    return L4


@dataclass(frozen=True)
class HeatRow:
    name: str
    cells: tuple[int, ...]  # one state per program day so far
    counts: tuple[tuple[int, int], ...]  # (solves, blocks done) per program day so far


@dataclass(frozen=True)
class PauseMark:
    before: int  # the index of the first program day after the pause (len(days): at the end)
    start: date
    end: date


@dataclass(frozen=True)
class Heatmap:
    days: tuple[date, ...]  # program days so far, in order (paused days are not program days)
    weeks: tuple[int, ...]  # each day's program week
    pauses: tuple[PauseMark, ...]
    rows: tuple[HeatRow, ...]

    @property
    def cells(self) -> int:
        return len(self.days) * len(self.rows)


def program_days_so_far(calendar: CohortCalendar, today: date) -> list[tuple[date, InProgram]]:
    return [(d, p) for d, p in calendar.program_days() if d <= today]


def heat_row(
    name: str,
    days: Sequence[tuple[date, InProgram]],
    today: date,
    counts: Mapping[date, tuple[int, int]],
    active: Iterable[date],
    rest_days: int,
) -> HeatRow:
    """One member's row: activity by level; days without a log are rest days while the
    week's allowance lasts (the streak's rule: ``rest_days`` a week), then missed."""
    logged = set(active)
    cells: list[int] = []
    used: dict[int, int] = {}
    out_counts: list[tuple[int, int]] = []
    for day, pos in days:
        solves, blocks = counts.get(day, (0, 0))
        out_counts.append((solves, blocks))
        if solves or blocks or day in logged:
            cells.append(level(solves, blocks))
        elif day == today:
            cells.append(OPEN)
        else:
            used[pos.week] = used.get(pos.week, 0) + 1
            cells.append(REST if used[pos.week] <= rest_days else MISSED)
    return HeatRow(name, tuple(cells), tuple(out_counts))


def heatmap(
    calendar: CohortCalendar,
    today: date,
    rows: Sequence[tuple[str, Mapping[date, tuple[int, int]], Iterable[date]]],
    rest_days: int,
) -> Heatmap:
    """``rows``: (name, (solves, blocks) per day, days with any log) per member."""
    days = program_days_so_far(calendar, today)
    index = {d: i for i, (d, _) in enumerate(days)}
    pauses = []
    for p in calendar.effective_pauses():
        if p.start > today:
            continue
        after = p.end + timedelta(days=1)
        pauses.append(PauseMark(index.get(after, len(days)), p.start, min(p.end, today)))
    return Heatmap(
        days=tuple(d for d, _ in days),
        weeks=tuple(p.week for _, p in days),
        pauses=tuple(pauses),
        rows=tuple(heat_row(n, days, today, c, a, rest_days) for n, c, a in rows),
    )


# -- the cumulative chart --------------------------------------------------------------------
@dataclass(frozen=True)
class Series:
    name: str
    points: tuple[tuple[int, float], ...]  # (week, unique problems at its end)


@dataclass(frozen=True)
class SolveChart:
    weeks: int  # the program's length
    target: tuple[tuple[int, float], ...]  # the roadmap's pace, week 0 … last week
    series: tuple[Series, ...]
    projection: tuple[tuple[int, float], ...] = ()  # one member's pace, from this week on
    marks: tuple[tuple[int, float, str], ...] = ()  # milestone thresholds (week, value, label)

    @property
    def top(self) -> float:
        values = [v for _, v in self.target]
        values += [v for s in self.series for _, v in s.points]
        values += [v for _, v in self.projection] + [v for _, v, _ in self.marks]
        return max([1.0, *values])


def target_line(curriculum: Curriculum) -> tuple[tuple[int, float], ...]:
    points = target_points(curriculum.targets)
    return tuple((w, target_pace(points, w)) for w in range(0, curriculum.week_count + 1))


# -- the milestone board ---------------------------------------------------------------------
@dataclass(frozen=True)
class BoardCell:
    value: str  # "14"
    need: str  # "≥ 20"
    ok: bool
    projected: str | None  # "→ 22 by Sun 17 Jan" where the coach projects it
    outlook: str | None  # "🟢 on track"


@dataclass(frozen=True)
class BoardRow:
    name: str
    cells: tuple[BoardCell, ...]
    verdict: str  # "✅ Passed · 3/3", "⏳ In progress · 1/3"
    met: int


@dataclass(frozen=True)
class Board:
    milestone: Milestone
    deadline: date
    final: bool  # its week is over: passed or missed
    criteria: tuple[str, ...]  # column headings (the roadmap's labels)
    needs: tuple[str, ...]
    rows: tuple[BoardRow, ...]

    @property
    def ticks(self) -> int:
        return sum(c.ok for r in self.rows for c in r.cells)

    @property
    def reached(self) -> int:
        return sum(r.met == len(self.criteria) for r in self.rows)


def board_cell(
    value: float | None,
    ok: bool,
    index: int,
    f: MilestoneForecast | None,
    m: Milestone,
    by: str = "",
) -> BoardCell:
    """A criterion's value against its threshold, and where the member's pace leads (the
    coach's projection, shown while it is not met). ``by``: the forecast's deadline as
    text (computed once per row, not per cell)."""
    c = m.criteria[index]
    projected = outlook = None
    if f is not None:
        cf = f.criteria[index]
        if not cf.met and cf.projected is not None:
            deadline = by or day_text(f.window.deadline)
            projected = f"→ {metric_text(cf.projected, c.metric)} by {deadline}"
        if not cf.met:
            outlook = f"{OUTLOOK_ICONS[cf.outlook]} {cf.outlook.value}"
    return BoardCell(metric_text(value, c.metric), need_text(c), ok, projected, outlook)


def board_row(
    name: str, result: MilestoneResult, forecast: MilestoneForecast | None, *, due: bool
) -> BoardRow:
    m = result.milestone
    f = None if due else forecast
    by = day_text(f.window.deadline) if f is not None else ""
    cells = tuple(board_cell(r.value, r.ok, i, f, m, by) for i, r in enumerate(result.results))
    v = verdict(result, due=due)
    text = f"{VERDICT_ICONS[v]} {v.value.capitalize()} · {result.passed}/{len(result.results)}"
    return BoardRow(name, cells, text, result.passed)


def board_milestone(curriculum: Curriculum, week: int, final: bool) -> Milestone | None:
    """The milestone being worked on: this week's while it runs, else the next one, else the
    last one (after the program)."""
    ahead = upcoming(curriculum, week, include_current=not final)
    if ahead:
        return ahead[0]
    done = curriculum.targets.milestones
    return done[-1] if done else None


# -- this week's blocks ----------------------------------------------------------------------
@dataclass(frozen=True)
class ProblemLink:
    number: int
    title: str
    difficulty: str
    url: str


@dataclass(frozen=True)
class TaskItem:
    icon: str
    text: str
    minutes: int | None
    problems: tuple[ProblemLink, ...]
    links: tuple[tuple[str, str], ...]  # (title, url)


@dataclass(frozen=True)
class BlockItem:
    label: str  # "Block-A (90 min)"
    tasks: tuple[TaskItem, ...]


@dataclass(frozen=True)
class DayItem:
    label: str  # "Mon 4 Jan"
    today: bool
    blocks: tuple[BlockItem, ...]


def week_blocks(
    curriculum: Curriculum, calendar: CohortCalendar, week: int, today: date
) -> tuple[DayItem, ...]:
    out = []
    for weekday in WEEKDAYS:
        day = calendar.date_of(week, weekday)
        blocks = []
        for slot in SLOTS:
            block = block_of(curriculum, week, weekday, slot)
            if block is None:
                continue
            tasks = []
            for t in block.tasks:
                problems = tuple(
                    ProblemLink(p.number, p.title, p.difficulty.value, p.url)
                    for p in (curriculum.problems[n] for n in t.problems)
                )
                links = tuple((x.title or str(x.url), str(x.url)) for x in t.links)
                tasks.append(
                    TaskItem(KIND_ICONS.get(t.kind, "•"), t.text, t.minutes, problems, links)
                )
            label = f"{SLOT_LABELS[slot]} ({block.minutes} min)"
            blocks.append(BlockItem(label, tuple(tasks)))
        out.append(DayItem(day_text(day), day == today, tuple(blocks)))
    return tuple(out)


# -- the pattern grid ------------------------------------------------------------------------
@dataclass(frozen=True)
class Coverage:
    patterns: tuple[str, ...]
    named: tuple[int, ...]  # roadmap problems of each pattern named so far
    rows: tuple[tuple[str, tuple[int, ...]], ...]  # (name, solved of each pattern)


def coverage(curriculum: Curriculum, week: int, rows: Sequence[tuple[str, set[str]]]) -> Coverage:
    """Roadmap problems solved / named per pattern (``rows``: name, solved problem keys)."""
    patterns = roadmap_patterns(curriculum, week)
    named: dict[str, list[str]] = {p: [] for p in patterns}
    for n in roadmap_problems(curriculum, week):
        named[curriculum.problems[n].pattern].append(str(n))
    return Coverage(
        tuple(patterns),
        tuple(len(named[p]) for p in patterns),
        tuple(
            (name, tuple(sum(1 for k in named[p] if k in solved) for p in patterns))
            for name, solved in rows
        ),
    )
