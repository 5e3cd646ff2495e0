"""/today — the member's blocks for their local today."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import CoachBot
from bot.core.calendar import InProgram
from bot.core.posts import plan_day
from bot.render.cohort import off_program_text
from bot.render.embeds import post_messages
from bot.render.replies import send_embed_messages
from bot.services.progress import member_context


class Today(commands.Cog):
    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot

    @app_commands.command(name="today")
    @app_commands.guild_only()
    async def today(self, interaction: discord.Interaction) -> None:
        """Show today's study blocks for your cohort, in your time zone."""
        assert interaction.guild_id is not None
        ctx = await member_context(
            interaction.guild_id, interaction.user.id, self.bot.curriculum, self.bot.clock()
        )
        cohort = ctx.cohort
        pos = ctx.calendar.position(ctx.today)
        if not isinstance(pos, InProgram):
            text = off_program_text(pos, "Today", self.bot.curriculum.week_count)
            await interaction.response.send_message(
                f"**{discord.utils.escape_markdown(cohort.name)}**: {text}",
                ephemeral=True,
                allowed_mentions=discord.AllowedMentions.none(),
            )
            return
        messages = [m for p in plan_day(pos, self.bot.curriculum) for m in post_messages(p)]
        await send_embed_messages(interaction, messages)


async def setup(bot: CoachBot) -> None:
    await bot.add_cog(Today(bot))
