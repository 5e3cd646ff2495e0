"""The bot's LeetCode side: paced clients, the global pause and the polling loop.

One :class:`LeetCodeService` per bot (``get_service``). Every request goes through one shared
:class:`RequestPacer` (about one request a second overall). The :class:`LeetCodePoller`
service puts :meth:`LeetCodeService.tick` into the post scheduler every ``TICK_SECONDS``; a
tick polls the links that are due by ``next_poll_at`` — only those of this process's shards
(``bot.shards``), so several shard processes poll each link once between them. Every time
decision uses the bot's injected clock, so tests call :meth:`LeetCodeService.poll_due`
directly.
"""

from __future__ import annotations

import asyncio
import logging
import random
import weakref
from datetime import datetime, timedelta
from typing import Final

import aiohttp
from apscheduler.triggers.interval import IntervalTrigger

from bot.core.ratelimit import RateLimiter
from bot.failures import is_database_error
from bot.leetcode import policy
from bot.leetcode.client import AcceptedSubmission, LeetCodeClient, QuestionMeta, Site
from bot.leetcode.errors import Blocked
from bot.leetcode.models import LeetCodeLink
from bot.leetcode.polling import PollOutcome, poll_link, record_crash
from bot.metrics import METRICS
from bot.runtime.host import Host
from bot.scheduling.runner import PostScheduler
from bot.shards import ShardScope

log = logging.getLogger(__name__)

TICK_SECONDS: Final = 30.0
REQUEST_INTERVAL: Final = 1.0  # seconds between two requests, across all members
SYNC_COOLDOWN: Final = timedelta(minutes=5)  # /leetcode sync, per member
VERIFY_COOLDOWN: Final = timedelta(seconds=10)  # Verify presses, per member


class PacedClient:
    """A :class:`LeetCodeClient` whose every request waits for the shared pacer first."""

    def __init__(self, client: LeetCodeClient, pacer: policy.RequestPacer) -> None:
        self.client = client
        self.pacer = pacer

    async def recent_accepted(self, username: str, limit: int) -> list[AcceptedSubmission]:
        await self.pacer.wait()
        return await self.client.recent_accepted(username, limit)

    async def question(self, slug: str) -> QuestionMeta:
        await self.pacer.wait()
        return await self.client.question(slug)

    async def profile_text(self, username: str) -> str:
        await self.pacer.wait()
        return await self.client.profile_text(username)


class LeetCodeService:
    def __init__(
        self,
        bot: Host,
        *,
        pacer: policy.RequestPacer | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.bot = bot
        self.pacer = pacer or policy.RequestPacer(REQUEST_INTERVAL)
        self.rng = rng or random.SystemRandom()  # codes must not be predictable
        self.paused_until: datetime | None = None
        self.pause_reason: str | None = None
        self._session: aiohttp.ClientSession | None = None
        self._locks: dict[int, asyncio.Lock] = {}
        self.sync_limiter = RateLimiter(1, SYNC_COOLDOWN, bot.clock)
        self.verify_limiter = RateLimiter(1, VERIFY_COOLDOWN, bot.clock)

    # -- clients and the global pause ----------------------------------------------------
    def base_url(self, site: str) -> str:
        settings = self.bot.settings
        return (
            settings.leetcode_cn_base_url if site == "leetcode.cn" else settings.leetcode_base_url
        )

    def profile_url(self, site: str, username: str) -> str:
        return f"{self.base_url(site).rstrip('/')}/u/{username}/"

    def client(self, site: Site) -> PacedClient:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
        return PacedClient(LeetCodeClient(self._session, self.base_url(site), site), self.pacer)

    def paused(self, now: datetime) -> bool:
        return self.paused_until is not None and now < self.paused_until

    def pause(self, now: datetime, exc: Blocked) -> datetime:
        """Stop every request for 30–60 minutes after LeetCode blocked one."""
        until = now + policy.block_pause(self.rng)
        if self.paused_until is None or until > self.paused_until:
            self.paused_until = until
        self.pause_reason = exc.detail[:200]
        log.warning("LeetCode blocked a request (%s); polling paused until %s", exc, until)
        return self.paused_until

    def lock(self, link_id: int) -> asyncio.Lock:
        """One poll (or unlink) of a link at a time."""
        return self._locks.setdefault(link_id, asyncio.Lock())

    # -- polling ---------------------------------------------------------------------------
    async def poll_due(self, now: datetime) -> int:
        """Poll every link due at ``now``, one after another; the number polled.

        One member's failure is logged and recorded on their link, never stops the others.
        A block pauses everything: the remaining links wait for the pause to end.
        """
        if self.paused(now):
            return 0
        self.paused_until = self.pause_reason = None  # any pause is over
        rows = (
            await LeetCodeLink.filter(
                verified_at__isnull=False,
                next_poll_at__lte=now,
                member__left_at__isnull=True,
                member__cohort_id__isnull=False,
                guild__left_at__isnull=True,
            )
            .order_by("next_poll_at", "id")
            .values_list("id", "guild__guild_id")
        )
        scope = ShardScope.of(self.bot.settings)  # another shard's process polls the rest
        due = [int(link_id) for link_id, guild_id in rows if scope.owns(int(guild_id))]
        polled = 0
        for link_id in due:
            if self.paused(now):
                break
            polled += 1
            try:
                outcome: PollOutcome = await poll_link(self, link_id, now)
            except Exception:
                log.exception("LeetCode poll of link %s failed", link_id)
                METRICS.leetcode_polls.labels("crashed").inc()
                await record_crash(link_id, now)
                continue
            METRICS.leetcode_polls.labels(outcome.status).inc()
        return polled

    async def tick(self) -> None:
        """One scheduled pass; a failure is logged and the next tick tries again."""
        try:
            await self.poll_due(self.bot.clock())
        except Exception as exc:  # the database was away, say
            log.exception("LeetCode poll pass failed")
            if is_database_error(exc):
                METRICS.database_errors.labels("leetcode").inc()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


_services: weakref.WeakKeyDictionary[Host, LeetCodeService] = weakref.WeakKeyDictionary()


def get_service(bot: Host) -> LeetCodeService:
    """The bot's service, created on first use (its HTTP session only on the first request)."""
    service = _services.get(bot)
    if service is None:
        service = _services[bot] = LeetCodeService(bot)
    return service


def install_service(bot: Host, service: LeetCodeService) -> None:
    """Use ``service`` for ``bot`` (tests: a pacer without waits, a seeded rng)."""
    _services[bot] = service


async def stop_polling(bot: Host) -> None:
    """Close the HTTP session (safe when nothing was started)."""
    service = _services.pop(bot, None)
    if service is not None:
        await service.close()


def polling_status(bot: Host) -> str | None:
    """One line for ``/coach status`` when LeetCode polling is not running normally."""
    if not bot.settings.leetcode_polling:
        return "LeetCode polling is off (`LEETCODE_POLLING=false`); `/leetcode sync` still works."
    service = _services.get(bot)
    now = bot.clock()
    if service is None or not service.paused(now) or service.paused_until is None:
        return None
    until = int(service.paused_until.timestamp())
    reason = f" ({service.pause_reason})" if service.pause_reason else ""
    return (
        f"LeetCode polling is paused until <t:{until}:t> (<t:{until}:R>): LeetCode blocked "
        f"our requests{reason}."
    )


class LeetCodePoller:
    """The poller as a service: a ``leetcode`` job in the post scheduler when polling is on.

    Stopping it also closes the HTTP session, which ``/leetcode`` commands open on demand even
    when polling is off (so the registry stops it in any case).
    """

    name = "leetcode"

    def __init__(self, bot: Host, posts: PostScheduler) -> None:
        self.bot = bot
        self.posts = posts

    async def start(self) -> None:
        if self.bot.settings.leetcode_polling:
            trigger = IntervalTrigger(seconds=TICK_SECONDS)
            self.posts.add_periodic(self.name, get_service(self.bot).tick, trigger)

    async def stop(self) -> None:
        self.posts.remove_periodic(self.name)
        await stop_polling(self.bot)
