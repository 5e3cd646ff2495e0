"""A cohort's calendar: which program week and day a local date is.

Rules (documented in README):

* Week 1 begins on the start date when it is a Monday, otherwise on the next Monday; the
  days in between are "before start" (a countdown), so program weekdays always match
  calendar weekdays.
* A pause ``[start, end]`` (inclusive local dates) shifts everything after it. Pauses are
  rounded up to whole weeks (a three-day break pauses seven days) so that Mondays stay
  Mondays and weekend sessions stay on weekends; :meth:`CohortCalendar.effective_pauses`
  tells the real range. Pauses that end before week 1 begins change nothing.
* The program finishes after the Sunday of the last week.

Day boundaries are local to the cohort's IANA zone; instants are aware datetimes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAY_KEYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, order=True)
class Pause:
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"pause ends ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class BeforeStart:
    starts_on: date
    days_until: int


@dataclass(frozen=True)
class InProgram:
    week: int
    weekday: str  # "mon".."sun"
    phase: int | None
    day_index: int  # 0-based program day


@dataclass(frozen=True)
class Paused:
    pause: Pause  # the effective (whole-week) pause
    resumes_on: date


@dataclass(frozen=True)
class Finished:
    ended_on: date


Position = BeforeStart | InProgram | Paused | Finished


def first_monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def local_to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of local wall-clock ``day at`` in ``zone``.

    A time skipped by a spring-forward change maps to the next valid minute (02:30 on a
    day that jumps from 02:00 to 03:00 gives 03:00). An ambiguous autumn time maps to its
    first occurrence.
    """
    naive = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    for minutes in range(0, 24 * 60):
        candidate = naive + timedelta(minutes=minutes)
        aware = candidate.replace(tzinfo=zone, fold=0)
        if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == candidate:
            return aware.astimezone(UTC)
    raise ValueError(f"no valid local time on {day} in {zone.key}")  # pragma: no cover


def local_date(instant: datetime, zone: ZoneInfo) -> date:
    if instant.tzinfo is None:
        raise ValueError("instant must be timezone-aware")
    return instant.astimezone(zone).date()


@dataclass(frozen=True)
class CohortCalendar:
    start: date
    zone: ZoneInfo
    weeks: int = 16
    pauses: Sequence[Pause] = ()
    phases: Mapping[int, int] = field(default_factory=dict)  # week → phase

    @property
    def program_start(self) -> date:
        return first_monday_on_or_after(self.start)

    def effective_pauses(self) -> list[Pause]:
        """Pauses merged, clipped to the program and rounded up to whole weeks."""
        out: list[Pause] = []
        for pause in sorted(self.pauses):
            start = max(pause.start, self.program_start)
            if pause.end < start:
                continue
            # Everything already paused before this one pushes it no further: pauses are
            # given in calendar dates.
            if out and start <= out[-1].end:
                start = out[-1].end + timedelta(days=1)
                if pause.end < start:
                    continue
            length = (pause.end - start).days + 1
            weeks = -(-length // 7)
            out.append(Pause(start, start + timedelta(days=7 * weeks - 1)))
        return out

    @property
    def end_date(self) -> date:
        """The last program day (the Sunday of the last week), pauses included."""
        return self.date_of(self.weeks, "sun")

    def date_of(self, week: int, weekday: str) -> date:
        """The local date of program ``week`` / ``weekday``."""
        if not 1 <= week <= self.weeks:
            raise ValueError(f"week {week} is outside 1–{self.weeks}")
        index = (week - 1) * 7 + WEEKDAY_KEYS.index(weekday)
        day = self.program_start + timedelta(days=index)
        for pause in self.effective_pauses():
            if pause.start <= day:
                day += timedelta(days=pause.days)
        return day

    def position(self, day: date) -> Position:
        """Where local date ``day`` falls in the program."""
        start = self.program_start
        if day < start:
            return BeforeStart(starts_on=start, days_until=(start - day).days)
        shift = 0
        for pause in self.effective_pauses():
            if pause.start <= day <= pause.end:
                return Paused(pause=pause, resumes_on=pause.end + timedelta(days=1))
            if pause.end < day:
                shift += pause.days
        index = (day - start).days - shift
        week = index // 7 + 1
        if week > self.weeks:
            return Finished(ended_on=self.end_date)
        return InProgram(
            week=week,
            weekday=WEEKDAY_KEYS[index % 7],
            phase=self.phases.get(week),
            day_index=index,
        )

    def current_week(self, day: date) -> int:
        """The week a report on ``day`` is about: :meth:`counting_week`, but week 1 before
        the start (a cohort that hasn't started looks at its first week)."""
        return max(1, self.counting_week(day))

    def counting_week(self, day: date) -> int:
        """The program week a log dated ``day`` counts towards.

        Program days give their week; a paused day counts towards the week before the
        pause, days before the start towards week 0 and days after the end towards the
        last week. Monotone in ``day``, so "first solved in week w" is a plain MIN().
        """
        pos = self.position(day)
        if isinstance(pos, InProgram):
            return pos.week
        if isinstance(pos, BeforeStart):
            return 0
        if isinstance(pos, Finished):
            return self.weeks
        return self.counting_week(pos.pause.start - timedelta(days=1))

    def at(self, instant: datetime) -> Position:
        """Where an instant falls, using the cohort's local date."""
        return self.position(local_date(instant, self.zone))

    def program_days(self) -> list[tuple[date, InProgram]]:
        """Every program day in order, with its position."""
        out: list[tuple[date, InProgram]] = []
        day = self.program_start
        last = self.end_date
        while day <= last:
            pos = self.position(day)
            if isinstance(pos, InProgram):
                out.append((day, pos))
            day += timedelta(days=1)
        return out
