"""Pace forecast: will a member make a milestone by its deadline? (pure)

Method, the same everywhere (``/milestones``, ``/recap``, the channel recap, ``/progress``):

* **Window** (:mod:`bot.core.forecast_window`). The rate is what the member added since the
  end of program week ``w − 2`` (``w`` the current week), per program day: the last 14 days
  at the weekly recap, 8 to 14 days mid-week. Paused days count neither in the window nor in
  the days left.
* **Counts** (unique problems, solve entries, mocks, ledger lines, Anki cards added, mature
  Anki cards): projected = now + rate × program days left to the deadline (the Sunday of the
  milestone's week); required = what is missing ÷ days left.
* **Shares** (medium %, hard %): each difficulty's count projected the same way, then the
  share of the projected total.
* **As it stands** (median solve time, best contest percentile): projected = the current
  value; it can still change until the deadline.
* **Anki review streak**: the current run of daily reviews, kept up every day left.
* **Deliverables**: those the roadmap still schedules by the deadline are assumed done on
  time; overdue ones must be caught up.

Verdicts: **on track** when the projection meets the threshold (or it is already met),
**at risk** when the pace covers at least half of what is missing (or overdue deliverables
close the gap, or an "as it stands" value can still change), **off track** otherwise.
A milestone's verdict is its worst criterion's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.core.calendar import CohortCalendar
from bot.core.forecast_window import Window, program_days
from bot.core.stats import MemberStats, MilestoneResult, metric_value
from curriculum.loader import Curriculum
from curriculum.target_schema import Criterion, Metric, Milestone

AT_RISK_SHARE = 0.5  # the pace covers at least this share of what is missing


class Outlook(StrEnum):
    ON_TRACK = "on track"
    AT_RISK = "at risk"
    OFF_TRACK = "off track"


OUTLOOK_ICONS = {Outlook.ON_TRACK: "🟢", Outlook.AT_RISK: "🟡", Outlook.OFF_TRACK: "🔴"}
_ORDER = (Outlook.ON_TRACK, Outlook.AT_RISK, Outlook.OFF_TRACK)


class Method(StrEnum):
    RATE = "rate"
    SHARE = "share"
    STANDING = "as it stands"
    STREAK = "streak"
    SCHEDULE = "schedule"


RATE_METRICS = (
    Metric.UNIQUE_SOLVES,
    Metric.SOLVE_ENTRIES,
    Metric.MOCKS,
    Metric.LEDGER_ENTRIES,
    Metric.ANKI_CARDS_ADDED,
    Metric.ANKI_MATURE_CARDS,
)
SHARE_METRICS = {Metric.MEDIUM_PCT: 1, Metric.HARD_PCT: 2}  # → index in DIFFS
SCHEDULE_METRICS = (Metric.DELIVERABLES, Metric.DELIVERABLE_DONE, Metric.ITEM_COUNT)


def method_of(metric: Metric) -> Method:
    if metric in RATE_METRICS:
        return Method.RATE
    if metric in SHARE_METRICS:
        return Method.SHARE
    if metric in SCHEDULE_METRICS:
        return Method.SCHEDULE
    if metric is Metric.ANKI_REVIEW_STREAK:
        return Method.STREAK
    return Method.STANDING


def worst(outlooks: Sequence[Outlook]) -> Outlook:
    return max(outlooks, key=_ORDER.index, default=Outlook.ON_TRACK)


# -- forecasts -------------------------------------------------------------------------------
@dataclass(frozen=True)
class CriterionForecast:
    criterion: Criterion
    method: Method
    current: float | None
    projected: float | None
    rate: float | None  # per program day over the window (counts and shares)
    required: float | None  # per program day from today to meet it (counts)
    met: bool
    outlook: Outlook
    overdue: int = 0  # deliverables past their week, not done

    @property
    def per_week(self) -> tuple[float | None, float | None]:
        """(rate, required) per 7 program days."""
        return (
            None if self.rate is None else self.rate * 7,
            None if self.required is None else self.required * 7,
        )


@dataclass(frozen=True)
class MilestoneForecast:
    milestone: Milestone
    window: Window
    criteria: tuple[CriterionForecast, ...]

    @property
    def outlook(self) -> Outlook:
        return worst([c.outlook for c in self.criteria])

    @property
    def met(self) -> int:
        return sum(c.met for c in self.criteria)


def _judge(c: Criterion, current: float, projected: float) -> Outlook:
    """On track when ``projected`` meets it; at risk when it covers half the gap."""
    if c.met_by(projected):
        return Outlook.ON_TRACK
    gap = c.threshold - current if c.op == ">=" else current - c.threshold
    gained = projected - current if c.op == ">=" else current - projected
    return Outlook.AT_RISK if gap > 0 and gained >= AT_RISK_SHARE * gap else Outlook.OFF_TRACK


def forecast_criterion(
    c: Criterion,
    now: MemberStats,
    past: MemberStats,
    win: Window,
    *,
    curriculum: Curriculum,
    categories: dict[str, str],
    current: float | None = None,
    known: bool = False,
) -> CriterionForecast:
    """``known``: ``current`` is already the member's value (an evaluation of the same
    stats, e.g. the recap's), so it is not computed again."""
    method = method_of(c.metric)
    if not known:
        current = metric_value(c, now, categories)
    met = c.met_by(current)
    left, done = win.days_left, win.days_done

    def result(
        projected: float | None,
        outlook: Outlook,
        rate: float | None = None,
        required: float | None = None,
        overdue: int = 0,
    ) -> CriterionForecast:
        if met:
            outlook = Outlook.ON_TRACK
        return CriterionForecast(
            c, method, current, projected, rate, required, met, outlook, overdue
        )

    if method is Method.RATE:
        value = current or 0.0
        before = metric_value(c, past, categories) or 0.0
        rate = max(0.0, value - before) / done if done else 0.0
        projected = value + rate * left
        required = max(0.0, c.threshold - value) / left if left else None
        return result(projected, _judge(c, value, projected), rate, required)
    if method is Method.SHARE:
        idx = SHARE_METRICS[c.metric]
        mix_now, mix_then = now.mix(now.week), past.mix(past.week)
        rates = [
            max(0, a - b) / done if done else 0.0 for a, b in zip(mix_now, mix_then, strict=True)
        ]
        counts = [n + r * left for n, r in zip(mix_now, rates, strict=True)]
        total = sum(counts)
        share = 100.0 * counts[idx] / total if total else None
        share_rate = 100.0 * rates[idx] / sum(rates) if sum(rates) else None
        if share is None or current is None:
            return result(share, Outlook.AT_RISK if left else Outlook.OFF_TRACK, share_rate)
        return result(share, _judge(c, current, share), share_rate)
    if method is Method.STANDING:
        outlook = Outlook.AT_RISK if left else Outlook.OFF_TRACK
        return result(current, outlook)
    if method is Method.STREAK:
        run = _current_run(now.anki_days, win.today)
        projected = max(current or 0.0, float(run + left))
        if run and run + left >= c.threshold:
            outlook = Outlook.ON_TRACK
        elif left >= c.threshold or projected >= c.threshold:
            outlook = Outlook.AT_RISK
        else:
            outlook = Outlook.OFF_TRACK
        return result(projected, outlook)
    # Deliverables: the roadmap's schedule.
    value = current or 0.0
    scheduled = overdue = 0
    deliverables = curriculum.deliverables
    for item in curriculum.items_counted_by(c):
        week, d = deliverables[item]
        goal = (curriculum.count_goal(item) or 1) if d.countable else 1
        missing = max(0, goal - now.item_counts.get(item, 0))
        if week >= win.week:
            scheduled += missing
        else:
            overdue += missing
    projected = value + scheduled
    if c.met_by(projected):
        outlook = Outlook.ON_TRACK
    elif c.met_by(projected + overdue):
        outlook = Outlook.AT_RISK
    else:
        outlook = Outlook.OFF_TRACK
    return result(projected, outlook, overdue=overdue)


def _current_run(days: Sequence[date], today: date) -> int:
    """Consecutive days up to today (or yesterday: today is still open)."""
    have = set(days)
    day = today if today in have else today - timedelta(days=1)
    n = 0
    while day in have:
        n += 1
        day -= timedelta(days=1)
    return n


def forecast_milestone(
    milestone: Milestone,
    now: MemberStats,
    past: MemberStats,
    win: Window,
    *,
    curriculum: Curriculum,
    categories: dict[str, str],
    evaluated: MilestoneResult | None = None,
) -> MilestoneForecast:
    """``evaluated``: the milestone already evaluated on ``now`` (its current values are
    reused instead of computed again — a recap or a board evaluates it anyway)."""
    values: list[tuple[float | None, bool]] = [(None, False)] * len(milestone.criteria)
    if evaluated is not None and evaluated.milestone is milestone:
        values = [(r.value, True) for r in evaluated.results]
    return MilestoneForecast(
        milestone,
        win,
        tuple(
            forecast_criterion(
                c,
                now,
                past,
                win,
                curriculum=curriculum,
                categories=categories,
                current=value,
                known=known,
            )
            for c, (value, known) in zip(milestone.criteria, values, strict=True)
        ),
    )


def upcoming(curriculum: Curriculum, week: int, *, include_current: bool) -> list[Milestone]:
    """Milestones still ahead of program ``week`` (its own too while it runs)."""
    return [
        m
        for m in curriculum.targets.milestones
        if m.week > week or (include_current and m.week == week)
    ]


def solve_projection(
    now: MemberStats, past: MemberStats, win: Window, calendar: CohortCalendar
) -> dict[int, float]:
    """Projected unique problems at the end of each week from ``win.week`` on (for charts)."""
    value = float(now.unique_total)
    done = win.days_done
    rate = max(0.0, value - past.unique_total) / done if done else 0.0
    out = {}
    for w in range(win.week, calendar.weeks + 1):
        end = calendar.date_of(w, "sun")
        out[w] = value + rate * program_days(calendar, win.today, end)
    return out
