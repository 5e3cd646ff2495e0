"""How often and how politely to poll LeetCode. Pure: time and randomness are injected."""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Final

from bot.leetcode.client import AcceptedSubmission

POLL_INTERVAL: Final = timedelta(minutes=20)
IDLE_POLL_INTERVAL: Final = timedelta(minutes=60)
IDLE_AFTER: Final = timedelta(days=7)
JITTER: Final = 0.2  # ± fraction of the interval

BACKOFF_BASE: Final = timedelta(minutes=1)
BACKOFF_CAP: Final = timedelta(minutes=60)

BLOCK_PAUSE_MIN: Final = timedelta(minutes=30)
BLOCK_PAUSE_MAX: Final = timedelta(minutes=60)

RECENT_LIMIT: Final = 20  # what recent_accepted asks for by default


def next_poll_delay(last_activity: datetime | None, now: datetime, rng: random.Random) -> timedelta:
    """Delay before polling a member again: 20 min ± 20 %, or 60 min ± 20 % when idle.

    ``last_activity`` is the member's latest import or solve. The member is idle when it is
    more than 7 days before ``now``. ``None`` (nothing known yet) counts as active; callers
    that want a linked-but-silent member to go idle should pass the link time instead.
    """
    _require_aware(now, "now")
    base = POLL_INTERVAL
    if last_activity is not None:
        _require_aware(last_activity, "last_activity")
        if now - last_activity > IDLE_AFTER:
            base = IDLE_POLL_INTERVAL
    return base * (1 + rng.uniform(-JITTER, JITTER))


def backoff_delay(failures: int, retry_after: float | None) -> timedelta:
    """Delay after ``failures`` consecutive failures (counting the one just seen).

    1, 2, 4, 8 … minutes, capped at 60. A server-provided ``retry_after`` (seconds) wins
    when it is longer, but is capped at 60 minutes too. ``failures < 1`` is treated as 1.
    """
    exponent = min(max(failures, 1) - 1, 16)  # 2**16 min is far past the cap already
    delay = min(BACKOFF_BASE * (1 << exponent), BACKOFF_CAP)
    if retry_after is not None and math.isfinite(retry_after) and retry_after > 0:
        delay = max(delay, min(timedelta(seconds=retry_after), BACKOFF_CAP))
    return delay


def block_pause(rng: random.Random) -> timedelta:
    """A random pause of 30–60 minutes after LeetCode blocked a request."""
    low = BLOCK_PAUSE_MIN.total_seconds()
    high = BLOCK_PAUSE_MAX.total_seconds()
    return timedelta(seconds=rng.uniform(low, high))


def gap_suspected(
    submissions: Sequence[AcceptedSubmission],
    last_seen_at: datetime | None,
    limit: int = RECENT_LIMIT,
) -> bool:
    """True when older accepts may have been missed between two polls.

    ``submissions`` is what one ``recent_accepted(username, limit)`` call returned and
    ``last_seen_at`` the ``submitted_at`` of the newest submission imported before. If the
    poll came back full (``limit`` items) and every item is strictly newer than that mark,
    the window did not reach back to the mark, so submissions in between may be missing.

    With no mark yet (``None``: first import) nothing can be "missing" relative to it, so
    this returns False; the first import simply starts from what the site returns.
    """
    if last_seen_at is None or limit < 1 or len(submissions) < limit:
        return False
    _require_aware(last_seen_at, "last_seen_at")
    return all(s.submitted_at > last_seen_at for s in submissions)


class RequestPacer:
    """Spaces requests at least ``interval`` seconds apart, across all concurrent callers.

    ``await pacer.wait()`` before each request. Callers are served one at a time (FIFO via
    an :class:`asyncio.Lock`); each gets the next free slot ``interval`` after the previous.
    """

    def __init__(
        self,
        interval: float = 1.0,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if not (math.isfinite(interval) and interval >= 0):
            raise ValueError("interval must be a non-negative number of seconds")
        self.interval = interval
        self._monotonic = monotonic
        self._sleep = sleep
        self._lock = asyncio.Lock()
        self._next_free: float | None = None

    async def wait(self) -> None:
        async with self._lock:
            now = self._monotonic()
            if self._next_free is not None and now < self._next_free:
                await self._sleep(self._next_free - now)
                now = max(self._monotonic(), self._next_free)
            self._next_free = now + self.interval


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime")
