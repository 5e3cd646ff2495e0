"""No background task dies silently: the watchdog restarts the scheduler and its jobs, and
supervised tasks come back after a crash (logged)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from bot.scheduling.runner import PostScheduler
from bot.scheduling.watchdog import Supervisor, Watchdog
from tests.helpers import make_cohort


@pytest.fixture
async def posts(simcord_env: Any) -> Any:
    """The bot's registered services, started: the scheduler with every periodic job."""
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    cohort = await make_cohort(guild.id, channel.id)
    services = simcord_env.bot.services
    await services.start_all()
    scheduler = services.get("scheduler")
    assert isinstance(scheduler, PostScheduler)
    yield scheduler, cohort
    await services.stop_all()


async def test_watchdog_restarts_a_stopped_scheduler(posts: Any, caplog: Any) -> None:
    scheduler, cohort = posts
    assert await scheduler.missing_jobs() == []
    scheduler.scheduler.shutdown(wait=False)
    await asyncio.sleep(0)  # AsyncIOScheduler stops on the next loop iteration

    repaired = await Watchdog(scheduler).check()

    assert "scheduler" in repaired and scheduler.scheduler.running
    assert await scheduler.missing_jobs() == []
    assert "the scheduler had stopped" in caplog.text


async def test_watchdog_re_adds_missing_jobs(posts: Any, caplog: Any) -> None:
    scheduler, cohort = posts
    scheduler.scheduler.remove_job("g:Europe/Berlin|sun|20:00")  # the recap's cron job
    scheduler.scheduler.remove_job("reviews")

    repaired = await Watchdog(scheduler).check()

    assert repaired == ["g:Europe/Berlin|sun|20:00", "reviews"]
    assert await scheduler.missing_jobs() == []
    assert await Watchdog(scheduler).check() == []  # healthy: nothing to do


async def test_supervisor_restarts_crashed_and_stopped_tasks(caplog: Any) -> None:
    caplog.set_level(logging.INFO)
    runs: list[int] = []
    done = asyncio.Event()

    async def flaky() -> None:
        runs.append(len(runs))
        if len(runs) == 1:
            raise RuntimeError("boom")
        if len(runs) == 2:
            return  # a task that simply stops is restarted too
        done.set()
        await asyncio.Event().wait()

    supervisor = Supervisor(max_backoff=0.01)
    supervisor.supervise("flaky", flaky)
    await asyncio.wait_for(done.wait(), timeout=5)
    await supervisor.close()

    assert len(runs) == 3 and supervisor.restarts["flaky"] == 2
    assert "background task flaky crashed" in caplog.text
    assert "background task flaky stopped" in caplog.text
