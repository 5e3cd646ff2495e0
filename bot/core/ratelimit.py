"""A per-key sliding-window rate limit on an injected clock (no wall time inside)."""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable
from datetime import datetime, timedelta

from bot.core.clock import Clock


class RateLimiter:
    """At most ``limit`` hits per ``per`` for each key."""

    def __init__(self, limit: int, per: timedelta, clock: Clock) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self.per = per
        self.clock = clock
        self._hits: dict[Hashable, deque[datetime]] = {}

    def hit(self, key: Hashable) -> float | None:
        """Record a hit; ``None`` when allowed, else the seconds until the next is allowed."""
        now = self.clock()
        hits = self._hits.setdefault(key, deque())
        while hits and now - hits[0] >= self.per:
            hits.popleft()
        if len(hits) >= self.limit:
            return max((hits[0] + self.per - now).total_seconds(), 0.1)
        hits.append(now)
        if len(self._hits) > 10_000:  # forget idle keys now and then
            self._hits = {k: v for k, v in self._hits.items() if v and now - v[-1] < self.per}
        return None
