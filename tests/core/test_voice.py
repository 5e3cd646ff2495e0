"""Study-room rules: day splits at local midnight (DST days too), block windows and the
attended rule, self-deafened spans, and the reconcile decisions that never invent time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.calendar import CohortCalendar, local_to_utc
from bot.core.schedule import PostTimes
from bot.core.voice import (
    MAX_SPANS,
    STALE_AFTER,
    BlockWindow,
    Mode,
    OpenSession,
    Seen,
    block_windows,
    bounded,
    day_times,
    decode_spans,
    encode_spans,
    next_status,
    planned,
    planned_blocks,
    reconcile,
    split_minutes,
    window_seconds,
)
from curriculum.loader import Curriculum

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
TIMES = PostTimes.parse("07:00", "19:00", "10:00", "sun", "20:00")
T0 = datetime(2027, 2, 3, 6, 0, tzinfo=UTC)


def at(day: date, hh: int, mm: int, zone: ZoneInfo) -> datetime:
    return local_to_utc(day, time(hh, mm), zone)


def calendar(curriculum: Curriculum, zone: ZoneInfo = BERLIN) -> CohortCalendar:
    phases = {n: w.phase for n, w in curriculum.weeks.items()}
    return CohortCalendar(date(2027, 1, 4), zone, curriculum.week_count, (), phases)


# -- days -----------------------------------------------------------------------------------
def test_a_session_across_midnight_is_split_in_the_members_zone() -> None:
    start = at(date(2027, 2, 3), 23, 30, BERLIN)
    pieces = day_times(start, start + timedelta(hours=1), [], BERLIN)
    assert [(p.day, p.seconds) for p in pieces] == [
        (date(2027, 2, 3), 30 * 60),
        (date(2027, 2, 4), 30 * 60),
    ]
    # the same hour is one day in New York (17:30–18:30)
    assert [
        (p.day, p.seconds) for p in day_times(start, start + timedelta(hours=1), [], NEW_YORK)
    ] == [(date(2027, 2, 3), 3600)]


@pytest.mark.parametrize(
    ("zone", "day", "hours"),
    [
        (BERLIN, date(2027, 3, 28), 23),  # spring forward: 02:00 → 03:00
        (BERLIN, date(2027, 10, 31), 25),  # autumn: 03:00 → 02:00
        (NEW_YORK, date(2027, 3, 14), 23),
        (NEW_YORK, date(2027, 11, 7), 25),
    ],
)
def test_dst_days_have_their_real_length(zone: ZoneInfo, day: date, hours: int) -> None:
    start = at(day - timedelta(days=1), 23, 0, zone)
    end = at(day + timedelta(days=1), 1, 0, zone)
    pieces = day_times(start, end, [], zone)
    assert [(p.day, p.seconds // 3600) for p in pieces] == [
        (day - timedelta(days=1), 1),
        (day, hours),
        (day + timedelta(days=1), 1),
    ]
    assert sum(p.seconds for p in pieces) == int((end - start).total_seconds())


def test_deafened_spans_are_split_with_their_day() -> None:
    start = at(date(2027, 2, 3), 23, 0, BERLIN)
    deaf = [(start + timedelta(minutes=50), start + timedelta(minutes=70))]
    pieces = day_times(start, start + timedelta(hours=2), deaf, BERLIN)
    assert [(p.seconds // 60, p.deaf_seconds // 60) for p in pieces] == [(60, 10), (60, 10)]


def test_spans_round_trip_and_stay_bounded() -> None:
    spans = [(T0 + timedelta(minutes=2 * i), T0 + timedelta(minutes=2 * i + 1)) for i in range(3)]
    assert decode_spans(encode_spans(spans)) == spans
    assert decode_spans("") == [] and decode_spans(None) == []
    many = [(T0 + timedelta(minutes=3 * i), T0 + timedelta(minutes=3 * i + 1)) for i in range(150)]
    kept = bounded(many)
    assert len(kept) == MAX_SPANS and kept[0][0] == many[0][0] and kept[-1][1] == many[-1][1]


# -- blocks ---------------------------------------------------------------------------------
def test_block_windows_and_the_attended_rule(curriculum: Curriculum) -> None:
    cal = calendar(curriculum)
    wed = date(2027, 2, 3)  # week 5
    windows = block_windows(cal, curriculum, TIMES, at(wed, 6, 0, BERLIN), at(wed, 21, 0, BERLIN))
    assert [(w.slot, w.start, w.minutes, w.needed) for w in windows] == [
        ("block_a", at(wed, 7, 0, BERLIN), 90, 3600),
        ("block_b", at(wed, 19, 0, BERLIN), 90, 3600),
    ]
    a = windows[0]
    # 60 of 90 minutes in the room: enough; 59 are not
    assert (
        window_seconds(a, a.start + timedelta(minutes=30), a.end + timedelta(hours=1), [], False)
        == 3600
    )
    assert window_seconds(a, a.start, a.start + timedelta(minutes=59), [], False) < a.needed
    # deafened time inside the window counts only when the cohort counts it
    deaf = [(a.start, a.start + timedelta(minutes=30))]
    assert window_seconds(a, a.start, a.end, deaf, True) == 3600
    assert window_seconds(a, a.start, a.end, deaf, False) == 5400


def test_weekend_sessions_need_two_of_three_hours(curriculum: Curriculum) -> None:
    cal = calendar(curriculum)
    sat = date(2027, 2, 6)
    (window,) = block_windows(cal, curriculum, TIMES, at(sat, 9, 0, BERLIN), at(sat, 14, 0, BERLIN))
    assert (window.slot, window.minutes, window.needed) == ("session", 180, 7200)


def test_blocks_on_the_spring_forward_day(curriculum: Curriculum) -> None:
    """2027-03-28 (Sun of week 12): the session still starts at 10:00 local (08:00 UTC)."""
    cal = calendar(curriculum)
    day = date(2027, 3, 28)
    (window,) = block_windows(cal, curriculum, TIMES, at(day, 0, 0, BERLIN), at(day, 23, 0, BERLIN))
    assert window.start == datetime(2027, 3, 28, 8, 0, tzinfo=UTC)
    assert window.local_date == day


def test_planned_hours(curriculum: Curriculum) -> None:
    cal = calendar(curriculum)
    monday = date(2027, 2, 1)
    assert planned(cal, curriculum, monday, monday) == (180, 2)  # 2 × 90 min
    assert planned(cal, curriculum, monday, monday + timedelta(days=6)) == (10 * 90 + 2 * 180, 12)
    assert planned(cal, curriculum, date(2026, 12, 1), date(2026, 12, 31)) == (0, 0)  # before
    assert planned_blocks(curriculum, 5) == {"block_a": 5, "block_b": 5, "session": 2}
    assert planned_blocks(curriculum, 16) == {"block_a": 7, "block_b": 7}  # two weekend blocks


def test_a_window_is_a_value() -> None:
    w = BlockWindow(date(2027, 2, 3), "block_a", 5, T0, T0 + timedelta(minutes=90))
    assert (w.minutes, w.needed) == (90, 3600)


# -- reconcile ------------------------------------------------------------------------------
ROOM, OTHER = 10, 20


def session(
    user: int, *, seen: datetime = T0, channel: int = ROOM, deaf: bool = False
) -> OpenSession:
    return OpenSession(user, user, channel, seen, deaf)


def test_events_happen_now() -> None:
    now = T0 + timedelta(seconds=30)
    left = reconcile([session(1)], {}, now, Mode.EVENT)
    moved = reconcile([session(1)], {1: Seen(OTHER)}, now, Mode.EVENT)
    joined = reconcile([], {1: Seen(ROOM, deaf=True)}, now, Mode.EVENT)
    deafened = reconcile([session(1)], {1: Seen(ROOM, deaf=True)}, now, Mode.EVENT)
    assert left.close == [(1, now, "left")] and not left.open
    assert moved.close == [(1, now, "moved")] and moved.open == [(1, Seen(OTHER))]
    assert joined.open == [(1, Seen(ROOM, True))] and not joined.close
    assert deafened.keep == [1] and deafened.deaf == [(1, True)]


def test_late_events_never_invent_time() -> None:
    """An event replayed after a disconnect: the stay ends where the member was last seen."""
    soon = T0 + timedelta(seconds=30)
    late = T0 + STALE_AFTER + timedelta(seconds=1)
    assert reconcile([session(1)], {}, soon, Mode.REPLAY).close == [(1, T0, "lost")]
    left = reconcile([session(1)], {}, late, Mode.REPLAY)
    joined = reconcile([], {1: Seen(ROOM)}, late, Mode.REPLAY)
    stayed = reconcile([session(1)], {1: Seen(ROOM)}, late, Mode.STARTUP)
    assert left.close == [(1, T0, "lost")] and not left.open
    assert joined.open == [(1, Seen(ROOM))]
    assert stayed.close == [(1, T0, "lost")] and stayed.open == [(1, Seen(ROOM))]


def test_live_events_do_not_need_the_heartbeat() -> None:
    """While connected, an event is the truth of the moment, however old ``last_seen_at``."""
    late = T0 + timedelta(hours=3)
    assert reconcile([session(1)], {}, late, Mode.EVENT).close == [(1, late, "left")]


def test_startup_closes_the_absent_where_last_seen() -> None:
    now = T0 + timedelta(seconds=20)  # a quick restart
    plan = reconcile(
        [session(1), session(2), session(3, channel=OTHER)],
        {2: Seen(ROOM), 3: Seen(ROOM), 4: Seen(OTHER)},
        now,
        Mode.STARTUP,
    )
    assert plan.close == [(1, T0, "lost"), (3, T0, "moved")]
    assert plan.keep == [2]  # a quick restart keeps a stay whole
    assert plan.open == [(3, Seen(ROOM)), (4, Seen(OTHER))]


def test_the_heartbeat_waits_for_a_leave_event_in_flight() -> None:
    soon = T0 + timedelta(seconds=60)
    assert reconcile([session(1)], {}, soon, Mode.HEARTBEAT).empty
    assert reconcile([session(1)], {1: Seen(OTHER)}, soon, Mode.HEARTBEAT).empty
    late = T0 + STALE_AFTER + timedelta(seconds=1)
    assert reconcile([session(1)], {}, late, Mode.HEARTBEAT).close == [(1, T0, "lost")]
    assert reconcile([session(1)], {1: Seen(ROOM)}, soon, Mode.HEARTBEAT).keep == [1]
    # connected all along: a member still there is confirmed, however long since last seen
    assert reconcile([session(1)], {1: Seen(ROOM)}, late, Mode.HEARTBEAT).keep == [1]


# -- check-ins ------------------------------------------------------------------------------
def test_check_in_states() -> None:
    assert next_status(None, "start") == "started"
    assert next_status("started", "start") is None  # pressed again: nothing changes
    assert next_status("started", "done") == "done"
    assert next_status("skipped", "done") == "done"  # Done after Skip changes it
    assert next_status("skipped", "start") == "started"
    assert next_status("started", "skip") == "skipped"
    for action in ("start", "done", "skip"):
        assert next_status("done", action) is None  # done is final


def test_minutes_split_evenly() -> None:
    assert split_minutes(50, 2) == [25, 25]
    assert split_minutes(10, 3) == [4, 3, 3]
    assert sum(split_minutes(91, 4)) == 91
