from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.core.streaks import current_streak, longest_streak

MON = date(2027, 2, 1)


def days(*offsets: int) -> list[date]:
    return [MON + timedelta(days=o) for o in offsets]


def test_no_logs_no_streak() -> None:
    assert current_streak([], MON).length == 0


def test_today_unlogged_does_not_break() -> None:
    assert current_streak(days(0, 1, 2), MON + timedelta(days=3)).length == 3


def test_one_rest_day_a_week_keeps_the_streak() -> None:
    logged = days(0, 1, 3, 4, 5)  # Wed off
    assert current_streak(logged, MON + timedelta(days=5)).length == 6
    assert current_streak(logged, MON + timedelta(days=5), rest_days=0).length == 3


def test_second_rest_day_in_a_week_breaks() -> None:
    logged = days(0, 2, 4, 5)  # Tue and Thu off: the streak is Wed–Sat
    assert current_streak(logged, MON + timedelta(days=5)).length == 4


def test_rest_days_reset_each_iso_week() -> None:
    logged = days(0, 1, 3, 4, 5, 6, 7, 9, 10)  # Wed off in week 1, Wed off in week 2
    assert current_streak(logged, MON + timedelta(days=10)).length == 11


def test_two_missed_days_end_it() -> None:
    assert current_streak(days(0, 1), MON + timedelta(days=4)).length == 0


def test_longest_streak() -> None:
    logged = days(0, 1, 2, 10, 11, 12, 13, 14)
    assert longest_streak(logged, 0).length == 5
    assert longest_streak(days(0, 2, 4), 0).length == 1


@given(st.sets(st.integers(0, 60), max_size=40), st.integers(0, 2))
def test_current_never_exceeds_longest(offsets: set[int], rest: int) -> None:
    logged = days(*offsets)
    today = MON + timedelta(days=61)
    cur = current_streak(logged, today, rest)
    best = longest_streak(logged, rest)
    assert cur.length <= best.length
    if cur.length:
        assert cur.start in logged and cur.end in logged


@given(st.sets(st.integers(0, 90), max_size=60))
def test_fast_consecutive_run_matches_the_general_rule(offsets: set[int]) -> None:
    from bot.core import streaks

    logged = days(*offsets)
    fast = longest_streak(logged, rest_days=0)
    slow = max(
        (streaks._back_from(set(logged), end, 0, None) for end in logged),
        key=lambda s: s.length,
        default=streaks.Streak(0, None, None),
    )
    assert fast.length == slow.length
