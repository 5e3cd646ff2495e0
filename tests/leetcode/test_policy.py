"""Polling policy: jittered intervals, backoff, block pauses, gap detection, request pacing."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

import pytest

from bot.leetcode.client import AcceptedSubmission
from bot.leetcode.policy import (
    RequestPacer,
    backoff_delay,
    block_pause,
    gap_suspected,
    next_poll_delay,
)

NOW = datetime(2027, 2, 3, 12, 0, tzinfo=UTC)
SEEDS = range(300)


def _minutes(delta: timedelta) -> float:
    return delta.total_seconds() / 60


@pytest.mark.parametrize(
    "last_activity", [NOW, NOW - timedelta(days=1), NOW - timedelta(days=7), None]
)
def test_active_member_polled_every_20_minutes_with_jitter(last_activity: datetime | None) -> None:
    delays = [_minutes(next_poll_delay(last_activity, NOW, random.Random(s))) for s in SEEDS]
    assert all(16 <= d <= 24 for d in delays)
    assert min(delays) < 17 and max(delays) > 23  # the jitter really spans ±20 %
    assert len(set(delays)) > 100


@pytest.mark.parametrize("idle_for", [timedelta(days=7, seconds=1), timedelta(days=400)])
def test_idle_member_polled_hourly(idle_for: timedelta) -> None:
    delays = [_minutes(next_poll_delay(NOW - idle_for, NOW, random.Random(s))) for s in SEEDS]
    assert all(48 <= d <= 72 for d in delays)
    assert min(delays) < 50 and max(delays) > 70


def test_poll_delay_is_deterministic_for_a_seed() -> None:
    a = next_poll_delay(None, NOW, random.Random(7))
    assert a == next_poll_delay(None, NOW, random.Random(7))


def test_poll_delay_needs_aware_datetimes() -> None:
    with pytest.raises(ValueError):
        next_poll_delay(None, datetime(2027, 1, 1), random.Random(1))
    with pytest.raises(ValueError):
        next_poll_delay(datetime(2027, 1, 1), NOW, random.Random(1))


@pytest.mark.parametrize(
    ("failures", "minutes"),
    [(0, 1), (1, 1), (2, 2), (3, 4), (4, 8), (5, 16), (6, 32), (7, 60), (8, 60), (10**6, 60)],
)
def test_backoff_doubles_and_caps(failures: int, minutes: int) -> None:
    assert backoff_delay(failures, None) == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("failures", "retry_after", "expected"),
    [
        (1, 300.0, timedelta(minutes=5)),  # server asks for longer: honoured
        (3, 30.0, timedelta(minutes=4)),  # server asks for less: our backoff wins
        (1, 10 * 3600.0, timedelta(minutes=60)),  # capped
        (1, 90.5, timedelta(seconds=90.5)),
        (2, -5.0, timedelta(minutes=2)),  # nonsense ignored
        (2, float("nan"), timedelta(minutes=2)),
        (2, float("inf"), timedelta(minutes=2)),
    ],
)
def test_backoff_honours_retry_after(
    failures: int, retry_after: float, expected: timedelta
) -> None:
    assert backoff_delay(failures, retry_after) == expected


def test_block_pause_between_30_and_60_minutes() -> None:
    pauses = [_minutes(block_pause(random.Random(s))) for s in SEEDS]
    assert all(30 <= p <= 60 for p in pauses)
    assert min(pauses) < 32 and max(pauses) > 58


def _sub(minutes_after_mark: int) -> AcceptedSubmission:
    when = NOW + timedelta(minutes=minutes_after_mark)
    return AcceptedSubmission(str(minutes_after_mark), "T", "t", when, "python3")


def test_gap_suspected_when_full_page_is_all_new() -> None:
    page = [_sub(m) for m in range(20, 0, -1)]
    assert gap_suspected(page, NOW)
    assert gap_suspected(page[:5], NOW, limit=5)


def test_no_gap_when_page_reaches_the_mark() -> None:
    page = [_sub(m) for m in range(19, 0, -1)] + [_sub(0)]  # the last one is the mark itself
    assert not gap_suspected(page, NOW)
    older = [_sub(m) for m in range(19, 0, -1)] + [_sub(-30)]
    assert not gap_suspected(older, NOW)


def test_no_gap_when_page_is_not_full_or_no_mark() -> None:
    assert not gap_suspected([_sub(m) for m in range(19, 0, -1)], NOW)
    assert not gap_suspected([], NOW)
    assert not gap_suspected([_sub(m) for m in range(20, 0, -1)], None)


class FakeTime:
    """Virtual time: it only moves when a sleeper wakes (or the test moves it).

    Sleepers that overlap wake at their own deadlines, so two callers sleeping 1 s at the
    same moment both wake one second later — as with a real clock.
    """

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        wake_at = self.now + seconds
        await asyncio.sleep(0)  # let other callers run (and pile up on the lock) meanwhile
        self.now = max(self.now, wake_at)


async def test_pacer_spaces_sequential_requests() -> None:
    t = FakeTime()
    pacer = RequestPacer(monotonic=t.monotonic, sleep=t.sleep)

    await pacer.wait()  # first request: immediately
    assert t.sleeps == []
    t.now += 0.25
    await pacer.wait()  # 0.25 s later: waits the remaining 0.75 s
    assert t.sleeps == [pytest.approx(0.75)]
    t.now += 5
    await pacer.wait()  # long after: immediately
    assert t.sleeps == [pytest.approx(0.75)]


async def test_pacer_serialises_concurrent_callers() -> None:
    t = FakeTime()
    pacer = RequestPacer(interval=1.0, monotonic=t.monotonic, sleep=t.sleep)
    granted: list[float] = []

    async def request() -> None:
        await pacer.wait()
        granted.append(t.monotonic())

    await asyncio.gather(*(request() for _ in range(6)))

    assert granted == pytest.approx([100.0, 101.0, 102.0, 103.0, 104.0, 105.0])
    assert t.sleeps == pytest.approx([1.0] * 5)


async def test_pacer_custom_interval_and_validation() -> None:
    t = FakeTime()
    pacer = RequestPacer(interval=2.5, monotonic=t.monotonic, sleep=t.sleep)
    await pacer.wait()
    await pacer.wait()
    assert t.sleeps == [2.5]
    with pytest.raises(ValueError):
        RequestPacer(interval=-1)


async def test_pacer_with_real_clock() -> None:
    loop = asyncio.get_running_loop()
    pacer = RequestPacer(interval=0.05)
    start = loop.time()
    await asyncio.gather(pacer.wait(), pacer.wait(), pacer.wait())
    assert loop.time() - start >= 0.09
