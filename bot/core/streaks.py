"""Streaks: consecutive local days with at least one log, allowing rest days.

A day counts when the member logged anything dated that local day. Each ISO week
(Monday–Sunday) a streak survives up to ``rest_days`` days without a log; a further
missed day ends it. A streak's length is the number of calendar days from its first to
its last logged day (the rest days inside it count, as in any streak app with freezes).
Today never breaks a streak: it is still in progress.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Streak:
    length: int  # calendar days, 0 when there is no streak
    start: date | None
    end: date | None  # the last logged day of the streak


def _week(day: date) -> tuple[int, int]:
    iso = day.isocalendar()
    return iso.year, iso.week


def _back_from(active: set[date], day: date, rest_days: int, skip_today: date | None) -> Streak:
    """Walk back from ``day`` while misses fit each ISO week's rest days."""
    used: dict[tuple[int, int], int] = {}
    first: date | None = None
    last: date | None = None
    earliest = min(active)
    while day >= earliest:
        if day in active:
            first = day
            last = last or day
        elif day != skip_today:
            key = _week(day)
            used[key] = used.get(key, 0) + 1
            if used[key] > rest_days:
                break
        day -= timedelta(days=1)
    if first is None or last is None:
        return Streak(0, None, None)
    return Streak((last - first).days + 1, first, last)


def current_streak(days: Iterable[date], today: date, rest_days: int = 1) -> Streak:
    """The streak that is still alive on ``today``."""
    active = set(days)
    if not active:
        return Streak(0, None, None)
    return _back_from(active, today, rest_days, skip_today=today)


def longest_streak(days: Iterable[date], rest_days: int = 1) -> Streak:
    """The longest streak ever (``rest_days=0`` gives plain consecutive days).

    The best streak ending on each logged day, walking back (the same rule as the
    current streak), so where rest days fall never depends on where a scan started.
    """
    active = set(days)
    if rest_days == 0:
        return _longest_run(sorted(active))
    best = Streak(0, None, None)
    for end in sorted(active):
        found = _back_from(active, end, rest_days, skip_today=None)
        if found.length > best.length:
            best = found
    return best


def _longest_run(ordered: list[date]) -> Streak:
    """Consecutive days only: one linear pass."""
    best = Streak(0, None, None)
    start = prev = None
    for day in ordered:
        if prev is None or day - prev != timedelta(days=1):
            start = day
        prev = day
        assert start is not None
        length = (day - start).days + 1
        if length > best.length:
            best = Streak(length, start, day)
    return best
