"""Study sessions: the check-in buttons, voice study-room time and /studytime.

Voice state updates and the gateway's life cycle (ready, resumed, disconnect) go to the
voice tracker (:mod:`bot.sessions.tracker`); the buttons are registered here so they work
on posts sent before a restart.
"""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.app import CoachBot
from bot.checks import member_cooldown
from bot.core.voice import Mode, planned
from bot.failures import STORAGE_ERRORS
from bot.render.replies import send_report
from bot.render.sessions import studytime_report
from bot.services import study_rooms, study_time
from bot.sessions.tracker import VoiceTracker, voice_tracker
from bot.ui.sessions import DYNAMIC_ITEMS, handle_form
from cogs._common import context_for

log = logging.getLogger(__name__)
PERIODS = [
    Choice(name="Today", value="today"),
    Choice(name="This week", value="week"),
    Choice(name="This phase", value="phase"),
]


class Sessions(commands.Cog):
    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot

    @property
    def tracker(self) -> VoiceTracker:
        return voice_tracker(self.bot)

    # -- forms -------------------------------------------------------------------------
    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """Check-in and ledger forms are answered by their custom id (even after a restart)."""
        await handle_form(interaction)

    # -- voice -----------------------------------------------------------------------------
    @commands.Cog.listener()
    async def on_voice_state_update(
        self, member: discord.Member, before: discord.VoiceState, after: discord.VoiceState
    ) -> None:
        if member.bot:
            return
        try:
            await self.tracker.on_voice_state(
                member.guild,
                member.id,
                before.channel.id if before.channel is not None else None,
                after.channel.id if after.channel is not None else None,
                bool(after.self_deaf),
            )
        except STORAGE_ERRORS:  # the heartbeat reconciles it once the database is back
            log.exception("voice: recording an event of %s failed", member.id)

    async def _reconcile(self, shard_id: int | None = None) -> None:
        self.tracker.connected(shard_id)
        await self.tracker.reconcile_all(Mode.STARTUP, shard_id)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        await self._reconcile()

    @commands.Cog.listener()
    async def on_resumed(self) -> None:
        await self._reconcile()

    @commands.Cog.listener()
    async def on_shard_ready(self, shard_id: int) -> None:
        await self._reconcile(shard_id)

    @commands.Cog.listener()
    async def on_shard_resumed(self, shard_id: int) -> None:
        await self._reconcile(shard_id)

    @commands.Cog.listener()
    async def on_disconnect(self) -> None:
        self.tracker.disconnected()

    @commands.Cog.listener()
    async def on_shard_disconnect(self, shard_id: int) -> None:
        self.tracker.disconnected(shard_id)

    @commands.Cog.listener()
    async def on_guild_available(self, guild: discord.Guild) -> None:
        await self._reconcile_guild(guild)

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self._reconcile_guild(guild)  # back in a server: its stays were unseen meanwhile

    async def _reconcile_guild(self, guild: discord.Guild) -> None:
        try:
            await self.tracker.reconcile_guild(guild, Mode.STARTUP)
        except STORAGE_ERRORS:
            log.exception("voice: reconciling guild %s failed", guild.id)

    # -- /studytime ----------------------------------------------------------------------
    @app_commands.command(name="studytime")
    @app_commands.guild_only()
    @member_cooldown(5, 60)
    @app_commands.describe(period="Today, this program week (default) or this phase")
    @app_commands.choices(period=PERIODS)
    async def studytime(self, interaction: discord.Interaction[Any], period: str = "week") -> None:
        """Your time in study rooms and blocks done, against the roadmap's planned hours."""
        ctx = await context_for(self.bot, interaction)
        curriculum = self.bot.curriculum
        now = self.bot.clock()
        first, last = study_time.period_days(ctx.calendar, curriculum, ctx.today, period)
        shown = min(last, ctx.today)
        ignore = await study_rooms.ignores_deafened(ctx.cohort.id)
        by_day, in_room = await study_time.seconds_by_day(
            ctx.member.id, first, last, ctx.zone, ignore, now
        )
        so_far, blocks_planned = (
            planned(ctx.calendar, curriculum, first, shown) if shown >= first else (0, 0)
        )
        total, _ = planned(ctx.calendar, curriculum, first, last)
        assert interaction.guild_id is not None
        rooms = await self.tracker.rooms(interaction.guild_id)
        report = studytime_report(
            period,
            first,
            last,
            ctx.today,
            by_day,
            so_far,
            total,
            await study_time.blocks_done(ctx.member.id, first, last),
            blocks_planned,
            in_room,
            {day: ctx.calendar.counting_week(day) for day in by_day},
            any(r.cohort_id == ctx.cohort.id for r in rooms.values()),
        )
        await send_report(interaction, report)


async def setup(bot: CoachBot) -> None:
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    await bot.add_cog(Sessions(bot))


async def teardown(bot: CoachBot) -> None:
    bot.remove_dynamic_items(*DYNAMIC_ITEMS)
