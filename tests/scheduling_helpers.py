"""Helpers for scheduling tests: a cohort row and a pipeline bound to the simcord bot."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.app import CoachBot
from bot.models import Cohort, GuildConfig
from bot.scheduling.pipeline import PostPipeline
from bot.scheduling.sender import DiscordSender


async def make_cohort(guild_id: int, channel_id: int, **kw: Any) -> Cohort:
    config, _ = await GuildConfig.get_or_create(guild_id=guild_id)
    values: dict[str, Any] = {
        "name": "main",
        "timezone": "Europe/Berlin",
        "start_date": date(2027, 1, 4),
        "schedule_from": datetime(2027, 1, 1, tzinfo=UTC),
        "setup_user_id": 1,
    }
    values.update(kw)
    return await Cohort.create(guild=config, channel_id=channel_id, **values)


def pipeline_for(bot: CoachBot, grace_hours: float = 6) -> PostPipeline:
    return PostPipeline(bot.curriculum, DiscordSender(bot), grace=timedelta(hours=grace_hours))


def bot_posts(channel: Any) -> list[Any]:
    return [m for m in channel.history() if m.author.bot]
