"""Small helpers the cogs share (not an extension: modules starting with ``_`` are skipped)."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.app_commands import Choice

from bot.app import CoachBot
from bot.core.calendar import local_date
from bot.core.entries import when_choices
from bot.errors import UserFacingError
from bot.models import Cohort
from bot.render.fit import CONTENT_MAX, shorten
from bot.render.replies import send_text
from bot.services.progress import MemberContext, member_context
from bot.services.setup import cohort_names

log = logging.getLogger(__name__)
NO_MENTIONS = discord.AllowedMentions.none()


async def context_for(bot: CoachBot, interaction: discord.Interaction) -> MemberContext:
    """The caller's membership context (raises NotAMember with how to join)."""
    assert interaction.guild_id is not None  # every logging command is guild_only
    return await member_context(
        interaction.guild_id, interaction.user.id, bot.curriculum, bot.clock()
    )


async def reply(
    interaction: discord.Interaction, text: str, view: discord.ui.View | None = None
) -> None:
    """A private reply with mentions disabled (split into follow-ups if it is long)."""
    await send_text(interaction, text, view=view)


async def announce(bot: CoachBot, cohort: Cohort, text: str) -> None:
    """A public line in the cohort's channel; a failure here never undoes the entry."""
    channel = bot.get_channel(cohort.channel_id)
    if not isinstance(channel, discord.abc.Messageable):
        return
    try:
        await channel.send(shorten(text, CONTENT_MAX), allowed_mentions=NO_MENTIONS)
    except discord.HTTPException:
        log.warning("could not post a public line in channel %s", cohort.channel_id)


def coach_group(bot: CoachBot) -> app_commands.Group:
    """The ``/coach`` group (cogs.coach), which other cogs attach admin subcommands to."""
    group = bot.tree.get_command("coach")
    if not isinstance(group, app_commands.Group):
        raise RuntimeError("cogs.coach must be loaded before the cogs that extend /coach")
    return group


async def cohort_choices(interaction: discord.Interaction[Any], current: str) -> list[Choice[str]]:
    """This server's cohorts matching what was typed (autocomplete for ``cohort`` options)."""
    assert interaction.guild_id is not None
    return [Choice(name=n, value=n) for n in await cohort_names(interaction.guild_id, current)]


def choices_of(values: dict[str, str]) -> list[Choice[str]]:
    """Slash-command choices from a {value: label} table."""
    return [Choice(name=label, value=key) for key, label in values.items()]


async def _optional_context(
    bot: CoachBot, interaction: discord.Interaction
) -> MemberContext | None:
    if interaction.guild_id is None:
        return None
    try:
        return await context_for(bot, interaction)
    except UserFacingError:
        return None


async def member_week(bot: CoachBot, interaction: discord.Interaction) -> int | None:
    """The caller's current program week, for ordering autocomplete choices."""
    ctx = await _optional_context(bot, interaction)
    return ctx.this_week if ctx else None


async def member_today(bot: CoachBot, interaction: discord.Interaction) -> date:
    ctx = await _optional_context(bot, interaction)
    if ctx is not None:
        return ctx.today
    return local_date(bot.clock(), ZoneInfo(bot.settings.default_timezone))


async def when_autocomplete(
    bot: CoachBot, interaction: discord.Interaction, current: str
) -> list[Choice[str]]:
    """today, yesterday and the last days, in the caller's zone."""
    today = await member_today(bot, interaction)
    q = current.strip().lower()
    return [
        Choice(name=label, value=value)
        for label, value in when_choices(today)
        if q in label.lower() or q in value
    ]
