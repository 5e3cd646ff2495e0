"""The member's remaining study blocks as an iCalendar (``.ics``) file.

One event per study block (``block_a``, ``block_b``, weekend ``session``) — the same slots
the scheduler posts (:func:`bot.core.schedule.slots_on`), planned by
:func:`bot.core.posts.plan_post`. Kick-off and finale are announcements, not blocks, so
they are left out.

Times: the cohort's post times are wall-clock times in the *cohort's* zone
(``calendar.zone``) — Block-A starts when the cohort's Block-A post goes out. Each event
is then expressed in the *member's* zone (DTSTART/DTEND with that TZID, plus a matching
VTIMEZONE), so a member abroad sees the real instant in their own time. An event lasts its
block's minutes. ``from_date`` is the member's local today: events starting before it (in
the member's zone) are skipped. UIDs are ``{uid_prefix}-{cohort local date}-{slot}``, so a
re-import updates the events instead of duplicating them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from bot.core.calendar import CohortCalendar
from bot.core.posts import SLOT_LABELS, PlannedPost, plan_post
from bot.core.schedule import DueSlot, PostTimes, slots_on
from curriculum.loader import Curriculum

BLOCK_SLOTS: tuple[str, ...] = ("block_a", "block_b", "session")
PRODID = "-//StudyCoach//Study schedule//EN"


def _block_minutes(curriculum: Curriculum, slot: DueSlot) -> int:
    day = curriculum.day(slot.week, slot.weekday)
    block = getattr(day, slot.slot)
    if block is None:  # pragma: no cover - slots_on only yields blocks that exist
        raise KeyError(f"week {slot.week} {slot.weekday} has no {slot.slot}")
    minutes: int = block.minutes
    return minutes


def event_description(post: PlannedPost) -> str:
    """The block's tasks, one per line, with the problems and ledger/checkpoint notes."""
    lines: list[str] = []
    for task in post.tasks:
        minutes = f" ({task.minutes} min)" if task.minutes else ""
        lines.append(f"{task.icon} {task.text}{minutes}")
        lines += [f"    LC {p.number} · {p.title} ({p.difficulty}) {p.url}" for p in task.problems]
        if task.ledger:
            lines.append(f"    📓 {task.ledger}")
        if task.checkpoint:
            lines.append(f"    🏁 {task.checkpoint}")
    return "\n".join(lines)


def event_summary(curriculum: Curriculum, slot: DueSlot) -> str:
    """``"Week 5 · Block-A — Arrays & Hashing"``."""
    label = SLOT_LABELS[slot.slot]
    return f"Week {slot.week} · {label} — {curriculum.week(slot.week).title}"


def block_events(
    calendar: CohortCalendar,
    curriculum: Curriculum,
    times: PostTimes,
    zone: ZoneInfo,
    from_date: date,
) -> list[tuple[DueSlot, datetime, datetime]]:
    """(slot, start, end) of every study block starting on or after ``from_date``.

    ``start``/``end`` are aware datetimes in ``zone`` (the member's).
    """
    out: list[tuple[DueSlot, datetime, datetime]] = []
    # A day's blocks can fall on the previous or next date in the member's zone.
    day = max(from_date - timedelta(days=1), calendar.program_start)
    while day <= calendar.end_date:
        for slot in slots_on(calendar, curriculum, times, day):
            if slot.slot not in BLOCK_SLOTS:
                continue
            start = slot.due_at.astimezone(zone)
            if start.date() < from_date:
                continue
            end = start + timedelta(minutes=_block_minutes(curriculum, slot))
            out.append((slot, start, end.astimezone(zone)))
        day += timedelta(days=1)
    return out


def schedule_ics(
    calendar: CohortCalendar,
    curriculum: Curriculum,
    times: PostTimes,
    zone: ZoneInfo,
    from_date: date,
    cohort_name: str,
    uid_prefix: str,
    *,
    generated_at: datetime,
) -> bytes:
    """The remaining schedule as ``.ics`` bytes; ``generated_at`` (aware) is the DTSTAMP."""
    if generated_at.tzinfo is None:
        raise ValueError("generated_at must be timezone-aware")
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{cohort_name} · StudyCoach")
    cal.add("x-wr-timezone", zone.key)
    events = block_events(calendar, curriculum, times, zone, from_date)
    for slot, start, end in events:
        post = plan_post(slot.position, slot.slot, curriculum)
        event = Event()
        event.add("uid", f"{uid_prefix}-{slot.local_date.isoformat()}-{slot.slot}")
        event.add("dtstamp", generated_at)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", event_summary(curriculum, slot))
        event.add("description", event_description(post))
        event.add("categories", ["StudyCoach", f"Week {slot.week}"])
        event.add("transp", "OPAQUE")
        cal.add_component(event)
    if events:
        cal.add_missing_timezones(
            first_date=events[0][1].date() - timedelta(days=1),
            last_date=events[-1][2].date() + timedelta(days=1),
        )
    data: bytes = cal.to_ical()
    return data
