"""When a cohort's posts are due: slot instants from the calendar and local post times.

Pure functions of a calendar, the curriculum and post times; no database, no Discord.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from bot.core.calendar import CohortCalendar, InProgram, local_date, local_to_utc
from bot.core.posts import SLOT_ORDER, slots_for
from curriculum.loader import Curriculum

WEEKEND = ("sat", "sun")


@dataclass(frozen=True)
class PostTimes:
    block_a: time
    block_b: time
    weekend: time
    recap_weekday: str
    recap: time

    @staticmethod
    def parse(
        block_a: str, block_b: str, weekend: str, recap_weekday: str, recap: str
    ) -> PostTimes:
        return PostTimes(
            time.fromisoformat(block_a),
            time.fromisoformat(block_b),
            time.fromisoformat(weekend),
            recap_weekday,
            time.fromisoformat(recap),
        )

    def local_time(self, slot: str, weekday: str | None = None) -> time:
        """When ``slot`` posts on a ``weekday`` (``None``: a weekday).

        A weekend day with Block-A / Block-B instead of a session (week 16) posts Block-A at
        the weekend time and Block-B at the Block-B time — or, when that is not later than
        the weekend time, at the weekend time too, right after Block-A.
        """
        weekend = weekday in WEEKEND
        if slot == "kickoff" or (slot == "block_a" and not weekend):
            return self.block_a
        if slot == "block_a" or slot == "session":
            return self.weekend
        if slot == "block_b":
            return max(self.block_b, self.weekend) if weekend else self.block_b
        return self.recap  # recap, finale


@dataclass(frozen=True, order=True)
class DueSlot:
    due_at: datetime  # aware UTC
    order: int
    local_date: date
    slot: str
    position: InProgram = field(compare=False)

    @property
    def week(self) -> int:
        return self.position.week

    @property
    def weekday(self) -> str:
        return self.position.weekday

    @property
    def key(self) -> str:
        return f"{self.local_date.isoformat()}/{self.slot}"


def post_nonce(cohort_id: int, day: date, slot: str, part: int = 0) -> str:
    """A stable nonce (≤ 25 chars) for one message of one slot: retries reuse it."""
    digest = hashlib.sha256(f"{cohort_id}:{day.isoformat()}:{slot}".encode()).hexdigest()
    return f"{digest[:22]}{part:03d}"[:25]


def slots_on(
    calendar: CohortCalendar, curriculum: Curriculum, times: PostTimes, day: date
) -> list[DueSlot]:
    pos = calendar.position(day)
    if not isinstance(pos, InProgram):
        return []
    out = []
    slots = slots_for(pos, curriculum)
    if pos.weekday == times.recap_weekday:
        slots.append("recap")  # the weekly recap of the program week this day belongs to
    for slot in slots:
        due = local_to_utc(day, times.local_time(slot, pos.weekday), calendar.zone)
        out.append(DueSlot(due, SLOT_ORDER.index(slot), day, slot, pos))
    return sorted(out)


def slots_between(
    calendar: CohortCalendar,
    curriculum: Curriculum,
    times: PostTimes,
    after: datetime,
    until: datetime,
) -> list[DueSlot]:
    """Slots due in ``(after, until]``, in order."""
    out: list[DueSlot] = []
    day = local_date(after, calendar.zone) - timedelta(days=1)
    last = local_date(until, calendar.zone) + timedelta(days=1)
    day = max(day, calendar.program_start)
    last = min(last, calendar.end_date)
    while day <= last:
        out += [s for s in slots_on(calendar, curriculum, times, day) if after < s.due_at <= until]
        day += timedelta(days=1)
    return sorted(out)


def next_slots(
    calendar: CohortCalendar, curriculum: Curriculum, times: PostTimes, now: datetime, n: int
) -> list[DueSlot]:
    """The next ``n`` slots due after ``now``."""
    out: list[DueSlot] = []
    day = max(local_date(now, calendar.zone), calendar.program_start)
    while len(out) < n and day <= calendar.end_date:
        out += [s for s in slots_on(calendar, curriculum, times, day) if s.due_at > now]
        day += timedelta(days=1)
    return out[:n]
