"""Weekly windows laid on real dates: overlaps across zones and DST changes (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.mock_windows import (
    WINDOWS,
    Interval,
    decode,
    encode,
    fits_session,
    free_times,
    local_span,
    overlap,
    session_starts,
    window_label,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
UTC_ZONE = ZoneInfo("UTC")


def _week(monday: datetime) -> tuple[datetime, datetime]:
    return monday, monday + timedelta(days=7)


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_berlin_evenings_meet_new_york_lunchtimes_in_winter() -> None:
    start, end = _week(_utc(2027, 2, 8))
    shared = overlap(
        free_times(["wd-evening"], BERLIN, start, end),
        free_times(["wd-lunch"], NEW_YORK, start, end),
    )
    # 18:00–20:00 Berlin (UTC+1) = 12:00–14:00 New York (UTC−5) = 17:00–19:00 UTC, Mon–Fri
    assert shared == [Interval(_utc(2027, 2, d, 17), _utc(2027, 2, d, 19)) for d in range(8, 13)]


def test_the_weeks_between_the_two_dst_changes_shift_the_overlap() -> None:
    # New York springs forward on 14 March 2027, Berlin on 28 March: in between the two
    # cities are five hours apart, so only 18:00–19:00 Berlin meets 13:00–14:00 New York.
    start, end = _week(_utc(2027, 3, 15))
    shared = overlap(
        free_times(["wd-evening"], BERLIN, start, end),
        free_times(["wd-lunch"], NEW_YORK, start, end),
    )
    assert shared[0] == Interval(_utc(2027, 3, 15, 17), _utc(2027, 3, 15, 18))
    assert all(iv.minutes == 60 for iv in shared) and len(shared) == 5
    assert fits_session(shared)
    # after both changes: six hours apart again, the full two hours
    start, end = _week(_utc(2027, 4, 5))
    shared = overlap(
        free_times(["wd-evening"], BERLIN, start, end),
        free_times(["wd-lunch"], NEW_YORK, start, end),
    )
    assert shared[0] == Interval(_utc(2027, 4, 5, 16), _utc(2027, 4, 5, 18))


def test_a_window_across_the_date_line_lands_on_the_right_day() -> None:
    # Tokyo Saturday morning 09:00–12:00 (UTC+9) is Friday 19:00–22:00 in New York (UTC−5)
    start, end = _week(_utc(2027, 2, 8))
    tokyo = free_times(["sat-morning"], TOKYO, start, end)
    new_york = free_times(["wd-late"], NEW_YORK, start, end)
    shared = overlap(tokyo, new_york)
    assert shared == [Interval(_utc(2027, 2, 13, 1), _utc(2027, 2, 13, 3))]
    assert local_span(shared[0], NEW_YORK) == "Fri 12 Feb 20:00–22:00"
    assert local_span(shared[0], TOKYO) == "Sat 13 Feb 10:00–12:00"


def test_no_overlap_and_a_too_short_overlap() -> None:
    start, end = _week(_utc(2027, 2, 8))
    assert (
        overlap(
            free_times(["wd-morning"], BERLIN, start, end),
            free_times(["wd-morning"], NEW_YORK, start, end),
        )
        == []
    )
    # 18:00–20:00 against 19:30–21:30 elsewhere: 30 minutes is not a session
    half = overlap(
        free_times(["wd-evening"], UTC_ZONE, start, end),
        [Interval(_utc(2027, 2, 8, 19, 30), _utc(2027, 2, 8, 21, 30))],
    )
    assert [iv.minutes for iv in half] == [30] and not fits_session(half)


def test_windows_are_clipped_to_the_horizon_and_merged() -> None:
    start, end = _utc(2027, 2, 8, 19), _utc(2027, 2, 9, 12)
    free = free_times(["wd-late", "wd-night", "wd-evening"], UTC_ZONE, start, end)
    # 19:00 (clipped) … 24:00 as one stretch: touching windows merge
    assert free == [Interval(_utc(2027, 2, 8, 19), _utc(2027, 2, 9, 0))]
    assert local_span(free[0], UTC_ZONE) == "Mon 8 Feb 19:00–24:00"


def test_session_starts_are_on_the_half_hour_inside_the_overlap() -> None:
    shared = [
        Interval(_utc(2027, 2, 8, 17), _utc(2027, 2, 8, 19)),
        Interval(_utc(2027, 2, 9, 17), _utc(2027, 2, 9, 19)),
    ]
    starts = session_starts(shared, _utc(2027, 2, 8, 17, 10))
    assert starts == [_utc(2027, 2, 8, 17, 30), _utc(2027, 2, 9, 17), _utc(2027, 2, 9, 18)]
    assert len(session_starts(shared * 20, _utc(2027, 2, 1))) == 25  # a select's limit


def test_encoding_round_trips_and_labels_fit_a_select() -> None:
    ivs = [Interval(_utc(2027, 2, 8, 17), _utc(2027, 2, 8, 19))]
    assert decode(encode(ivs)) == ivs and decode(None) == []
    assert len(WINDOWS) <= 25
    assert all(len(window_label(w)) <= 100 for w in WINDOWS)
