"""``METRICS_PORT``: /healthz and Prometheus /metrics, scraped over HTTP and parsed with
prometheus_client's own parser, while the real bot runs its services in simcord."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from apscheduler.triggers.date import DateTrigger
from prometheus_client.parser import text_string_to_metric_families
from tortoise.connection import get_connection

from bot.app import CoachBot
from bot.core.clock import FixedClock
from bot.runtime.endpoint import MetricsServer
from bot.scheduling.runner import PostScheduler
from bot.settings import Settings
from curriculum.loader import Curriculum
from tests.helpers import join, make_cohort

START = datetime(2027, 1, 4, 5, tzinfo=UTC)  # Monday of week 1, before Block-A (07:00 Berlin)


@pytest.fixture
async def simcord_bot(
    tmp_path: Path, db_url: str, curriculum: Curriculum, clock: FixedClock
) -> AsyncIterator[CoachBot]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        database_url=db_url,
        metrics_port=0,  # any free port
        leetcode_polling=False,
    )
    bot = CoachBot(settings, curriculum, clock=clock, start_scheduler=False)
    yield bot
    await bot.close()


@pytest.fixture
async def running(simcord_env: Any) -> AsyncIterator[tuple[PostScheduler, str]]:
    """The bot's services started; the endpoint's base URL."""
    services = simcord_env.bot.services
    await services.start_all()
    posts = services.get("scheduler")
    server = services.get("metrics")
    assert isinstance(posts, PostScheduler) and isinstance(server, MetricsServer)
    yield posts, f"http://127.0.0.1:{server.bound_port}"
    await services.stop_all()


async def fetch(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.text()


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            found[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return found


async def scrape(base: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    status, text = await fetch(f"{base}/metrics")
    assert status == 200
    return samples(text)


def value(found: dict[Any, float], name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


async def test_metrics_count_posts_commands_and_scheduler_lag(
    running: tuple[PostScheduler, str], simcord_env: Any, clock: FixedClock
) -> None:
    posts, base = running
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    alice = guild.add_member(simcord_env.create_user("alice"))
    cohort = await make_cohort(guild.id, channel.id, schedule_from=START)
    await join(cohort, alice.id)
    before = await scrape(base)

    # a scheduled post: Monday's Block-A (and the week's opening) go out
    clock.set(START + timedelta(hours=1, minutes=1))
    outcomes = await posts.run_cohort(cohort.id)
    assert outcomes and {o.status for o in outcomes} == {"sent"}
    assert "2027-01-04/block_a" in [o.key for o in outcomes]
    # a slash command
    await alice.slash(channel, "week")
    # a job handed over by APScheduler
    ran = asyncio.Event()

    async def job() -> None:
        ran.set()

    posts.scheduler.add_job(job, DateTrigger(run_date=datetime.now(UTC)))
    await asyncio.wait_for(ran.wait(), 10)

    after = await scrape(base)
    sent = ("coach_posts_total", {"slot": "block_a", "outcome": "sent"})
    assert value(after, sent[0], **sent[1]) - value(before, sent[0], **sent[1]) == 1
    week = value(after, "coach_command_duration_seconds_count", command="week")
    assert week - value(before, "coach_command_duration_seconds_count", command="week") == 1
    assert value(after, "coach_scheduler_lag_seconds_count") >= 1
    assert value(after, "coach_scheduler_running") == 1
    assert value(after, "coach_guilds") >= 1
    assert ("coach_gateway_latency_seconds", ()) in after


async def test_healthz_reports_each_part(
    running: tuple[PostScheduler, str], simcord_env: Any
) -> None:
    posts, base = running
    status, text = await fetch(f"{base}/healthz")
    body = json.loads(text)
    assert body == {"status": "ok", "gateway": True, "scheduler": True, "database": True}
    assert status == 200

    posts.scheduler.shutdown(wait=False)
    await asyncio.sleep(0)  # AsyncIOScheduler stops on the next loop iteration
    status, text = await fetch(f"{base}/healthz")
    assert status == 503 and json.loads(text)["scheduler"] is False


@pytest.mark.sqlite  # a read-only SQLite database is the fault
async def test_database_errors_are_counted(
    running: tuple[PostScheduler, str], simcord_env: Any, clock: FixedClock
) -> None:
    _, base = running
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    alice = guild.add_member(simcord_env.create_user("alice"))
    await join(await make_cohort(guild.id, channel.id), alice.id)
    before = value(await scrape(base), "coach_database_errors_total", where="command")
    conn = get_connection("default")
    await conn.execute_script("PRAGMA query_only = ON")
    result = await alice.slash(channel, "ledger", text="while read-only")
    await conn.execute_script("PRAGMA query_only = OFF")
    _ = simcord_env.errors  # handled (and logged) by the tree
    assert "Couldn't save" in result.response.content
    after = value(await scrape(base), "coach_database_errors_total", where="command")
    assert after - before == 1


async def test_a_busy_metrics_port_is_one_clear_line(
    settings: Settings, curriculum: Curriculum
) -> None:
    import socket

    from bot.failures import ConfigError
    from bot.metrics import Metrics

    bot = CoachBot(settings, curriculum, start_scheduler=False, run_migrations=False)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        server = MetricsServer(bot, None, port=port, metrics=Metrics())
        with pytest.raises(ConfigError, match=f"METRICS_PORT: can't listen on 127.0.0.1:{port}"):
            await server.start()
    await bot.close()
