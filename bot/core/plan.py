"""``/plan``: a catch-up plan for the rest of the week when a member is behind (pure).

The gap is how many unique problems the member is short of the roadmap's pace at the end of
this week (``bot.core.progress.target_pace``). The plan fills the week's remaining blocks
with specific roadmap problems — this week's unsolved ones in their own block where it is
still ahead, then earlier weeks' oldest first — and, when those run out, open slots ("any new
problem of this week's pattern"). It respects:

* **time**: each problem takes the member's median minutes for its difficulty (a default
  when they have fewer than three timed solves); a block whose tasks are all LeetCode
  problems gives its whole time (90 min on weekdays, the weekend session's 180), any other
  block half of it (the rest is for its own tasks), and a block already running only what is
  left of that;
* **rest days**: the cohort's rest days per week that the member has not used yet this week
  (days without a log) are kept free, on the remaining days with the fewest roadmap problems;
* **load**: the week never holds more new problems than the roadmap's own weekly load
  (the larger of its pace gain this week, the recap template's weekly count and the week's
  named problems) plus 50 %, counting what was already solved this week.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.calendar import InProgram, local_date
from bot.core.catchup import Plan, PlanItem
from bot.core.history import History
from bot.core.progress import target_pace, target_points
from bot.core.roadmap import (
    block_of,
    day_problems,
    planned_minutes,
    problem_slots,
    roadmap_problems,
    typical_minutes,
    week_problems,
)
from bot.core.schedule import slots_on
from curriculum.loader import Curriculum
from curriculum.schema import WEEKDAYS

EXTRA_LOAD = 0.5  # a week may hold its roadmap load + 50 %
BLOCK_SLOTS = ("block_a", "block_b", "session")


@dataclass(frozen=True)
class PlanResult:
    plan: Plan | None
    week: int | None
    gap: int  # problems short of the roadmap's pace at the end of the week (≤ 0: on track)
    load: int  # the roadmap's own load this week
    room: int  # new problems the week may still take (load + 50 % minus this week's so far)
    pace: int  # the roadmap's pace at the end of the week, rounded up
    note: str  # why there is no plan, or how much of the gap it closes


@dataclass
class _Block:
    day: date
    slot: str
    start: datetime
    minutes: int  # what is left of it
    used: int = 0


def weekly_load(curriculum: Curriculum, week: int) -> int:
    """The roadmap's own load in new problems for ``week``."""
    points = target_points(curriculum.targets)
    gain = target_pace(points, week) - target_pace(points, week - 1)
    return max(
        math.ceil(gain - 1e-9),
        curriculum.targets.weekly_recap_solves,
        len(week_problems(curriculum, week)),
    )


def build_plan(
    curriculum: Curriculum,
    history: History,
    now: datetime,
    zone: ZoneInfo,
    *,
    unique_now: int,
    week_new: int,
    rest_days: int,
) -> PlanResult:
    """The catch-up plan for the rest of the member's current week (``None`` with a note
    when none is needed or possible)."""
    calendar = history.calendar
    today = local_date(now, zone)
    pos = calendar.position(today)
    if not isinstance(pos, InProgram):
        return PlanResult(None, None, 0, 0, 0, 0, "There's no program week running today.")
    week = pos.week
    points = target_points(curriculum.targets)
    pace = math.ceil(target_pace(points, week) - 1e-9)
    gap = pace - unique_now
    load = weekly_load(curriculum, week)
    room = math.floor(load * (1 + EXTRA_LOAD)) - week_new
    if gap <= 0:
        note = f"You're on pace: {unique_now} unique problems, the roadmap asks {pace} by Sunday."
        return PlanResult(None, week, gap, load, room, pace, note)
    if room <= 0:
        note = (
            f"You've already solved {week_new} new problems this week — the roadmap's load "
            f"plus 50 % — so this week's plan is rest; the gap carries to next week."
        )
        return PlanResult(None, week, gap, load, room, pace, note)
    sunday = calendar.date_of(week, "sun")
    days = [today + timedelta(days=i) for i in range((sunday - today).days + 1)]
    rest = _rest_days(curriculum, history, week, today, days, rest_days)
    blocks = _blocks(curriculum, history, [d for d in days if d not in rest], now)
    if not blocks:
        note = "No blocks are left this week — `/plan` again on Monday for next week."
        return PlanResult(None, week, gap, load, room, pace, note)
    typical = typical_minutes(history.solves)
    want = min(gap, room)
    items = _place(curriculum, history, week, blocks, typical, want)
    if not items:
        note = "Nothing fits the blocks left this week — `/plan` again on Monday."
        return PlanResult(None, week, gap, load, room, pace, note)
    items.sort(key=lambda it: (it.day, BLOCK_SLOTS.index(it.slot)))
    plan = Plan(week, today, sunday, tuple(items), tuple(sorted(rest)))
    if len(items) >= gap:
        note = f"It closes your whole {gap}-problem gap to the roadmap's pace ({pace} by Sunday)."
    else:
        why = "the week's load + 50 %" if len(items) >= room else "the time left in your blocks"
        note = (
            f"It closes {len(items)} of your {gap}-problem gap ({pace} by Sunday) — "
            f"{why} allows no more; the rest carries to next week."
        )
    return PlanResult(plan, week, gap, load, room, pace, note)


def _rest_days(
    curriculum: Curriculum,
    history: History,
    week: int,
    today: date,
    days: Sequence[date],
    rest_days: int,
) -> set[date]:
    """The cohort's rest days this week the member has not used yet, on the lightest days
    after today (fewest roadmap problems, then the latest)."""
    monday = history.calendar.date_of(week, "mon")
    missed = sum(
        1
        for i in range((today - monday).days)
        if monday + timedelta(days=i) not in history.active_days
    )
    left = max(0, rest_days - missed)
    later = [d for d in days if d > today]
    weekday = {d: f"{d:%a}".lower() for d in later}
    later.sort(key=lambda d: (len(day_problems(curriculum, week, weekday[d])), -d.toordinal()))
    return set(later[:left])


def _blocks(
    curriculum: Curriculum, history: History, days: Sequence[date], now: datetime
) -> list[_Block]:
    """The blocks still ahead on ``days`` (a running one with what is left of it)."""
    out = []
    for day in days:
        for due in slots_on(history.calendar, curriculum, history.times, day):
            if due.slot not in BLOCK_SLOTS:
                continue
            block = block_of(curriculum, due.week, due.weekday, due.slot)
            if block is None:
                continue
            end = due.due_at + timedelta(minutes=block.minutes)
            share = block.minutes if all(t.problems for t in block.tasks) else block.minutes // 2
            left = min(share, int((end - max(now, due.due_at)).total_seconds() // 60))
            if left > 0:
                out.append(_Block(day, due.slot, due.due_at, left))
    return out


def _place(
    curriculum: Curriculum,
    history: History,
    week: int,
    blocks: list[_Block],
    typical: dict[str, float | None],
    want: int,
) -> list[PlanItem]:
    solved = history.solved
    own = problem_slots(curriculum, week)
    monday = history.calendar.date_of(week, "mon")
    this_week = [p for p in week_problems(curriculum, week) if str(p) not in solved]
    earlier = [
        p
        for p in roadmap_problems(curriculum, week - 1)
        if str(p) not in solved and p not in this_week
    ]
    items: list[PlanItem] = []

    def put(key: str | None, difficulty: str, pattern: str | None, home: _Block | None) -> bool:
        minutes = planned_minutes(difficulty, typical)
        order = ([home] if home is not None else []) + blocks
        for block in order:
            if block.used + minutes <= block.minutes:
                block.used += minutes
                items.append(PlanItem(block.day, block.slot, key, difficulty, minutes, pattern))
                return True
        return False

    for number in [*this_week, *earlier]:
        if len(items) >= want:
            return items
        problem = curriculum.problems[number]
        home = None
        if number in own:
            weekday, slot = own[number]
            day = monday + timedelta(days=WEEKDAYS.index(weekday))
            home = next((b for b in blocks if b.day == day and b.slot == slot), None)
        put(str(number), problem.difficulty.value, problem.pattern, home)
    patterns = curriculum.week(week).patterns
    pattern = " / ".join(patterns) if patterns else None
    while len(items) < want and put(None, "medium", pattern, None):
        pass
    return items


# -- storage ---------------------------------------------------------------------------------
def plan_to_json(plan: Plan) -> dict[str, Any]:
    return {
        "items": [
            {
                "day": it.day.isoformat(),
                "slot": it.slot,
                "key": it.key,
                "difficulty": it.difficulty,
                "minutes": it.minutes,
                "pattern": it.pattern,
            }
            for it in plan.items
        ],
        "rest": [d.isoformat() for d in plan.rest_days],
    }


def plan_from_json(data: Any, week: int, starts_on: date, ends_on: date) -> Plan:
    body = data if isinstance(data, dict) else {}
    items = tuple(
        PlanItem(
            date.fromisoformat(str(it["day"])),
            str(it["slot"]),
            None if it.get("key") is None else str(it["key"]),
            str(it.get("difficulty") or "medium"),
            int(it.get("minutes") or 0),
            None if it.get("pattern") is None else str(it["pattern"]),
        )
        for it in body.get("items", [])
    )
    rest = tuple(date.fromisoformat(str(d)) for d in body.get("rest", []))
    return Plan(week, starts_on, ends_on, items, rest)
