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
from datetime import date


@dataclass(frozen=True)
class Streak:
    length: int  # calendar days, 0 when there is no streak
    start: date | None
    end: date | None  # the last logged day of the streak


def _back_from(active: set[date], day: date, rest_days: int, skip_today: date | None) -> Streak:
    """Walk back from ``day`` while misses fit each ISO week's rest days.

    Works on day numbers: ``(ordinal - 1) // 7`` numbers Monday-to-Sunday weeks
    (day 1, 1 Jan of year 1, was a Monday), so no calendar maths runs in the loop.
    """
    days = {d.toordinal() for d in active}
    skip = skip_today.toordinal() if skip_today else None
    used: dict[int, int] = {}
    first = last = None
    n = day.toordinal()
    earliest = min(days)
    while n >= earliest:
        if n in days:
            first = n
            last = last or n
        elif n != skip:
            week = (n - 1) // 7
            used[week] = used.get(week, 0) + 1
            if used[week] > rest_days:
                break
        n -= 1
    if first is None or last is None:
        return Streak(0, None, None)
    return Streak(last - first + 1, date.fromordinal(first), date.fromordinal(last))


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
    """Consecutive days only: one linear pass over day numbers."""
    if not ordered:
        return Streak(0, None, None)
    days = [d.toordinal() for d in ordered]
    best_len, best_end, start = 1, 0, 0
    for i in range(1, len(days)):
        if days[i] - days[i - 1] != 1:
            start = i
        if i - start + 1 > best_len:
            best_len, best_end = i - start + 1, i
    return Streak(best_len, ordered[best_end - best_len + 1], ordered[best_end])
