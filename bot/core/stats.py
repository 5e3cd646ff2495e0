"""A member's numbers as of the end of a program week, and milestone verdicts (pure).

:mod:`bot.services.stats` fills :class:`MemberStats` from a fixed number of aggregate SQL
queries for a whole cohort; everything here is arithmetic on those aggregates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from bot.core.entries import RATING_ORDER
from bot.core.streaks import Streak, current_streak, longest_streak
from curriculum.target_schema import Criterion, Metric, Milestone

DIFFS = ("easy", "medium", "hard")
RANK = {rating: i for i, rating in enumerate(RATING_ORDER)}  # a rating's place, best first


@dataclass
class MemberStats:
    member_id: int
    user_id: int
    name: str
    week: int  # the stats are as of the end of this program week
    # new unique problems by the counting week of their first solve, per difficulty
    first_solves: dict[int, list[int]] = field(default_factory=dict)
    kind_total: dict[str, int] = field(default_factory=dict)  # entries per kind, weeks ≤ week
    kind_week: dict[str, int] = field(default_factory=dict)  # entries per kind in ``week``
    active_days: list[date] = field(default_factory=list)
    done_items: set[str] = field(default_factory=set)
    done_this_week: set[str] = field(default_factory=set)
    # ticked item → how many it counts (a normal item 1, a countable one its logged quantities)
    item_counts: dict[str, int] = field(default_factory=dict)
    mocks: list[tuple[str, str, int, int]] = field(default_factory=list)  # kind, rating, week, n
    best_percentile: float | None = None
    week_best_percentile: float | None = None
    anki_mature: int | None = None
    anki_added: int = 0
    anki_days: list[date] = field(default_factory=list)
    minutes_hist: dict[int, int] = field(default_factory=dict)
    week_oops: tuple[str, str] | None = None
    week_win: str | None = None
    # study sessions: blocks marked done in ``week`` per slot, and counted study-room
    # seconds per program week (weeks ≤ ``week``)
    blocks_week: dict[str, int] = field(default_factory=dict)
    study_seconds: dict[int, int] = field(default_factory=dict)
    _by_category: Counter[str] | None = field(default=None, repr=False, compare=False)

    # -- solves ------------------------------------------------------------------------
    def mix(self, upto: int | None = None, only: int | None = None) -> tuple[int, int, int]:
        """Unique problems by difficulty: all first solved up to ``upto``, or in ``only``."""
        totals = [0, 0, 0]
        for week, counts in self.first_solves.items():
            if (only is not None and week != only) or (upto is not None and week > upto):
                continue
            for i in range(3):
                totals[i] += counts[i]
        return totals[0], totals[1], totals[2]

    @property
    def unique_total(self) -> int:
        return sum(self.mix(self.week))

    @property
    def week_new(self) -> int:
        return sum(self.mix(only=self.week))

    def cumulative_by_week(self, weeks: Iterable[int]) -> tuple[int, ...]:
        """Unique problems at the end of each of ``weeks`` (ascending), in one pass."""
        per_week = sorted((w, sum(c)) for w, c in self.first_solves.items())
        out, total, i = [], 0, 0
        for week in weeks:
            while i < len(per_week) and per_week[i][0] <= week:
                total += per_week[i][1]
                i += 1
            out.append(total)
        return tuple(out)

    def pct(self, difficulty: str) -> float | None:
        mix = self.mix(self.week)
        total = sum(mix)
        return None if total == 0 else 100.0 * mix[DIFFS.index(difficulty)] / total

    @property
    def median_minutes(self) -> float | None:
        total = sum(self.minutes_hist.values())
        if total == 0:
            return None
        ordered = sorted(self.minutes_hist.items())

        def nth(n: int) -> int:
            seen = 0
            for minutes, count in ordered:
                seen += count
                if seen > n:
                    return minutes
            return ordered[-1][0]

        if total % 2:
            return float(nth(total // 2))
        return (nth(total // 2 - 1) + nth(total // 2)) / 2

    def points(self, weights: tuple[int, int, int], weeks: tuple[int, int]) -> int:
        mix = [0, 0, 0]
        for week, counts in self.first_solves.items():
            if weeks[0] <= week <= weeks[1]:
                mix = [a + b for a, b in zip(mix, counts, strict=True)]
        return sum(w * n for w, n in zip(weights, mix, strict=True))

    def solves_in(self, weeks: tuple[int, int]) -> int:
        return sum(sum(c) for w, c in self.first_solves.items() if weeks[0] <= w <= weeks[1])

    def study_in(self, weeks: tuple[int, int]) -> int:
        """Study-room seconds in program weeks ``weeks[0]``–``weeks[1]``."""
        return sum(n for w, n in self.study_seconds.items() if weeks[0] <= w <= weeks[1])

    @property
    def blocks_done(self) -> int:
        """Blocks marked done (button or presence) in ``week``."""
        return sum(self.blocks_week.values())

    # -- the rest ----------------------------------------------------------------------
    def streak(self, today: date, rest_days: int) -> Streak:
        return current_streak(self.active_days, today, rest_days)

    def mock_count(self, kind: str | None = None, rating: str | None = None) -> int:
        limit = RANK[rating] if rating else len(RATING_ORDER)
        return sum(
            n for k, r, _, n in self.mocks if (kind is None or k == kind) and RANK[r] <= limit
        )

    def item_total(self, criterion: Criterion, categories: dict[str, str]) -> int:
        """Sum of the logged counts of the items an ``item_count`` criterion counts."""
        counts = self.item_counts
        return sum(counts.get(item, 0) for item in _counted(criterion, categories))

    def done_by_category(self, categories: dict[str, str]) -> Counter[str]:
        """Ticked deliverables per category (computed once per member)."""
        if self._by_category is None:
            self._by_category = Counter(categories.get(i, "") for i in self.done_items)
        return self._by_category

    @property
    def mock_this_week(self) -> bool:
        return any(w == self.week for _, _, w, _ in self.mocks)


_COUNTED: dict[tuple[int, int], tuple[Criterion, dict[str, str], frozenset[str]]] = {}


def _counted(criterion: Criterion, categories: dict[str, str]) -> frozenset[str]:
    """The item ids an ``item_count`` criterion counts: the listed ones and every item of its
    categories (computed once per criterion and category map: the recap asks per member)."""
    key = (id(criterion), id(categories))
    hit = _COUNTED.get(key)
    if hit is None or hit[0] is not criterion or hit[1] is not categories:
        wanted = {c.value for c in criterion.params.categories}
        items = frozenset(criterion.params.items) | {
            i for i, category in categories.items() if category in wanted
        }
        if len(_COUNTED) > 512:  # category maps come and go with each report: stay bounded
            _COUNTED.clear()
        hit = _COUNTED[key] = (criterion, categories, items)
    return hit[2]


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    value: float | None
    ok: bool


@dataclass(frozen=True)
class MilestoneResult:
    milestone: Milestone
    results: tuple[CriterionResult, ...]

    @property
    def passed(self) -> int:
        return sum(r.ok for r in self.results)

    @property
    def reached(self) -> bool:
        return all(r.ok for r in self.results)


class Verdict(StrEnum):
    """One verdict everywhere (/milestones, recaps, the ledger export)."""

    PASSED = "passed"  # its week is over and every criterion held
    MISSED = "missed"  # its week is over and some criterion did not hold
    OPEN = "in progress"  # its week is not over: judged on the numbers so far


VERDICT_ICONS = {Verdict.PASSED: "✅", Verdict.MISSED: "❌", Verdict.OPEN: "⏳"}


def verdict(result: MilestoneResult, *, due: bool) -> Verdict:
    """``due``: the milestone's week has ended, so the result is final."""
    if not due:
        return Verdict.OPEN
    return Verdict.PASSED if result.reached else Verdict.MISSED


def verdict_text(result: MilestoneResult, *, due: bool) -> str:
    """``✅ Passed · 3/3``, ``❌ Missed · 2/3``, ``⏳ In progress · 1/3``."""
    v = verdict(result, due=due)
    return f"{VERDICT_ICONS[v]} {v.value.capitalize()} · {result.passed}/{len(result.results)}"


PERCENT_METRICS = (Metric.MEDIUM_PCT, Metric.HARD_PCT, Metric.BEST_CONTEST_PERCENTILE)
# Plain counts ("7" of "≥ 10"): deliverables ticked, countable items logged.
COUNT_METRICS = (Metric.DELIVERABLES, Metric.DELIVERABLE_DONE, Metric.ITEM_COUNT)


def metric_text(value: float | None, metric: Metric) -> str:
    """A metric's value with its unit: ``14``, ``52 %``, ``13 min``, ``—`` (nothing logged)."""
    if value is None:
        return "—"
    if metric in PERCENT_METRICS:
        return f"{value:.0f} %"
    if metric is Metric.MEDIAN_SOLVE_MINUTES:
        return f"{value:g} min"
    if metric is Metric.ANKI_REVIEW_STREAK:
        return f"{value:g} day" + ("" if value == 1 else "s")
    if metric in COUNT_METRICS:
        return f"{value:.0f}"
    return f"{value:g}"


def need_text(c: Criterion) -> str:
    """The threshold as the roadmap asks it: ``≥ 110``, ``≤ 13 min``, ``≤ 40 %``."""
    op = "≥" if c.op == ">=" else "≤"
    return f"{op} {metric_text(c.threshold, c.metric)}"


def metric_value(c: Criterion, s: MemberStats, categories: dict[str, str]) -> float | None:
    """The member's current value for a criterion's metric (``None`` = nothing logged)."""
    m = c.metric
    if m is Metric.UNIQUE_SOLVES:
        return s.unique_total
    if m is Metric.SOLVE_ENTRIES:
        return s.kind_total.get("solve", 0)
    if m is Metric.MEDIUM_PCT:
        return s.pct("medium")
    if m is Metric.HARD_PCT:
        return s.pct("hard")
    if m is Metric.MEDIAN_SOLVE_MINUTES:
        return s.median_minutes
    if m is Metric.BEST_CONTEST_PERCENTILE:
        return s.best_percentile
    if m is Metric.DELIVERABLES:
        wanted = c.params.category.value if c.params.category else ""
        return s.done_by_category(categories).get(wanted, 0)
    if m is Metric.DELIVERABLE_DONE:
        return 1 if c.params.item in s.done_items else 0
    if m is Metric.ITEM_COUNT:
        return s.item_total(c, categories)
    if m is Metric.MOCKS:
        return s.mock_count(c.params.kind, c.params.rating)
    if m is Metric.ANKI_MATURE_CARDS:
        return s.anki_mature
    if m is Metric.ANKI_CARDS_ADDED:
        return s.anki_added
    if m is Metric.ANKI_REVIEW_STREAK:
        return longest_streak(s.anki_days, rest_days=0).length
    if m is Metric.LEDGER_ENTRIES:
        return s.kind_total.get("ledger", 0)
    raise ValueError(f"unknown metric {m}")  # pragma: no cover - the enum is exhaustive


def evaluate(milestone: Milestone, s: MemberStats, categories: dict[str, str]) -> MilestoneResult:
    results = []
    for c in milestone.criteria:
        value = metric_value(c, s, categories)
        results.append(CriterionResult(c, value, c.met_by(value)))
    return MilestoneResult(milestone, tuple(results))
