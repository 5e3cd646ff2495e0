"""Shard processes schedule only their guilds; overlapping processes never double-post."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from bot.app import CoachBot, ShardedCoachBot, create_bot
from bot.core.clock import FixedClock
from bot.scheduling.runner import PostScheduler
from bot.settings import Settings
from curriculum.loader import Curriculum
from tests.helpers import bot_posts, make_cohort


def guild_on_shard(shard: int, count: int, n: int = 1) -> int:
    return ((n * count + shard) << 22) | 12345


def test_settings_validate_shards(settings: Settings) -> None:
    ok = settings.model_copy(update={"shard_count": 4, "shard_ids": [0, 2]})
    assert ok.shard_ids == [0, 2]
    for bad in ({"shard_ids": [0]}, {"shard_count": 2, "shard_ids": [2]}):
        with pytest.raises(ValidationError):
            Settings.model_validate({**settings.model_dump(), **bad})


def test_create_bot_picks_the_sharded_class(settings: Settings, curriculum: Curriculum) -> None:
    sharded = settings.model_copy(update={"shard_count": 2, "shard_ids": [1]})
    bot = create_bot(sharded, curriculum, start_scheduler=False)
    assert isinstance(bot, ShardedCoachBot) and bot.shard_ids == [1] and bot.shard_count == 2
    assert type(create_bot(settings, curriculum, start_scheduler=False)) is CoachBot


async def test_each_process_schedules_only_its_shards(
    simcord_env: Any, settings: Settings, clock: FixedClock
) -> None:
    bot = simcord_env.bot
    ours = await make_cohort(guild_on_shard(1, 3), 1, name="ours")
    theirs = await make_cohort(guild_on_shard(2, 3), 2, name="theirs")
    bot.settings = settings.model_copy(update={"shard_count": 3, "shard_ids": [0, 1]})
    scheduler = PostScheduler(bot)
    assert [c.id for c in await scheduler._cohorts()] == [ours.id]
    assert scheduler.owns(guild_on_shard(0, 3)) and not scheduler.owns(theirs.guild.guild_id)


async def test_two_overlapping_processes_never_double_post(
    simcord_env: Any, settings: Settings, clock: FixedClock
) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    start = datetime(2027, 1, 4, 5, tzinfo=UTC)
    await make_cohort(guild.id, channel.id, schedule_from=start)
    bot = simcord_env.bot
    shard = (guild.id >> 22) % 2
    # Process A runs both shards (a rolling deploy), process B only this guild's shard.
    a = PostScheduler(bot)
    b = PostScheduler(bot)
    a.bot.settings = settings.model_copy(update={"shard_count": 2, "shard_ids": [0, 1]})
    assert b.owns(guild.id) and a.owns(guild.id) and shard in (0, 1)
    instant = start
    for _ in range(3 * 24 * 4):  # three days in 15-minute steps, both sweeping at once
        instant += timedelta(minutes=15)
        clock.set(instant)
        await asyncio.gather(a.run_all(), b.run_all())
    titles = [m.embeds[0].title for m in bot_posts(channel) if m.embeds]
    assert len(titles) == len(set(titles)) == 7  # kickoff + 3 days × 2 blocks
