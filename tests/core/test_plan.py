"""``build_plan``: the catch-up plan for the rest of the week, exactly, for members behind, on
track, in a paused cohort, in week 16 and slow ones; never more than the week's load + 50 %."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

import pytest

from bot.core.calendar import Pause
from bot.core.history import History
from bot.core.plan import PlanResult, build_plan, plan_from_json, plan_to_json, weekly_load
from bot.core.roadmap import SolveRecord
from curriculum.loader import Curriculum
from tests.core.test_coach_next import TIMES, ZONE, calendar, solves

WED = datetime(2027, 2, 3, 12, tzinfo=UTC)  # Wed of week 5, 13:00 in Berlin (after Block-A)
MON, TUE = date(2027, 2, 1), date(2027, 2, 2)


def items(result: PlanResult) -> list[tuple[str, str, str | None, str, int]]:
    plan = result.plan
    assert plan is not None
    return [(i.day.isoformat(), i.slot, i.key, i.difficulty, i.minutes) for i in plan.items]


def test_the_roadmap_load_per_week(curriculum: Curriculum) -> None:
    # the recap template's 12, the pace gain where it is larger (week 8: 65 → 110)
    assert [weekly_load(curriculum, w) for w in range(1, 17)] == [
        *[12] * 5,
        *[16, 25, 45, 30, 25, 25, 30],
        *[20] * 4,
    ]


def test_far_behind_gets_this_weeks_problems_then_the_oldest(curriculum: Curriculum) -> None:
    history = History(calendar(curriculum), TIMES, active_days=frozenset({MON}))  # Tue missed

    result = build_plan(curriculum, history, WED, ZONE, unique_now=0, week_new=0, rest_days=1)

    assert (result.gap, result.load, result.room, result.pace) == (24, 12, 18, 24)
    assert result.plan is not None and result.plan.rest_days == ()  # Tuesday was the rest day
    assert items(result) == [
        ("2027-02-03", "block_b", "217", "easy", 20),  # Tue's problems: their block is past
        ("2027-02-03", "block_b", "242", "easy", 20),
        ("2027-02-04", "block_a", "347", "medium", 35),
        ("2027-02-04", "block_b", "49", "medium", 35),
        ("2027-02-05", "block_a", "9", "easy", 20),  # then week 1's, oldest first
        ("2027-02-05", "block_a", "13", "easy", 20),
        ("2027-02-05", "block_b", "14", "easy", 20),
        ("2027-02-05", "block_b", "283", "easy", 20),
        ("2027-02-06", "session", "1", "easy", 20),  # in its own block (Saturday's drill)
        ("2027-02-06", "session", "36", "medium", 35),
        ("2027-02-06", "session", "344", "easy", 20),
        ("2027-02-07", "session", "295", "hard", 50),
        ("2027-02-07", "session", "560", "medium", 35),
    ]
    assert result.note == (
        "It closes 13 of your 24-problem gap (24 by Sunday) — the time left in your blocks "
        "allows no more; the rest carries to next week."
    )


def test_unused_rest_days_stay_free(curriculum: Curriculum) -> None:
    history = History(calendar(curriculum), TIMES, active_days=frozenset({MON, TUE}))

    result = build_plan(curriculum, history, WED, ZONE, unique_now=0, week_new=0, rest_days=2)

    assert result.plan is not None
    # Thu, Fri and Sun name no problem: the latest two of them rest
    assert result.plan.rest_days == (date(2027, 2, 5), date(2027, 2, 7))
    assert items(result) == [
        ("2027-02-03", "block_b", "217", "easy", 20),
        ("2027-02-03", "block_b", "242", "easy", 20),
        ("2027-02-04", "block_a", "347", "medium", 35),
        ("2027-02-04", "block_b", "49", "medium", 35),
        ("2027-02-06", "session", "1", "easy", 20),
        ("2027-02-06", "session", "36", "medium", 35),
        ("2027-02-06", "session", "9", "easy", 20),
    ]


def test_a_slow_member_gets_fewer_problems_sized_to_their_minutes(curriculum: Curriculum) -> None:
    slow = tuple(
        SolveRecord(str(n), date(2027, 1, 10), 60, "easy", "unguided") for n in (9, 13, 14)
    ) + tuple(
        SolveRecord(str(n), date(2027, 1, 10), 80, "medium", "unguided") for n in (283, 344, 560)
    )
    history = History(calendar(curriculum), TIMES, slow, active_days=frozenset({MON, TUE}))

    result = build_plan(curriculum, history, WED, ZONE, unique_now=6, week_new=0, rest_days=1)

    assert items(result) == [("2027-02-06", "session", "217", "easy", 60)]
    assert result.plan is not None and result.plan.rest_days == (date(2027, 2, 7),)


@pytest.mark.parametrize("week_new", range(0, 20))
def test_never_more_than_the_weekly_load_and_a_half(curriculum: Curriculum, week_new: int) -> None:
    history = History(calendar(curriculum), TIMES, active_days=frozenset({MON, TUE}))

    result = build_plan(
        curriculum, history, WED, ZONE, unique_now=0, week_new=week_new, rest_days=0
    )

    planned = len(result.plan.items) if result.plan else 0
    assert planned + week_new <= max(week_new, math.floor(12 * 1.5))
    assert planned == min(max(0, 18 - week_new), 13)  # 13: what the blocks left can hold
    if week_new >= 18:
        assert result.plan is None and "load plus 50 %" in result.note


def test_on_track_needs_no_plan(curriculum: Curriculum) -> None:
    history = History(calendar(curriculum), TIMES, solves(curriculum, range(1, 6)))

    result = build_plan(curriculum, history, WED, ZONE, unique_now=30, week_new=3, rest_days=1)

    assert result.plan is None
    assert result.note == "You're on pace: 30 unique problems, the roadmap asks 24 by Sunday."


def test_a_paused_cohort_gets_no_plan(curriculum: Curriculum) -> None:
    paused = calendar(curriculum, [Pause(date(2027, 2, 8), date(2027, 2, 14))])
    history = History(paused, TIMES)

    result = build_plan(
        curriculum,
        history,
        datetime(2027, 2, 10, 12, tzinfo=UTC),
        ZONE,
        unique_now=0,
        week_new=0,
        rest_days=1,
    )

    assert result.plan is None and result.note == "There's no program week running today."


def test_week_16_fills_with_old_gaps_then_open_slots(curriculum: Curriculum) -> None:
    done = tuple(s for s in solves(curriculum, range(1, 13)) if s.problem_key not in ("695", "994"))
    week = frozenset({date(2027, 4, 19), date(2027, 4, 20), date(2027, 4, 21)})
    history = History(calendar(curriculum), TIMES, done, active_days=week)
    thursday = datetime(2027, 4, 22, 5, tzinfo=UTC)  # 07:00 in Berlin

    result = build_plan(
        curriculum, history, thursday, ZONE, unique_now=250, week_new=2, rest_days=1
    )

    assert (result.gap, result.load, result.room) == (50, 20, 28)
    assert result.plan is not None and result.plan.rest_days == (date(2027, 4, 25),)
    got = items(result)
    assert got[:3] == [
        ("2027-04-22", "block_a", "994", "medium", 20),
        ("2027-04-22", "block_a", "695", "medium", 20),
        ("2027-04-22", "block_b", None, "medium", 20),  # any new medium problem
    ]
    assert len(got) == 12 and all(key is None for _, _, key, _, _ in got[2:])
    assert all(i.pattern is None for i in result.plan.items[2:])  # week 16 names no pattern


def test_a_plan_survives_its_json(curriculum: Curriculum) -> None:
    history = History(calendar(curriculum), TIMES, active_days=frozenset({MON}))
    result = build_plan(curriculum, history, WED, ZONE, unique_now=0, week_new=0, rest_days=1)
    assert result.plan is not None

    stored = plan_to_json(result.plan)

    assert plan_from_json(stored, 5, result.plan.starts_on, result.plan.ends_on) == result.plan
