"""Slot instants: the next posts of a cohort, the same list the scheduler sends from."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.core.calendar import CohortCalendar, Pause
from bot.core.schedule import PostTimes, next_slots
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
    assert [s.slot for s in final] == ["recap", "finale"]  # week 16: recap, then the finale


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
