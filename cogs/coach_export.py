"""/coach export — a cohort's entries as CSV and JSON (added to the /coach group)."""

from __future__ import annotations

import asyncio
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice

from bot.app import CoachBot
from bot.services.export import cohort_rows, render_cohort_files
from bot.services.setup import cohort_names, resolve_cohort
from cogs.export import send_files


@app_commands.command(name="export")
@app_commands.checks.has_permissions(manage_guild=True)
@app_commands.describe(cohort="Which cohort (needed only when the server has several)")
async def export_cohort(
    interaction: discord.Interaction[Any], cohort: app_commands.Range[str, 1, 64] | None = None
) -> None:
    """Download a cohort's entries (every member's logs) as CSV and JSON."""
    assert interaction.guild_id is not None
    found = await resolve_cohort(interaction.guild_id, cohort)
    await interaction.response.defer(ephemeral=True, thinking=True)
    rows = await cohort_rows(found, interaction.client.curriculum)
    files = await asyncio.to_thread(render_cohort_files, found, rows)
    members = len({name for name, _ in rows})
    name = discord.utils.escape_markdown(found.name)
    text = (
        f"📦 **{name}** — {len(rows)} entries from {members} member(s). The CSV opens in a "
        f"spreadsheet (times in {found.timezone}); the JSON keeps every field."
    )
    await send_files(interaction, text, files)


@export_cohort.autocomplete("cohort")
async def _cohort(interaction: discord.Interaction[Any], current: str) -> list[Choice[str]]:
    assert interaction.guild_id is not None
    return [Choice(name=n, value=n) for n in await cohort_names(interaction.guild_id, current)]


def _coach_group(bot: CoachBot) -> app_commands.Group:
    group = bot.tree.get_command("coach")
    if not isinstance(group, app_commands.Group):
        raise RuntimeError("cogs.coach must be loaded before cogs.coach_export")
    return group


async def setup(bot: CoachBot) -> None:
    _coach_group(bot).add_command(export_cohort)


async def teardown(bot: CoachBot) -> None:
    _coach_group(bot).remove_command("export")
