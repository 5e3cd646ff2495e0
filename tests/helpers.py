"""Shared test helpers: cohort rows, members, reply text, handled errors, the post pipeline."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from discord import app_commands

from bot.app import CoachBot
from bot.models import Cohort, GuildConfig, Member
from bot.scheduling.pipeline import PostPipeline
from bot.scheduling.sender import DiscordSender


async def make_cohort(guild_id: int, channel_id: int, **kw: Any) -> Cohort:
    """A cohort row starting Mon 2027-01-04 in Berlin; keyword arguments override fields."""
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


async def join(cohort: Cohort, user_id: int) -> Member:
    await cohort.fetch_related("guild")
    return await Member.create(guild=cohort.guild, user_id=user_id, cohort=cohort)


def reply_text(result: Any) -> str:
    """Everything a reply says: content, titles, fields and footers."""
    response = result.response
    parts = [response.content]
    for e in response.embeds:
        parts += [e.title or "", e.footer.text or ""]
        parts += [f"{f.name}: {f.value}" for f in e.fields]
    return "\n".join(parts)


def expect_errors(env: Any, *types: type[BaseException]) -> list[BaseException]:
    """Acknowledge the errors the bot handled (simcord records every tree error).

    Asserts each one, unwrapped from CommandInvokeError, is one of ``types``.
    """
    with pytest.raises(ExceptionGroup) as caught:
        env.raise_errors()
    found = [
        e.original if isinstance(e, app_commands.CommandInvokeError) else e
        for e in caught.value.exceptions
    ]
    assert all(isinstance(e, types) for e in found), found
    return found


WAITS: list[float] = []  # what senders built by pipeline_for would have slept, in order


async def no_wait(seconds: float) -> None:
    WAITS.append(seconds)


def pipeline_for(bot: CoachBot, grace_hours: float = 6) -> PostPipeline:
    """The real pipeline and sender; retry waits are recorded in ``WAITS``, not slept."""
    sender = DiscordSender(bot, sleep=no_wait)
    return PostPipeline(bot.curriculum, sender, grace=timedelta(hours=grace_hours))


def bot_posts(channel: Any) -> list[Any]:
    return [m for m in channel.history() if m.author.bot]
