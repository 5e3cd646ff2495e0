"""/coach remove — admin moderation of entries (added to the /coach group)."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.app import CoachBot
from bot.render.entries import entry_line
from bot.services.progress import all_items, delete_entry, guild_entry

NO_MENTIONS = discord.AllowedMentions.none()


@app_commands.command(name="remove")
@app_commands.checks.has_permissions(manage_guild=True)
@app_commands.describe(entry="The entry's number (members see it in /log)")
async def remove(interaction: discord.Interaction[Any], entry: app_commands.Range[int, 1]) -> None:
    """Remove any member's entry in this server (spam, mistakes)."""
    assert interaction.guild_id is not None
    found = await guild_entry(interaction.guild_id, entry)
    titles = {k: i.deliverable.title for k, i in all_items(interaction.client.curriculum).items()}
    line = entry_line(found, titles)
    removed = await delete_entry(found)
    owner = f"<@{found.member.user_id}>"
    text = f"Removed {owner}'s entry: {line}" if removed else "That entry was already gone."
    await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


def _coach_group(bot: CoachBot) -> app_commands.Group:
    group = bot.tree.get_command("coach")
    if not isinstance(group, app_commands.Group):
        raise RuntimeError("cogs.coach must be loaded before cogs.coach_members")
    return group


async def setup(bot: CoachBot) -> None:
    _coach_group(bot).add_command(remove)


async def teardown(bot: CoachBot) -> None:
    _coach_group(bot).remove_command("remove")
