"""The bot's scheduler: jobs derived from the database, rebuilt on change, catch-up at start."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.app import CoachBot
from bot.core.clock import FixedClock
from bot.models import Cohort, GuildConfig
from bot.settings import Settings
from curriculum.loader import Curriculum
from tests.helpers import bot_posts

NOW = datetime(2027, 2, 3, 6, 0, tzinfo=UTC)


@pytest.fixture
async def simcord_bot(
    settings: Settings, curriculum: Curriculum, clock: FixedClock
) -> AsyncIterator[CoachBot]:
    clock.set(NOW)
    yield CoachBot(settings, curriculum, clock=clock, start_scheduler=True, run_migrations=False)


async def test_jobs_rebuilt_and_due_posts_sent(simcord_env, clock: FixedClock) -> None:
    bot: CoachBot = simcord_env.bot
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    config, _ = await GuildConfig.get_or_create(guild_id=guild.id)
    cohort = await Cohort.create(
        guild=config,
        name="main",
        channel_id=channel.id,
        timezone="Europe/Berlin",
        start_date=datetime(2027, 1, 4).date(),
        schedule_from=NOW - timedelta(hours=1),
        setup_user_id=1,
    )
    await bot.scheduler.rebuild(cohort.id)
    ids = {job.id for job in bot.scheduler.scheduler.get_jobs()}
    berlin = {
        "g:Europe/Berlin|mon-fri|07:00",
        "g:Europe/Berlin|mon-fri|19:00",
        "g:Europe/Berlin|sat,sun|10:00",
        "g:Europe/Berlin|sun|20:00",
    }
    assert berlin | {f"c{cohort.id}-next", "sweep"} <= ids
    # a second cohort at the same times shares the four cron jobs
    twin = await Cohort.create(
        guild=config,
        name="twin",
        channel_id=channel.id,
        timezone="Europe/Berlin",
        start_date=datetime(2027, 1, 4).date(),
        schedule_from=NOW,
        setup_user_id=1,
    )
    await bot.scheduler.rebuild(twin.id)
    grouped = {j.id for j in bot.scheduler.scheduler.get_jobs() if j.id.startswith("g:")}
    assert grouped == berlin
    await twin.delete()
    await bot.scheduler.rebuild(twin.id)
    outcomes = await bot.scheduler.run_all()
    assert [o.key for o in outcomes] == ["2027-02-03/block_a"]
    assert len(bot_posts(channel)) == 1
    next_job = bot.scheduler.scheduler.get_job(f"c{cohort.id}-next")
    assert next_job.trigger.run_date.astimezone(UTC) == datetime(2027, 2, 3, 18, 0, tzinfo=UTC)
    await Cohort.filter(id=cohort.id).delete()
    await bot.scheduler.rebuild(cohort.id)
    left = [j.id for j in bot.scheduler.scheduler.get_jobs()]
    assert not [i for i in left if i.startswith(("g:", f"c{cohort.id}-"))]
    await bot.close()
