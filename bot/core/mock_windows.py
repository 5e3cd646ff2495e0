"""Weekly availability windows for peer mocks, and where two members' windows overlap.

A member picks a few windows ("weekday evenings", "Saturday morning") in *their own* zone.
Two members in different zones can only meet when the windows fall at the same instant, so
every comparison happens on concrete instants in UTC: each window is laid on the actual
local dates of the week in question and converted with that date's UTC offset. A window at
19:00 Berlin is 18:00 UTC in winter and 17:00 UTC in summer, and in the weeks when Europe and
North America change clocks on different Sundays the Berlin–New York gap is five hours
instead of six: laying windows on real dates gets all of this right without special cases.

Pure: no clock, database or Discord; ``start``/``end`` instants are passed in (aware UTC).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WORKDAYS = WEEKDAYS[:5]
SESSION_MINUTES = 60  # a mock (45 min) plus feedback (15 min)
MAX_WINDOWS = 25  # a select menu's limit


@dataclass(frozen=True)
class Window:
    """A weekly window in the member's local time: ``days`` at ``start``–``end`` minutes."""

    id: str
    label: str
    days: tuple[str, ...]
    start: int  # minutes after local midnight
    end: int  # minutes after local midnight; 1440 = midnight at the end of the day

    @property
    def hours(self) -> str:
        return f"{_hhmm(self.start)}–{_hhmm(self.end)}"


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _w(ident: str, label: str, days: tuple[str, ...], start: str, end: str) -> Window:
    def mins(text: str) -> int:
        hours, minutes = text.split(":")
        return int(hours) * 60 + int(minutes)

    return Window(ident, label, days, mins(start), mins(end))


WINDOWS: tuple[Window, ...] = (
    _w("wd-early", "Weekday early mornings", WORKDAYS, "06:00", "08:00"),
    _w("wd-morning", "Weekday mornings", WORKDAYS, "08:00", "10:00"),
    _w("wd-lunch", "Weekday lunchtimes", WORKDAYS, "12:00", "14:00"),
    _w("wd-afternoon", "Weekday afternoons", WORKDAYS, "15:00", "17:00"),
    _w("wd-evening", "Weekday evenings", WORKDAYS, "18:00", "20:00"),
    _w("wd-late", "Weekday late evenings", WORKDAYS, "20:00", "22:00"),
    _w("wd-night", "Weekday nights", WORKDAYS, "22:00", "24:00"),
    _w("sat-morning", "Saturday morning", ("sat",), "09:00", "12:00"),
    _w("sat-afternoon", "Saturday afternoon", ("sat",), "13:00", "17:00"),
    _w("sat-evening", "Saturday evening", ("sat",), "18:00", "21:00"),
    _w("sun-morning", "Sunday morning", ("sun",), "09:00", "12:00"),
    _w("sun-afternoon", "Sunday afternoon", ("sun",), "13:00", "17:00"),
    _w("sun-evening", "Sunday evening", ("sun",), "18:00", "21:00"),
)
BY_ID = {w.id: w for w in WINDOWS}


def window_label(window: Window) -> str:
    """``Weekday evenings · Mon–Fri 18:00–20:00`` (fits a select option's 100 characters)."""
    days = "Mon–Fri" if window.days == WORKDAYS else window.days[0].capitalize()
    return f"{window.label} · {days} {window.hours}"


def known_windows(ids: Iterable[str]) -> list[Window]:
    """The windows among ``ids`` (unknown ids are dropped), in catalogue order."""
    wanted = set(ids)
    return [w for w in WINDOWS if w.id in wanted]


@dataclass(frozen=True, order=True)
class Interval:
    """A stretch of time between two aware UTC instants (start inclusive, end exclusive)."""

    start: datetime
    end: datetime

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


def _instant(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    """Local ``day`` at ``minutes`` after midnight (1440: the next midnight), in UTC."""
    day = day + timedelta(days=minutes // 1440)
    minutes %= 1440
    local = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=zone)
    return local.astimezone(UTC)


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, with touching or overlapping intervals joined."""
    out: list[Interval] = []
    for iv in sorted(intervals):
        if out and iv.start <= out[-1].end:
            if iv.end > out[-1].end:
                out[-1] = Interval(out[-1].start, iv.end)
        else:
            out.append(iv)
    return out


def free_times(
    window_ids: Iterable[str], zone: ZoneInfo, start: datetime, end: datetime
) -> list[Interval]:
    """A member's windows laid on the real local dates between ``start`` and ``end`` (UTC)."""
    windows = known_windows(window_ids)
    first = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date()
    out = []
    day = first
    while day <= last:
        key = WEEKDAYS[day.weekday()]
        for w in windows:
            if key not in w.days:
                continue
            a, b = max(_instant(day, w.start, zone), start), min(_instant(day, w.end, zone), end)
            if b > a:
                out.append(Interval(a, b))
        day += timedelta(days=1)
    return merge(out)


def overlap(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """Where two sorted, merged interval lists are both free."""
    out = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i].start, b[j].start), min(a[i].end, b[j].end)
        if end > start:
            out.append(Interval(start, end))
        if a[i].end <= b[j].end:
            i += 1
        else:
            j += 1
    return out


def fits_session(intervals: Iterable[Interval], minutes: int = SESSION_MINUTES) -> bool:
    """Whether one of ``intervals`` holds a whole session."""
    return any(iv.minutes >= minutes for iv in intervals)


def session_starts(
    intervals: Iterable[Interval],
    after: datetime,
    *,
    minutes: int = SESSION_MINUTES,
    per_interval: int = 3,
    limit: int = 25,
) -> list[datetime]:
    """Start times to propose: on the hour or half hour, a whole session inside an overlap,
    not before ``after``; at most ``per_interval`` per overlap (so several days are offered)
    and ``limit`` in all, earliest first."""
    out: list[datetime] = []
    for iv in sorted(intervals):
        begin = max(iv.start, after)
        # round up to the next :00 or :30
        begin = begin.replace(second=0, microsecond=0)
        if begin.minute % 30 or begin < max(iv.start, after):
            begin += timedelta(minutes=30 - begin.minute % 30)
        taken = 0
        while begin + timedelta(minutes=minutes) <= iv.end and taken < per_interval:
            out.append(begin)
            taken += 1
            begin += timedelta(minutes=60)
    return sorted(out)[:limit]


def encode(intervals: Iterable[Interval]) -> str:
    """``"1707764400-1707768000;…"`` (UTC epoch seconds) for storage."""
    return ";".join(f"{int(iv.start.timestamp())}-{int(iv.end.timestamp())}" for iv in intervals)


def decode(text: str | None) -> list[Interval]:
    out = []
    for part in (text or "").split(";"):
        if "-" not in part:
            continue
        a, b = part.split("-", 1)
        out.append(
            Interval(datetime.fromtimestamp(int(a), UTC), datetime.fromtimestamp(int(b), UTC))
        )
    return out


def local_span(iv: Interval, zone: ZoneInfo) -> str:
    """``Tue 9 Feb 19:00–20:00`` in ``zone`` (an end at local midnight reads 24:00)."""
    a, b = iv.start.astimezone(zone), iv.end.astimezone(zone)
    end = "24:00" if b.date() > a.date() and b.hour == 0 and b.minute == 0 else f"{b:%H:%M}"
    if b.date() > a.date() and end != "24:00":
        end = f"{b:%a} {end}"
    return f"{a:%a} {a.day} {a:%b} {a:%H:%M}–{end}"


def windows_text(window_ids: Iterable[str]) -> str:
    """The member's chosen windows in words (their own zone), or ``none``."""
    chosen = known_windows(window_ids)
    return ", ".join(window_label(w) for w in chosen) or "none"
