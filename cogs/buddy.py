"""/buddy ask|status|end — accountability buddies (both accept with a button)."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands
from discord.utils import escape_markdown

from bot.app import CoachBot
from bot.errors import UserFacingError
from bot.services import buddies
from bot.services.progress import find_member
from bot.ui.persistent import buddy_view
from bot.ui.views import Confirm
from cogs._common import context_for, reply


class BuddyCog(commands.Cog):
    buddy = app_commands.Group(
        name="buddy",
        description="Accountability buddies: a study partner who checks in on you.",
        guild_only=True,
    )

    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot

    @buddy.command(name="ask")
    @app_commands.describe(member="The cohort member you'd like as your buddy")
    async def ask(self, interaction: discord.Interaction, member: discord.Member) -> None:
        """Ask someone to be your buddy: you'll hear from each other after two quiet days."""
        ctx = await context_for(self.bot, interaction)
        assert interaction.guild_id is not None
        partner = await find_member(interaction.guild_id, member.id)
        if partner is None or partner.left_at is not None:
            raise UserFacingError("They haven't joined a cohort here yet.")
        name = escape_markdown(member.display_name)

        async def send_request() -> str:
            pair = await buddies.request(ctx.member, partner, self.bot.clock())
            me = escape_markdown(interaction.user.display_name)
            channel = self.bot.get_channel(ctx.cohort.channel_id)
            if isinstance(channel, discord.abc.Messageable):
                await channel.send(
                    f"<@{member.id}> — **{me}** would like you as their accountability buddy. "
                    "You'd each get a friendly heads-up when the other goes quiet for two days.",
                    view=buddy_view(pair.id),
                    allowed_mentions=discord.AllowedMentions(users=[discord.Object(member.id)]),
                )
            return f"Request sent to **{name}** in the cohort channel."

        await buddies.request_allowed(ctx.member, partner)
        await reply(
            interaction,
            f"Ask **{name}** to be your accountability buddy?",
            Confirm(interaction.user.id, send_request, "Send request"),
        )

    @buddy.command(name="status")
    async def status(self, interaction: discord.Interaction) -> None:
        """Who your buddy is."""
        ctx = await context_for(self.bot, interaction)
        pair = await buddies.current_pair(ctx.member.id)
        if pair is None:
            await reply(interaction, "No buddy yet — `/buddy ask` pairs you with someone.")
            return
        other = pair.partner if pair.requester.id == ctx.member.id else pair.requester
        await reply(interaction, f"Your buddy is <@{other.user_id}> 🤝")

    @buddy.command(name="end")
    async def end(self, interaction: discord.Interaction) -> None:
        """End your buddy pairing."""
        ctx = await context_for(self.bot, interaction)
        other = await buddies.end(ctx.member.id, self.bot.clock())
        await reply(interaction, f"Your pairing with <@{other.user_id}> has ended.")


async def setup(bot: CoachBot) -> None:
    await bot.add_cog(BuddyCog(bot))
