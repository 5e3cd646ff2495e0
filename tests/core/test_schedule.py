"""Slot instants: the next posts of a cohort, the same list the scheduler sends from."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.core.calendar import CohortCalendar, InProgram, Pause
from bot.core.posts import plan_day
from bot.core.schedule import DueSlot, PostTimes, next_slots, slots_on
from curriculum.loader import Curriculum

BERLIN = ZoneInfo("Europe/Berlin")
TIMES = PostTimes(time(7), time(19), time(10), "sun", time(20))


def _calendar(curriculum: Curriculum, pauses: tuple[Pause, ...] = ()) -> CohortCalendar:
    return CohortCalendar(
        start=date(2027, 1, 4), zone=BERLIN, weeks=curriculum.week_count, pauses=pauses
    )


def test_next_slots_wednesday_afternoon(curriculum: Curriculum) -> None:
    now = datetime(2027, 2, 3, 12, 0, tzinfo=UTC)  # Wed 13:00 in Berlin, week 5
    got = next_slots(_calendar(curriculum), curriculum, TIMES, now, 5)
    assert [(s.local_date, s.slot) for s in got] == [
        (date(2027, 2, 3), "block_b"),
        (date(2027, 2, 4), "block_a"),
        (date(2027, 2, 4), "block_b"),
        (date(2027, 2, 5), "block_a"),
        (date(2027, 2, 5), "block_b"),
    ]
    assert got[0].due_at == datetime(2027, 2, 3, 18, 0, tzinfo=UTC)
    assert got[0].due_at.astimezone(BERLIN).hour == 19 and got[0].week == 5


def test_next_slots_weekend_and_kickoff(curriculum: Curriculum) -> None:
    now = datetime(2027, 2, 6, 0, 0, tzinfo=UTC)  # Sat 01:00 Berlin
    got = next_slots(_calendar(curriculum), curriculum, TIMES, now, 4)
    assert [(s.local_date.isoformat(), s.slot, s.due_at.astimezone(BERLIN).hour) for s in got] == [
        ("2027-02-06", "session", 10),
        ("2027-02-07", "session", 10),
        ("2027-02-07", "recap", 20),  # the weekly recap, Sunday 20:00 local
        ("2027-02-08", "block_a", 7),
    ]
    before = datetime(2026, 12, 20, tzinfo=UTC)
    first = next_slots(_calendar(curriculum), curriculum, TIMES, before, 2)
    assert [s.slot for s in first] == ["kickoff", "block_a"]
    assert first[0].local_date == date(2027, 1, 4)


def test_next_slots_skip_pauses_and_stop_at_the_end(curriculum: Curriculum) -> None:
    pauses = (Pause(date(2027, 2, 8), date(2027, 2, 10)),)
    now = datetime(2027, 2, 7, 20, 0, tzinfo=UTC)  # Sun 21:00 Berlin
    got = next_slots(_calendar(curriculum, pauses), curriculum, TIMES, now, 1)
    assert got[0].local_date == date(2027, 2, 15) and got[0].week == 6
    late = datetime(2027, 6, 1, tzinfo=UTC)
    assert next_slots(_calendar(curriculum), curriculum, TIMES, late, 5) == []
    final = next_slots(
        _calendar(curriculum), curriculum, TIMES, datetime(2027, 4, 25, 12, tzinfo=UTC), 5
    )
    # Week 16's Sunday is two blocks: Block-B (19:00), then the recap and the finale (20:00).
    assert [s.slot for s in final] == ["block_b", "recap", "finale"]


def test_recap_stays_at_20_local_across_the_dst_change(curriculum: Curriculum) -> None:
    from bot.core.schedule import slots_on

    calendar = _calendar(curriculum)
    before = [
        s for s in slots_on(calendar, curriculum, TIMES, date(2027, 3, 21)) if s.slot == "recap"
    ]
    dst_day = [
        s for s in slots_on(calendar, curriculum, TIMES, date(2027, 3, 28)) if s.slot == "recap"
    ]
    assert before[0].due_at == datetime(2027, 3, 21, 19, tzinfo=UTC)  # 20:00 CET
    assert dst_day[0].due_at == datetime(2027, 3, 28, 18, tzinfo=UTC)  # 20:00 CEST
    assert (before[0].week, dst_day[0].week) == (11, 12)


def _local(slots: list[DueSlot]) -> list[tuple[str, str]]:
    return [(s.slot, s.due_at.astimezone(BERLIN).strftime("%H:%M")) for s in slots]


def test_week16_weekend_blocks_post_at_the_weekend_and_block_b_times(
    curriculum: Curriculum,
) -> None:
    """Week 16's Sat and Sun are Block-A | Block-B days: Block-A at the weekend time (10:00),
    Block-B at the Block-B time (19:00); Sunday then has the recap and the finale."""
    calendar = _calendar(curriculum)
    sat, sun = calendar.date_of(16, "sat"), calendar.date_of(16, "sun")
    assert _local(slots_on(calendar, curriculum, TIMES, sat)) == [
        ("block_a", "10:00"),
        ("block_b", "19:00"),
    ]
    assert _local(slots_on(calendar, curriculum, TIMES, sun)) == [
        ("block_a", "10:00"),
        ("block_b", "19:00"),
        ("recap", "20:00"),
        ("finale", "20:00"),
    ]
    # Other weekends keep their one session at the weekend time.
    assert _local(slots_on(calendar, curriculum, TIMES, calendar.date_of(15, "sat"))) == [
        ("session", "10:00")
    ]


def test_weekend_block_b_never_posts_before_block_a(curriculum: Curriculum) -> None:
    """A weekend time later than the Block-B time: both blocks at the weekend time, A first."""
    late_weekend = PostTimes(time(7), time(9), time(11), "sun", time(20))
    calendar = _calendar(curriculum)
    got = slots_on(calendar, curriculum, late_weekend, calendar.date_of(16, "sat"))
    assert _local(got) == [("block_a", "11:00"), ("block_b", "11:00")]
    assert late_weekend.local_time("block_b", "wed") == time(9)  # weekdays unchanged
    assert late_weekend.local_time("block_a", "sun") == time(11)


def test_week16_weekend_block_titles(curriculum: Curriculum) -> None:
    calendar = _calendar(curriculum)
    pos = calendar.position(calendar.date_of(16, "sat"))
    assert isinstance(pos, InProgram)
    titles = [p.title for p in plan_day(pos, curriculum)]
    assert titles == [
        "Week 16 · Mock Interviews, Resume Polish, Outreach — Sat · Block-A (90 min)",
        "Week 16 · Mock Interviews, Resume Polish, Outreach — Sat · Block-B (90 min)",
    ]
