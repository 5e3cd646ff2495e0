"""Oops re-reviews and buddy buttons: persistent buttons, and reviews shown inline when a
DM could not be delivered (after the member's next command)."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import CoachBot
from bot.scheduling.reviews import review_text
from bot.services import reviews
from bot.ui.persistent import BuddyButton, ReviewButton, review_view

log = logging.getLogger(__name__)


class Reviews(commands.Cog):
    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_app_command_completion(
        self,
        interaction: discord.Interaction,
        command: app_commands.Command[Any, ..., Any] | app_commands.ContextMenu,
    ) -> None:
        """Show Oops reviews whose DM failed, privately, after any command of their owner."""
        pending = await reviews.take_inline(interaction.user.id, interaction.guild_id)
        for review in pending:
            try:
                await interaction.followup.send(
                    review_text(review),
                    view=review_view(review.id),
                    ephemeral=True,
                    allowed_mentions=discord.AllowedMentions.none(),
                )
            except discord.HTTPException:
                log.warning("could not show Oops review %s inline", review.id, exc_info=True)
                await reviews.restore_inline(review)


async def setup(bot: CoachBot) -> None:
    bot.add_dynamic_items(ReviewButton, BuddyButton)
    await bot.add_cog(Reviews(bot))


async def teardown(bot: CoachBot) -> None:
    bot.remove_dynamic_items(ReviewButton, BuddyButton)
