"""The .ics schedule: event count, member-zone start times across DST, stable UIDs."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from bot.core.calendar import CohortCalendar, Pause
from bot.core.schedule import PostTimes
from bot.exports.ical import schedule_ics
from curriculum.loader import Curriculum

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
TIMES = PostTimes(time(7), time(19), time(10), "sun", time(20))
STAMP = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)


def _calendar(curriculum: Curriculum, pauses: tuple[Pause, ...] = ()) -> CohortCalendar:
    # Monday 2027-03-15; Berlin springs forward on Sunday 2027-03-28.
    return CohortCalendar(
        start=date(2027, 3, 15), zone=BERLIN, weeks=curriculum.week_count, pauses=pauses
    )


def _events(
    curriculum: Curriculum,
    zone: ZoneInfo = BERLIN,
    from_date: date = date(2027, 3, 15),
    calendar: CohortCalendar | None = None,
    stamp: datetime = STAMP,
) -> tuple[Calendar, list[Event]]:
    data = schedule_ics(
        calendar or _calendar(curriculum),
        curriculum,
        TIMES,
        zone,
        from_date,
        "Spring 2027",
        "sc-1-42",
        generated_at=stamp,
    )
    cal = Calendar.from_ical(data)
    return cal, list(cal.walk("VEVENT"))


def _blocks_per_week(curriculum: Curriculum, week: int) -> int:
    return sum(
        sum(b is not None for b in (day.block_a, day.block_b, day.session))
        for day in curriculum.week(week).days.values()
    )


def _by_start(events: list[Event]) -> dict[datetime, Event]:
    return {ev.start: ev for ev in events}


def test_whole_program_event_count_and_content(curriculum: Curriculum) -> None:
    cal, events = _events(curriculum)
    expected = sum(_blocks_per_week(curriculum, w) for w in range(1, curriculum.week_count + 1))
    assert len(events) == expected
    assert str(cal["X-WR-CALNAME"]) == "Spring 2027 · StudyCoach"
    assert [tz.tz_name for tz in cal.timezones] == ["Europe/Berlin"]
    first = events[0]
    assert first.start == datetime(2027, 3, 15, 7, 0, tzinfo=BERLIN)
    assert first["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert first.end - first.start == timedelta(minutes=curriculum.day(1, "mon").block_a.minutes)
    assert str(first["SUMMARY"]) == f"Week 1 · Block-A — {curriculum.week(1).title}"
    task_texts = [t.text for t in curriculum.day(1, "mon").block_a.tasks]
    description = str(first["DESCRIPTION"])
    assert all(text in description for text in task_texts)
    assert first.decoded("DTSTAMP") == STAMP
    last = events[-1]
    assert last.start.date() == date(2027, 7, 4)  # Sunday of week 16


def test_start_times_across_the_dst_change(curriculum: Curriculum) -> None:
    _, events = _events(curriculum, from_date=date(2027, 3, 26))
    starts = _by_start(events)
    fri = datetime(2027, 3, 26, 7, 0, tzinfo=BERLIN)
    mon = datetime(2027, 3, 29, 7, 0, tzinfo=BERLIN)
    assert fri in starts and mon in starts
    assert fri.utcoffset() == timedelta(hours=1) and mon.utcoffset() == timedelta(hours=2)
    assert datetime(2027, 3, 29, 19, 0, tzinfo=BERLIN) in starts
    weekend_days = (date(2027, 3, 27), date(2027, 3, 28))
    weekend = [ev.start for ev in events if ev.start.date() in weekend_days]
    assert weekend and all(s.time() == time(10) for s in weekend)
    assert min(starts).date() == date(2027, 3, 26)  # nothing before from_date


def test_member_elsewhere_sees_the_cohort_instants(curriculum: Curriculum) -> None:
    _, events = _events(curriculum, zone=NEW_YORK, from_date=date(2027, 3, 26))
    starts = sorted(ev.start for ev in events)
    assert all(ev["DTSTART"].params["TZID"] == "America/New_York" for ev in events)
    # Block-A is 07:00 in Berlin: 02:00 in New York before Berlin's change, 01:00 after.
    assert starts[0] == datetime(2027, 3, 26, 2, 0, tzinfo=NEW_YORK)
    assert starts[0].astimezone(BERLIN).time() == time(7)
    assert datetime(2027, 3, 29, 1, 0, tzinfo=NEW_YORK) in starts
    berlin_starts = sorted(ev.start for ev in _events(curriculum, from_date=date(2027, 3, 26))[1])
    assert [s.astimezone(UTC) for s in starts] == [s.astimezone(UTC) for s in berlin_starts]


def test_from_date_near_the_end_and_after(curriculum: Curriculum) -> None:
    _, events = _events(curriculum, from_date=date(2027, 6, 28))
    assert len(events) == _blocks_per_week(curriculum, 16)
    assert all(str(ev["SUMMARY"]).startswith("Week 16 · ") for ev in events)
    cal, none = _events(curriculum, from_date=date(2027, 7, 5))
    assert none == [] and cal["VERSION"] == "2.0"


def test_uids_are_stable_and_unique(curriculum: Curriculum) -> None:
    _, events = _events(curriculum)
    _, again = _events(curriculum, stamp=STAMP + timedelta(days=3))
    uids = [str(ev["UID"]) for ev in events]
    assert uids == [str(ev["UID"]) for ev in again]
    assert len(set(uids)) == len(uids)
    assert uids[0] == "sc-1-42-2027-03-15-block_a"
    _, later = _events(curriculum, from_date=date(2027, 4, 1))
    assert set(str(ev["UID"]) for ev in later) < set(uids)


def test_pauses_move_events(curriculum: Curriculum) -> None:
    paused = _calendar(curriculum, (Pause(date(2027, 3, 22), date(2027, 3, 24)),))
    _, events = _events(curriculum, calendar=paused, from_date=date(2027, 3, 20))
    dates = {ev.start.date() for ev in events}
    assert not dates & {date(2027, 3, 22) + timedelta(days=i) for i in range(7)}
    assert date(2027, 3, 29) in dates and max(dates) == date(2027, 7, 11)
