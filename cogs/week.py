"""/week — a program week at a glance: theme, patterns, targets and one line per day."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import CoachBot
from bot.core.calendar import BeforeStart, InProgram, Paused
from bot.render.cohort import day_label
from bot.render.replies import send_embed_messages
from bot.render.week import week_messages
from bot.services.progress import member_context


class Week(commands.Cog):
    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot

    @app_commands.command(name="week")
    @app_commands.guild_only()
    @app_commands.describe(number="Week number 1–16 (default: your cohort's current week)")
    async def week(
        self,
        interaction: discord.Interaction,
        number: app_commands.Range[int, 1, 16] | None = None,
    ) -> None:
        """Show a program week at a glance: theme, patterns, targets and each day's blocks."""
        note = None
        if number is None:
            assert interaction.guild_id is not None
            number, note = await self._current_week(interaction.guild_id, interaction.user.id)
        number = min(number, self.bot.curriculum.week_count)
        await send_embed_messages(interaction, week_messages(self.bot.curriculum, number, note))

    async def _current_week(self, guild_id: int, user_id: int) -> tuple[int, str | None]:
        ctx = await member_context(guild_id, user_id, self.bot.curriculum, self.bot.clock())
        cohort, calendar = ctx.cohort, ctx.calendar
        pos = calendar.position(ctx.today)
        if isinstance(pos, InProgram):
            return pos.week, f"your current week ({cohort.name})"
        if isinstance(pos, BeforeStart):
            return 1, f"{cohort.name} starts {day_label(pos.starts_on)}"
        if isinstance(pos, Paused):
            resumed = calendar.position(pos.resumes_on)
            week = resumed.week if isinstance(resumed, InProgram) else 1
            return week, f"{cohort.name} resumes {day_label(pos.resumes_on)}"
        return self.bot.curriculum.week_count, f"{cohort.name} has finished the program"


async def setup(bot: CoachBot) -> None:
    await bot.add_cog(Week(bot))
