from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.core.calendar import (
    BeforeStart,
    CohortCalendar,
    Finished,
    InProgram,
    Pause,
    Paused,
    local_to_utc,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def cal(
    start: date = date(2027, 1, 4), zone: ZoneInfo = BERLIN, pauses: tuple[Pause, ...] = ()
) -> CohortCalendar:
    return CohortCalendar(start=start, zone=zone, weeks=16, pauses=pauses, phases={5: 2, 16: 5})


def test_before_during_after() -> None:
    c = cal()
    assert c.position(date(2027, 1, 1)) == BeforeStart(date(2027, 1, 4), 3)
    assert c.position(date(2027, 1, 4)) == InProgram(1, "mon", None, 0)
    pos = c.position(date(2027, 2, 3))
    assert isinstance(pos, InProgram) and (pos.week, pos.weekday, pos.phase) == (5, "wed", 2)
    assert c.end_date == date(2027, 4, 25)
    assert isinstance(c.position(date(2027, 4, 25)), InProgram)
    assert c.position(date(2027, 4, 26)) == Finished(date(2027, 4, 25))


def test_mid_week_start_begins_next_monday() -> None:
    c = cal(start=date(2027, 1, 6))  # a Wednesday
    assert c.program_start == date(2027, 1, 11)
    assert c.position(date(2027, 1, 8)) == BeforeStart(date(2027, 1, 11), 3)


def test_local_day_boundary_uses_cohort_zone() -> None:
    c = cal(zone=ZoneInfo("Asia/Kolkata"))
    # 2027-01-03 20:00 UTC is already Monday 01:30 in Kolkata.
    pos = c.at(datetime(2027, 1, 3, 20, 0, tzinfo=UTC))
    assert isinstance(pos, InProgram) and pos.week == 1 and pos.weekday == "mon"
    assert isinstance(
        cal(zone=ZoneInfo("America/Los_Angeles")).at(datetime(2027, 1, 4, 7, 0, tzinfo=UTC)),
        BeforeStart,
    )


@pytest.mark.parametrize(
    ("zone", "day", "expected_utc"),
    [
        (BERLIN, date(2027, 3, 26), datetime(2027, 3, 26, 6, 0, tzinfo=UTC)),  # CET
        (BERLIN, date(2027, 3, 29), datetime(2027, 3, 29, 5, 0, tzinfo=UTC)),  # CEST
        (BERLIN, date(2027, 10, 29), datetime(2027, 10, 29, 5, 0, tzinfo=UTC)),
        (BERLIN, date(2027, 11, 1), datetime(2027, 11, 1, 6, 0, tzinfo=UTC)),
        (NEW_YORK, date(2027, 3, 12), datetime(2027, 3, 12, 12, 0, tzinfo=UTC)),  # EST
        (NEW_YORK, date(2027, 3, 15), datetime(2027, 3, 15, 11, 0, tzinfo=UTC)),  # EDT
        (NEW_YORK, date(2027, 11, 8), datetime(2027, 11, 8, 12, 0, tzinfo=UTC)),
    ],
)
def test_seven_oclock_stays_seven_local_across_dst(
    zone: ZoneInfo, day: date, expected_utc: datetime
) -> None:
    at = local_to_utc(day, time(7, 0), zone)
    assert at == expected_utc
    assert at.astimezone(zone).time() == time(7, 0)


def test_nonexistent_time_moves_to_next_valid_minute() -> None:
    # Berlin springs from 02:00 to 03:00 on 2027-03-28.
    assert local_to_utc(date(2027, 3, 28), time(2, 30), BERLIN) == datetime(
        2027, 3, 28, 1, 0, tzinfo=UTC
    )
    assert local_to_utc(date(2027, 3, 28), time(2, 30), BERLIN).astimezone(BERLIN).time() == time(
        3, 0
    )


def test_ambiguous_autumn_time_is_first_occurrence() -> None:
    # Berlin falls back from 03:00 to 02:00 on 2027-10-31: 02:30 happens twice.
    assert local_to_utc(date(2027, 10, 31), time(2, 30), BERLIN) == datetime(
        2027, 10, 31, 0, 30, tzinfo=UTC
    )


def test_dst_week_days_are_contiguous() -> None:
    c = cal(start=date(2027, 3, 22))  # week 1 spans the March change
    days = [c.position(date(2027, 3, d)) for d in range(22, 29)]
    assert [p.weekday for p in days if isinstance(p, InProgram)] == [
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
    ]
    assert c.at(datetime(2027, 3, 28, 22, 30, tzinfo=UTC)) == InProgram(
        2, "mon", None, 7
    )  # 00:30 CEST


def test_pause_shifts_everything_after_it_by_whole_weeks() -> None:
    c = cal(pauses=(Pause(date(2027, 2, 8), date(2027, 2, 14)),))  # week 6 paused
    assert isinstance(c.position(date(2027, 2, 10)), Paused)
    pos = c.position(date(2027, 2, 15))
    assert isinstance(pos, InProgram) and (pos.week, pos.weekday) == (6, "mon")
    assert c.end_date == date(2027, 5, 2)
    assert c.date_of(6, "mon") == date(2027, 2, 15)
    assert c.date_of(5, "sun") == date(2027, 2, 7)


def test_partial_week_pause_rounds_up_so_mondays_stay_mondays() -> None:
    c = cal(pauses=(Pause(date(2027, 2, 10), date(2027, 2, 12)),))  # Wed–Fri of week 6
    (eff,) = c.effective_pauses()
    assert (eff.start, eff.end) == (date(2027, 2, 10), date(2027, 2, 16))
    assert c.position(date(2027, 2, 16)) == Paused(eff, date(2027, 2, 17))
    pos = c.position(date(2027, 2, 17))
    assert isinstance(pos, InProgram) and (pos.week, pos.weekday) == (6, "wed")


def test_pause_before_start_changes_nothing() -> None:
    c = cal(pauses=(Pause(date(2026, 12, 20), date(2027, 1, 2)),))
    assert c.end_date == date(2027, 4, 25)


def test_date_of_inverts_position() -> None:
    c = cal(pauses=(Pause(date(2027, 3, 1), date(2027, 3, 9)),))
    for day, pos in c.program_days():
        assert c.date_of(pos.week, pos.weekday) == day
    assert len(c.program_days()) == 16 * 7


def test_current_week_is_the_counting_week_but_never_before_week_one() -> None:
    c = cal()
    assert c.counting_week(date(2027, 1, 1)) == 0
    assert c.current_week(date(2027, 1, 1)) == 1  # before the start: the first week
    assert c.current_week(date(2027, 2, 3)) == c.counting_week(date(2027, 2, 3)) == 5
    assert c.current_week(date(2027, 5, 1)) == c.counting_week(date(2027, 5, 1)) == 16
