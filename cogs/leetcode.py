"""/leetcode link | unlink | status | sync — import accepted LeetCode solves automatically."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.app_commands import Choice, Range
from discord.ext import commands

from bot.app import CoachBot
from bot.errors import NotAMember
from bot.leetcode import linking
from bot.leetcode.polling import poll_link
from bot.leetcode.service import get_service
from bot.models import Member
from bot.services.progress import find_member
from bot.ui.leetcode import VerifyButton, verify_view
from cogs._common import NO_MENTIONS, context_for, reply

log = logging.getLogger(__name__)


class LeetCode(commands.Cog):
    leetcode = app_commands.Group(
        name="leetcode",
        description="Link your LeetCode account and import accepted solves automatically.",
        guild_only=True,
    )

    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot

    async def _member(self, interaction: discord.Interaction) -> Member:
        assert interaction.guild_id is not None
        member = await find_member(interaction.guild_id, interaction.user.id)
        if member is None:
            raise NotAMember()
        return member

    @leetcode.command(name="link")
    @app_commands.describe(
        username="Your LeetCode username (or your profile link)",
        site="leetcode.com (default) or leetcode.cn",
    )
    @app_commands.choices(site=[Choice(name=s, value=s) for s in linking.SITES])
    async def link(
        self,
        interaction: discord.Interaction,
        username: Range[str, 1, 200],
        site: str | None = None,
    ) -> None:
        """Link your LeetCode account: put a one-time code in your profile, then press Verify."""
        assert interaction.guild_id is not None
        ctx = await context_for(self.bot, interaction)
        name, where = linking.parse_username(username, site)
        service = get_service(self.bot)
        link = await linking.start_link(service, ctx.member, interaction.guild_id, name, where)
        assert link.code is not None
        text = linking.instructions(service, link)
        await reply(interaction, text, verify_view(interaction.user.id, ctx.member.id, link.code))

    @leetcode.command(name="unlink")
    async def unlink(self, interaction: discord.Interaction) -> None:
        """Stop importing from your LeetCode account (imported solves stay)."""
        member = await self._member(interaction)
        await reply(interaction, await linking.unlink(get_service(self.bot), member))

    @leetcode.command(name="status")
    async def status(self, interaction: discord.Interaction) -> None:
        """Your linked account, the last sync, the last error and whether polling is paused."""
        member = await self._member(interaction)
        text = await linking.status_text(get_service(self.bot), member, self.bot.clock())
        await reply(interaction, text)

    @leetcode.command(name="sync")
    async def sync(self, interaction: discord.Interaction) -> None:
        """Check LeetCode for new accepted solves now (once every 5 minutes)."""
        ctx = await context_for(self.bot, interaction)
        service, now = get_service(self.bot), self.bot.clock()
        link_id = await linking.prepare_sync(service, ctx.member, now)
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await poll_link(service, link_id, now)
        await interaction.edit_original_response(
            content=linking.sync_text(outcome), allowed_mentions=NO_MENTIONS
        )


async def setup(bot: CoachBot) -> None:
    bot.add_dynamic_items(VerifyButton)  # Verify answers after a timeout or a restart too
    await bot.add_cog(LeetCode(bot))


async def teardown(bot: CoachBot) -> None:
    bot.remove_dynamic_items(VerifyButton)
