"""No background work dies silently: supervised tasks restart, the scheduler is checked.

``Supervisor.supervise(name, factory)`` runs ``factory()`` as a task and, whenever it ends
(crash or unexpected return), logs it and starts it again after a capped backoff. The
``Watchdog`` is one such task: every minute it checks that APScheduler is running and that
every expected job exists, restarting or re-adding what is missing (and logging it).
:class:`SupervisedTask` makes any such loop a service of the registry (one line in
``bot.runtime.background``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bot.scheduling.runner import PostScheduler

log = logging.getLogger(__name__)
Factory = Callable[[], Awaitable[None]]


class Supervisor:
    def __init__(self, *, max_backoff: float = 60.0) -> None:
        self.max_backoff = max_backoff
        self.tasks: dict[str, asyncio.Task[None]] = {}
        self.restarts: dict[str, int] = {}
        self._closing = False

    def supervise(self, name: str, factory: Factory) -> None:
        self.tasks[name] = asyncio.get_running_loop().create_task(
            self._keep_running(name, factory), name=f"supervised:{name}"
        )

    async def _keep_running(self, name: str, factory: Factory) -> None:
        failures = 0
        while not self._closing:
            try:
                await factory()
                log.error("background task %s stopped; restarting it", name)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("background task %s crashed; restarting it", name)
            failures += 1
            self.restarts[name] = self.restarts.get(name, 0) + 1
            await asyncio.sleep(min(self.max_backoff, 0.5 * 2 ** min(failures, 8)))

    async def close(self) -> None:
        self._closing = True
        for task in self.tasks.values():
            task.cancel()
        for task in self.tasks.values():
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self.tasks.clear()


class SupervisedTask:
    """A service running ``factory()`` under a :class:`Supervisor` (restarted if it ends)."""

    def __init__(self, name: str, factory: Factory, *, max_backoff: float = 60.0) -> None:
        self.name = name
        self.factory = factory
        self.supervisor = Supervisor(max_backoff=max_backoff)

    async def start(self) -> None:
        self.supervisor = Supervisor(max_backoff=self.supervisor.max_backoff)
        self.supervisor.supervise(self.name, self.factory)

    async def stop(self) -> None:
        await self.supervisor.close()


class Watchdog:
    """Keeps the post scheduler and its jobs alive."""

    def __init__(self, posts: PostScheduler, interval: float = 60.0) -> None:
        self.posts = posts
        self.interval = interval

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            await self.check()

    async def check(self) -> list[str]:
        """Repair what is wrong; returns what was repaired (for logs and tests)."""
        repaired: list[str] = []
        scheduler = self.posts.scheduler
        if not scheduler.running:
            log.error("the scheduler had stopped; starting it again")
            await self.posts.restart()
            repaired.append("scheduler")
        missing = await self.posts.missing_jobs()
        for job_id in missing:
            log.error("scheduler job %s was missing; adding it again", job_id)
        if missing:
            await self.posts.add_missing_jobs()
            repaired += missing
        return repaired


def watchdog_service(posts: PostScheduler, interval: float = 60.0) -> SupervisedTask:
    """The watchdog as a service: checks ``posts`` every ``interval`` seconds."""
    return SupervisedTask("watchdog", Watchdog(posts, interval).run)
